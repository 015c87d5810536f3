from django.urls import path

from chat import views

app_name = "chat"
urlpatterns = [
    path("", views.room_list, name="rooms"),
    path("neu/", views.room_create, name="create"),
    path("direkt/", views.direct_start, name="direct"),
    path("direkt/mit/<int:user_id>/", views.direct_with, name="direct_with"),
    path("<int:pk>/", views.room_detail, name="room"),
    path("<int:pk>/verlauf/", views.room_history, name="history"),
    path("<int:pk>/senden/", views.message_send, name="send"),
    path("<int:pk>/anhang/", views.attachment_upload, name="attachment_upload"),
    path("anhang/<int:pk>/<str:name>", views.attachment_download, name="attachment"),
    path("<int:pk>/mitglieder/", views.members_add, name="members_add"),
    path(
        "<int:pk>/mitglieder/<int:user_id>/entfernen/",
        views.member_remove,
        name="member_remove",
    ),
    path("<int:pk>/verlassen/", views.room_leave, name="leave"),
    path("<int:pk>/langsamer-modus/", views.slow_mode, name="slow_mode"),
    path("<int:pk>/stummschalten/", views.member_mute, name="member_mute"),
    path(
        "<int:pk>/entfernen/", views.member_remove_chosen, name="member_remove_chosen"
    ),
    path(
        "<int:pk>/mitglieder/<int:user_id>/wieder-zulassen/",
        views.member_readmit,
        name="member_readmit",
    ),
]
