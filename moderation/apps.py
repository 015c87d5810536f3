from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from moderation import signals
        from moderation.socket import ModerationWatching
        from moderation.targets import register_targets
        from realtime import sockets

        register_targets()
        signals.connect()
        sockets.register(ModerationWatching)
