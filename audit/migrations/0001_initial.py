# The audit log moved here from the moderation app. The table keeps its name
# (moderation_auditlogentry): this migration only takes over Django's state,
# and points the content type at the new app so permissions and generic
# relations keep working.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="audit", model="auditlogentry").exists():
        ContentType.objects.filter(
            app_label="moderation", model="auditlogentry"
        ).update(app_label="audit")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("moderation", "0002_reports_decisions_sanctions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditLogEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("action", models.CharField(db_index=True, max_length=100, verbose_name="action")),
                        ("target_id", models.CharField(blank=True, max_length=64, verbose_name="target id")),
                        ("target_repr", models.CharField(blank=True, max_length=300, verbose_name="target")),
                        ("reason", models.TextField(blank=True, verbose_name="reason")),
                        ("data", models.JSONField(blank=True, default=dict, verbose_name="details")),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="time")),
                        ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="actor")),
                        ("target_type", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to="contenttypes.contenttype", verbose_name="target type")),
                    ],
                    options={
                        "verbose_name": "audit log entry",
                        "verbose_name_plural": "audit log entries",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "moderation_auditlogentry",
                        "indexes": [models.Index(fields=["target_type", "target_id"], name="moderation__target__ad59ab_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
