from django.urls import path
from django.views.generic import RedirectView

from forum.views import moderation, posts, spaces, threads

app_name = "forum"
urlpatterns = [
    path("forum/", spaces.space_list, name="spaces"),
    path("forum/neu/", spaces.new_list, name="new"),
    path("forum/ungelesen/", spaces.unread_list, name="unread"),
    # The search of the forum and the chat is one page now (pages.views.search).
    path(
        "forum/suche/",
        RedirectView.as_view(pattern_name="pages:search", query_string=True),
        name="search",
    ),
    path("forum/thema/<int:pk>/", threads.thread_detail, name="thread"),
    path("forum/thema/<int:pk>/antworten/", threads.thread_reply, name="reply"),
    path("forum/thema/<int:pk>/status/", threads.thread_status, name="status"),
    path("forum/thema/<int:pk>/verlaengern/", threads.thread_extend, name="extend"),
    path("forum/thema/<int:pk>/folgen/", threads.thread_follow, name="follow_thread"),
    path(
        "forum/thema/<int:pk>/moderation/sperren/",
        moderation.thread_lock,
        name="thread_lock",
    ),
    path(
        "forum/thema/<int:pk>/moderation/entsperren/",
        moderation.thread_unlock,
        name="thread_unlock",
    ),
    path(
        "forum/thema/<int:pk>/moderation/anheften/",
        moderation.thread_pin,
        name="thread_pin",
    ),
    path(
        "forum/thema/<int:pk>/moderation/loesen/",
        moderation.thread_unpin,
        name="thread_unpin",
    ),
    path(
        "forum/thema/<int:pk>/moderation/schliessen/",
        moderation.thread_close,
        name="thread_close",
    ),
    path(
        "forum/thema/<int:pk>/moderation/wiedereroeffnen/",
        moderation.thread_reopen,
        name="thread_reopen",
    ),
    path(
        "forum/thema/<int:pk>/moderation/verschieben/",
        moderation.thread_move,
        name="thread_move",
    ),
    path(
        "forum/thema/<int:pk>/moderation/teilen/",
        moderation.thread_split,
        name="thread_split",
    ),
    path(
        "forum/thema/<int:pk>/moderation/langsamer-modus/",
        moderation.thread_slow_mode,
        name="thread_slow_mode",
    ),
    path("forum/beitrag/<int:pk>/", posts.post_permalink, name="post"),
    path("forum/beitrag/<int:pk>/zitat/", posts.post_quote, name="post_quote"),
    path("forum/beitrag/<int:pk>/bearbeiten/", posts.post_edit, name="post_edit"),
    path("forum/beitrag/<int:pk>/versionen/", posts.post_history, name="post_history"),
    path(
        "forum/beitrag/<int:pk>/versionen/<int:number>/wiederherstellen/",
        posts.post_restore,
        name="post_restore",
    ),
    path("forum/beitrag/<int:pk>/reaktion/", posts.post_react, name="post_react"),
    path("forum/beitrag/<int:pk>/loesung/", posts.post_solution, name="post_solution"),
    path(
        "forum/anhang/<int:pk>/<str:name>", posts.attachment_download, name="attachment"
    ),
    # Space URLs last: their slug would otherwise swallow the paths above.
    path("forum/<slug:slug>/", spaces.space_detail, name="space"),
    path("forum/<slug:slug>/neues-thema/", threads.thread_create, name="thread_create"),
    path("forum/<slug:slug>/folgen/", spaces.follow_space, name="follow_space"),
]
