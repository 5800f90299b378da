from django.apps import AppConfig


class BulkConfig(AppConfig):
    """Bulk updates (its models live in ``candidates.models``); an app for its ``ready``."""

    name = "candidates.bulk"
    label = "bulk"
    verbose_name = "Bulk updates"

    def ready(self) -> None:
        """Give the metrics endpoint the bulk jobs' state."""
        from candidates import metrics
        from candidates.bulk.metrics import BulkCollector

        metrics.collector_register(name="bulk", collector=BulkCollector())
