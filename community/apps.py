from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """What the features share: spaces and who may see them, notifications
    (in-app, e-mail, digests) and the one Markdown pipeline."""

    name = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from accounts.personal_data import register_eraser, register_exporter
        from community import access
        from community.actions.drafts import erase_drafts
        from community.actions.notifications import erase_notifications
        from community.queries.drafts import export_drafts
        from community.queries.notifications import export_notifications

        register_exporter("notifications", export_notifications)
        register_exporter("drafts", export_drafts)
        register_eraser("community", erase_notifications)
        register_eraser("drafts", erase_drafts)
        access.connect()
