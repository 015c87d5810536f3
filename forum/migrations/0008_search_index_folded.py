# The search index now holds folded text (ä/ae → a, ö/oe → o, ü/ue → u,
# ß → ss; community.textsearch), so every post is indexed again.
from django.db import migrations


def reindex(apps, schema_editor):
    from forum.fulltext import index_posts
    from forum.models import Post

    index_posts(Post.objects.using(schema_editor.connection.alias).all())


class Migration(migrations.Migration):
    dependencies = [("forum", "0007_spaces_and_notifications_moved_to_community")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
