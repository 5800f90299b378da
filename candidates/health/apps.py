from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "candidates.health"
    label = "health"
    verbose_name = "Data health"
    default_auto_field = "django.db.models.BigAutoField"
