"""How the app's own forms draw themselves: Django's Jinja2 form renderer
(``django.forms.renderers.Jinja2``), several times faster than Django templates over the edit
page's inputs.

Pages are Django templates. A form's parts render through this renderer when a page prints them
(``{{ form.email.as_field_group }}``, ``{{ groups }}`` on the edit page); its templates are
Django's own widget templates and ours in ``candidates/jinja2/`` (the renderer reads each
installed app's ``jinja2/`` folder). The admin keeps Django's default renderer: its widgets are
Django templates.
"""

from __future__ import annotations

from django.forms.renderers import Jinja2


class FormRenderer(Jinja2):
    """Django's Jinja2 renderer, with the app's field group (label, input, help, errors)."""

    field_template_name = "candidates/forms/field.html"


# One instance: its template engine (and Jinja2's cache of compiled templates) is built once.
FORM_RENDERER = FormRenderer()
