from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "candidates.health"
    label = "health"
    verbose_name = "Data health"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Keep the findings in step with the directory: recomputed for the rows it indexes,
        dropped with the rows it removes or prunes; the metrics endpoint reads their counts. Check
        HEALTH_PHONE_REGION at start."""
        from django.core import checks

        from candidates import metrics
        from candidates.directory import signals
        from candidates.health import store
        from candidates.health.metrics import HealthCollector
        from candidates.health.system_checks import phone_region_check

        signals.entries_indexed.connect(store.health_on_indexed, dispatch_uid="health-indexed")
        signals.entries_removed.connect(store.health_on_removed, dispatch_uid="health-removed")
        signals.account_pruned.connect(store.health_on_pruned, dispatch_uid="health-pruned")
        metrics.collector_register(name="health", collector=HealthCollector())
        checks.register(phone_region_check)
