"""A bulk job knows whether its rows are lines of a file: a data-health job's are not, so its page
shows no Line column. Jobs data health made before this are marked by their name."""

from django.db import migrations, models


def _mark_health_jobs(apps, schema_editor):
    BulkJob = apps.get_model("candidates", "BulkJob")
    BulkJob.objects.filter(filename__startswith="Data health:").update(from_file=False)


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0011_access_grants"),
    ]

    operations = [
        migrations.AddField(
            model_name="bulkjob",
            name="from_file",
            field=models.BooleanField(default=True, help_text="Its rows are lines of a CSV file (a data-health "
                                                              "job's are not: its page shows no line numbers)."),
        ),
        migrations.RunPython(_mark_health_jobs, migrations.RunPython.noop),
    ]
