from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "candidates.directory"
    label = "directory"
    verbose_name = "Candidate directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Follow the core's announcements (a write refreshes the row, a 404 removes it), give
        the scheduler the periodic sync and the metrics endpoint the directory's state."""
        from django.core import checks

        from candidates import metrics, signals, worker
        from candidates.directory import queue, refresh
        from candidates.directory.checks import search_backend_check
        from candidates.directory.metrics import DirectoryCollector

        checks.register(search_backend_check)

        signals.candidate_written.connect(refresh.directory_after_save, dispatch_uid="directory-refresh")
        signals.candidate_gone.connect(refresh.directory_remove, dispatch_uid="directory-remove")
        worker.periodic_register(name="directory-sync", seconds=queue.directory_tick_seconds,
                                 task=queue.directory_tick_task)
        metrics.collector_register(name="directory", collector=DirectoryCollector())
