"""Company clusters an account chose to ignore ("Ignore this cluster")."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0002_lossless_fixes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="IgnoredCompanyCluster",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("account_id", models.CharField(max_length=255)),
                ("key", models.CharField(help_text="The cluster's fingerprint key.", max_length=512)),
                (
                    "spellings",
                    models.JSONField(default=list, help_text="The spellings the cluster had when ignored."),
                ),
                ("username", models.CharField(blank=True, max_length=150)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("account_id", "key"), name="health_ignored_cluster_unique")
                ],
            },
        ),
    ]
