"""The sandbox's API key: a random secret made once per install and kept in a file, read by
the settings (``SANDBOX_API_KEY``) in sandbox mode unless the environment gives one.

Never a published constant: anyone who can reach ``/sandbox/`` would otherwise read and write
its data. The app's own client (``candidates.stackone``) and the sandbox's auth check both read
the setting, so nobody ever has to see or type it, and the product never imports the sandbox.
Several hosts trying the sandbox together share one key through ``SANDBOX_API_KEY``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def sandbox_key_file(path: Path) -> str:
    """Return the sandbox key kept in ``path``, creating the file (mode 0600) on first use.

    Several processes may start at once: the file is written under a temporary name and linked
    into place (an atomic create that fails if it exists), so all of them end up with one key.
    Raises OSError when the file can be neither read nor created, ImproperlyConfigured when
    what it holds is too short to be a secret.
    """
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if len(key) >= 32:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(32) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process won the race (or a short key is there: refused below)
    finally:
        temporary.unlink(missing_ok=True)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:  # an emptied or hand-edited file must never make a guessable key
        raise ImproperlyConfigured(f"The sandbox key file {path} is too short: delete it to make a new key.")
    return key
