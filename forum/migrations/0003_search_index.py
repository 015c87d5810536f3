from django.db import migrations


def create(apps, schema_editor):
    from forum.fulltext import create_index

    create_index(schema_editor)


def drop(apps, schema_editor):
    from forum.fulltext import drop_index

    drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("forum", "0002_threads_posts_notifications")]

    operations = [migrations.RunPython(create, drop)]
