"""What the directory announces, for data health (or any later subscriber) to follow from its
``AppConfig.ready``. The directory knows nothing of who listens.

``entries_indexed``   rows were written from candidates as StackOne holds them (a sync's page, a
                      write's refresh); ``account_id``, ``candidates`` (a list of ``Candidate``,
                      read with ``entries.SYNC_FIELDS``).
``entries_removed``   rows were deleted (StackOne answered 404); ``account_id``, ``candidate_ids``.
``account_pruned``    rows of an account went in bulk (a full sync's unlisted rows, a purge);
                      ``account_id``.

They are sent inside the directory's transaction (a receiver's writes commit or roll back with
the rows); a receiver that raises rolls the directory's change back too.
"""

from __future__ import annotations

from django.dispatch import Signal

entries_indexed = Signal()
entries_removed = Signal()
account_pruned = Signal()
