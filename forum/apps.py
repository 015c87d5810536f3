from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")

    def ready(self) -> None:
        from django.utils.autoreload import file_changed

        from accounts.personal_data import (
            register_eraser,
            register_exporter,
            register_file_exporter,
        )
        from forum import knowledge
        from forum.actions.personal_data import erase_forum_data
        from forum.forms import forget_rendered_forms
        from forum.queries import personal_data
        from forum.socket import ThreadWatching
        from forum.targets import register_targets
        from realtime import sockets

        register_exporter("forum_posts", personal_data.export_posts)
        register_exporter("forum_reactions", personal_data.export_reactions)
        register_exporter("forum_follows", personal_data.export_follows)
        register_file_exporter("forum_attachments", personal_data.export_attachments)
        register_eraser("forum", erase_forum_data)
        register_targets()
        sockets.register(ThreadWatching)
        file_changed.connect(forget_rendered_forms, dispatch_uid="forum.forms")
        # Wissen articles in the Wissenssammlung (community.knowledge).
        knowledge.register()
        from community import notification_targets
        from community.access import space_narrowed
        from forum.permissions import (
            POST_TARGET,
            THREAD_TARGET,
            can_view_post,
            can_view_thread_target,
            load_post_target,
            load_thread_target,
        )

        space_narrowed.connect(_space_narrowed, dispatch_uid="forum.space_narrowed")
        notification_targets.register(
            THREAD_TARGET, load=load_thread_target, can_see=can_view_thread_target
        )
        notification_targets.register(
            POST_TARGET, load=load_post_target, can_see=can_view_post
        )


def _space_narrowed(sender, space, **kwargs) -> None:
    """A space turned restricted: the sockets watching its threads check
    their access again (one layer message per thread of the space)."""
    from forum.models import Thread
    from realtime import groups
    from realtime.access import access_changed_for

    thread_ids = Thread.objects.filter(space=space).values_list("pk", flat=True)
    access_changed_for(groups.forum_thread(pk) for pk in thread_ids)
