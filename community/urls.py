from django.urls import path

from community.views import drafts, notifications

app_name = "community"
urlpatterns = [
    path("entwuerfe/", drafts.draft_save, name="draft_save"),
    path("benachrichtigungen/", notifications.notification_list, name="notifications"),
    path(
        "benachrichtigungen/gelesen/",
        notifications.notifications_read,
        name="notifications_read",
    ),
    path(
        "benachrichtigungen/einstellungen/",
        notifications.notification_settings,
        name="notification_settings",
    ),
    path(
        "benachrichtigungen/abbestellen/<str:token>/",
        notifications.unsubscribe,
        name="unsubscribe",
    ),
]
