# The audit log moved to the audit app (its table stays where it is).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("moderation", "0002_reports_decisions_sanctions"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditLogEntry")],
            database_operations=[],
        ),
    ]
