# A room mute keeps the room's id, but no foreign key to the chat: moderation
# sits below the chat (the chat registers its room mutes with moderation). The
# column room_id keeps its values; only the database constraint goes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("chat", "0004_space_moved_to_community"),
        ("moderation", "0004_space_moved_to_community"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sanction",
            name="room",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="chat.room",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="sanction", name="room"),
                migrations.AddField(
                    model_name="sanction",
                    name="room_id",
                    field=models.BigIntegerField(blank=True, db_index=True, null=True),
                ),
            ],
            database_operations=[],
        ),
    ]
