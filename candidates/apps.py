from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "candidates"
    verbose_name = "Candidates"

    def ready(self) -> None:
        """Give the metrics endpoint the core's state: the shared budget and the task queue."""
        from candidates import metrics, metrics_state

        metrics.collector_register(name="budget", collector=metrics_state.BudgetCollector())
        metrics.collector_register(name="tasks", collector=metrics_state.TaskQueueCollector())
