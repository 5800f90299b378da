from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "candidates.directory"
    label = "directory"
    verbose_name = "Candidate directory"
    default_auto_field = "django.db.models.BigAutoField"
