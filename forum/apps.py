from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")

    def ready(self) -> None:
        from accounts.personal_data import (
            register_eraser,
            register_exporter,
            register_file_exporter,
        )
        from forum.actions.personal_data import erase_forum_data
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
