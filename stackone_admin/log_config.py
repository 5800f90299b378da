"""The ``LOGGING`` setting: one console handler, plain text or one JSON object a line
(``LOG_FORMAT``), every line with its request id and redacted (``stackone_admin.log_format``).
Built here so settings.py stays short and tests can build the very same configuration at another
level.

Some libraries log what must not reach a log: Django's SQL log (``django.db.backends``, with
the query's parameters: names, emails) and urllib3's request lines (with the query string: an
email searched for) are held at INFO and WARNING whatever ``LOG_LEVEL`` says.
"""

from __future__ import annotations

from typing import Any

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"


def logging_config(*, level: str, fmt: str) -> dict[str, Any]:
    """Return the dictConfig for ``level`` (a logging level name) and ``fmt`` ("text" or "json").
    Raises ValueError for another format."""
    if fmt not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {fmt!r}")
    formatter: dict[str, Any] = (
        {"()": "stackone_admin.log_format.JsonLogFormatter", "fmt": JSON_FIELDS}
        if fmt == "json" else {"()": "stackone_admin.log_format.TextLogFormatter", "fmt": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "stackone_admin.log_format.RequestIdFilter"},
        },
        "formatters": {"console": formatter},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "console",
                        "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own console handler printed its records (runserver's "Watching for file
            # changes", every django.request warning) a second time beside the root's: configured
            # here without handlers, they reach the console once, through the root.
            "django": {"level": "INFO"},
            # django-axes announces itself on every start (every manage.py command); lockouts still log.
            "axes.apps": {"level": "WARNING"},
            "django.db.backends": {"level": "INFO"},
            # runserver's request lines: through this handler (redacted) rather than Django's own.
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "urllib3": {"level": "WARNING"},
        },
    }
