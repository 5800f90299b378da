"""The edit page's form renderer: Django's Jinja2 widget templates, with the plain ones done in Python.

The edit page shows about a hundred inputs. Rendering each through a template (three nested
Jinja2 templates for a text input) cost more than the StackOne round trip the page waits for,
so the widgets the editor uses are written here instead, producing the same HTML as Django's
own Jinja2 templates byte for byte (``tests/candidates/test_form_renderer.py`` compares them
over a whole editor). Any other widget falls through to the templates.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import Jinja2

_INPUT_TEMPLATES = frozenset({
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "email", "url", "number", "hidden", "checkbox", "date", "datetime", "time")
})
_TEXTAREA = "django/forms/widgets/textarea.html"
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


def escape(value: Any) -> str:
    """Return ``value`` escaped exactly as markupsafe (Django's Jinja2 templates) escapes it.

    Without markupsafe's Markup wrapping, which cost more than the rest of an input here; a
    value that is already HTML (``__html__``) is kept as it is, as markupsafe keeps it.
    """
    if hasattr(value, "__html__"):
        return value.__html__()
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


def _attrs(attrs: dict[str, Any]) -> str:
    # As attrs.html: False drops the attribute, True writes it bare.
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items() if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    kind, name = escape(widget["type"]), escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict[str, Any]) -> str:
    value = escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                return None
            parts.append(f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
                         f'{escape(option["label"])}</option>')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class EditorRenderer(Jinja2):
    """Django's Jinja2 form renderer; inputs, text areas and selects skip the template engine."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        """Return the HTML for ``template_name`` with ``context`` (as Django's template would)."""
        widget = context.get("widget")
        if widget is not None:
            if template_name in _INPUT_TEMPLATES:
                return _input(widget)
            if template_name == _TEXTAREA:
                return _textarea(widget)
            if template_name == _SELECT:
                html = _select(widget)
                if html is not None:
                    return html
        return super().render(template_name, context, request)
