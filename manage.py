#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

After ``make run``, a command typed in another terminal (``manage.py bulk_update …``) runs with
what ``make run`` chose: it wrote its choices (DEBUG, the sandbox's address on its PORT, a
DATABASE_URL or CACHE_URL given to it; never a key) to ``.run.env``, read here for the variables
the environment and ``.env`` leave unset, and only in a shell that sets neither SECRET_KEY nor
DEBUG: a production process (which must have SECRET_KEY) never reads it.
docs/getting-started.md, "Commands in another terminal".
"""
import os
import sys
from pathlib import Path

import environ

ROOT = Path(__file__).resolve().parent


def read_run_env() -> None:
    """Set the variables ``make run`` wrote (``.run.env``; STACKONE_RUN_ENV names another file)
    that are unset, when neither SECRET_KEY nor DEBUG is set by the environment or ``.env``."""
    environ.Env.read_env(ROOT / ".env", overwrite=False)
    if "SECRET_KEY" in os.environ or "DEBUG" in os.environ:
        return
    run_env = Path(os.environ.get("STACKONE_RUN_ENV") or ROOT / ".run.env")
    if run_env.is_file():
        environ.Env.read_env(run_env, overwrite=False)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stackone_admin.settings")
    read_run_env()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
