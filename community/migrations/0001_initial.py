# Spaces and the notification list moved here from the forum app. Their tables
# keep their names (forum_space, forum_notification, ...): this migration only
# takes over Django's state, and points the content types at the new app.

import community.models.spaces
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ("space", "notification", "notificationsettings")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="community", model=model).exists():
            ContentType.objects.filter(app_label="forum", model=model).update(
                app_label="community"
            )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
        ('forum', '0006_notification_kinds_moderation'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='NotificationSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.CharField(choices=[('never', 'Never'), ('immediately', 'Immediately'), ('daily', 'Daily digest')], default='daily', max_length=12, verbose_name='e-mail notifications')),
                        ('last_digest_at', models.DateTimeField(blank=True, null=True)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_settings', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'forum_notificationsettings',
                    },
                ),
                migrations.CreateModel(
                    name='Space',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=120, verbose_name='title')),
                        ('slug', models.SlugField(max_length=80, unique=True, validators=[community.models.spaces.validate_space_slug], verbose_name='slug')),
                        ('description', models.TextField(blank=True, max_length=2000, verbose_name='description')),
                        ('topic', models.CharField(blank=True, choices=[('care-health', 'Care and health'), ('mobility', 'Mobility in rural areas'), ('skilled-workers', 'Skilled workers'), ('housing', 'Housing for older people'), ('digital', 'Digital public services'), ('volunteering', 'Volunteering'), ('integration', 'Integration'), ('youth-families', 'Youth and families'), ('local-services', 'Local services')], max_length=30, verbose_name='topic')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('is_restricted', models.BooleanField(default=False, verbose_name='restricted to its members')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('members', models.ManyToManyField(blank=True, db_table='forum_space_members', related_name='member_spaces', to=settings.AUTH_USER_MODEL, verbose_name='members (restricted spaces)')),
                        ('moderators', models.ManyToManyField(blank=True, db_table='forum_space_moderators', related_name='moderated_spaces', to=settings.AUTH_USER_MODEL, verbose_name='moderators')),
                    ],
                    options={
                        'verbose_name': 'space',
                        'verbose_name_plural': 'spaces',
                        'db_table': 'forum_space',
                        'ordering': ['position', 'title'],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('reply', 'Reply'), ('mention', 'Mention'), ('match', 'Match for your seek'), ('status', 'Status change'), ('chat_mention', 'Mention in chat'), ('expiry', 'Offer or seek expires'), ('moderation', 'Moderation decision'), ('report', 'Outcome of your report')], max_length=20)),
                        ('title', models.CharField(max_length=300)),
                        ('url', models.CharField(max_length=300)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True)),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'forum_notification',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='forum_notif_recipie_9a08e0_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
