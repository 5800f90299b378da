"""The sandbox's API key: a random secret made once per install and kept in a file.

Never a published constant: anyone who can reach ``/sandbox/`` would otherwise read and write
its data. The app's own client (candidates.stackone) and the sandbox's auth check both read it
from here, so nobody ever has to see or type it.
"""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_lock = threading.Lock()
_cache: dict[Path, str] = {}


def sandbox_api_key() -> str:
    """Return this install's sandbox key, creating ``settings.SANDBOX_KEY_FILE`` on first use.

    Several processes may start at once: the file is written under a temporary name and linked
    into place (an atomic create that fails if it exists), so all of them end up with one key.
    Raises OSError when the file can be neither read nor created, ImproperlyConfigured when
    what it holds is too short to be a secret.
    """
    path = Path(settings.SANDBOX_KEY_FILE)
    with _lock:
        if path not in _cache:
            _cache[path] = _read_or_create(path)
        return _cache[path]


def _read_or_create(path: Path) -> str:
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
