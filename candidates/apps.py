from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "candidates"
    verbose_name = "Candidates"

    def ready(self) -> None:
        """Check at deploy that the StackOne budget is shared; count the calls of every task a
        worker runs as background work; give the scheduler the queue's recovery; give the metrics
        endpoint the core's state: the shared budget and the task queue."""
        from django.core import checks

        from candidates import metrics, metrics_state, worker, worker_process
        from candidates.checks import budget_shared_check

        checks.register(budget_shared_check, checks.Tags.caches, deploy=True)
        worker.worker_signals_connect()
        worker.periodic_register(name="worker-recover", seconds=worker_process.worker_recover_seconds,
                                 task=worker_process.worker_recover_task)
        metrics.collector_register(name="budget", collector=metrics_state.BudgetCollector())
        metrics.collector_register(name="tasks", collector=metrics_state.TaskQueueCollector())
