# Spaces and notifications moved to the community app (state only: the tables
# stay where they are).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('chat', '0004_space_moved_to_community'),
        ('community', '0001_initial'),
        ('forum', '0006_notification_kinds_moderation'),
        ('moderation', '0004_space_moved_to_community'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='notificationsettings',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='space',
                    name='members',
                ),
                migrations.RemoveField(
                    model_name='space',
                    name='moderators',
                ),
                migrations.AlterField(
                    model_name='follow',
                    name='space',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='community.space'),
                ),
                migrations.AlterField(
                    model_name='thread',
                    name='space',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='threads', to='community.space', verbose_name='space'),
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
                migrations.DeleteModel(
                    name='NotificationSettings',
                ),
                migrations.DeleteModel(
                    name='Space',
                ),
            ],
            database_operations=[],
        ),
    ]
