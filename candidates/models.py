"""Local records only. Candidate data lives in the ATS behind StackOne, never here."""

from __future__ import annotations

from django.db import models


class StackOneAccess(models.Model):
    """Holds the app's permissions; no table. Admins grant them through Django admin groups."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("edit_candidates", "Can edit candidates in StackOne"),
        ]
