"""What moderation decisions do to forum posts and threads, and what others see.

The effects are the "post" and "thread" target types' hide, restore, delete,
approve and edit (moderation.registry); the moderation app's decisions call
them. Here they are called directly and then looked at the way members do:
thread pages, lists, search, notifications and permalinks.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils.translation import gettext

from community.models import Notification
from forum.actions.posts import reply
from forum.models import Attachment, Post, PostRevision
from moderation.models import Visibility
from moderation.registry import target_type
from realtime import groups
from tests.forum.live import Listener

HIDDEN = "Hidden by the moderation team"
REMOVED = "Removed by the moderation team"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def thread(cast, make_thread):
    return make_thread(
        author=cast.other,
        in_space=cast.space,
        title="Bürgerbus im Landkreis",
        source="Wer fährt unseren Bürgerbus?",
    )


@pytest.fixture
def post(cast, thread):
    return reply(
        cast.author,
        thread,
        source="Unzumutbarer Rufbus Beitrag",
        files=[SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")],
    )


def page_for(client, user, thread) -> str:
    client.force_login(user)
    response = client.get(f"/forum/thema/{thread.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def search_for(client, user, query: str) -> str:
    client.force_login(user)
    html = client.get("/suche/", {"q": query}).content.decode()
    if '<ol class="search-results">' not in html:
        return ""
    return html.split('<ol class="search-results">', 1)[1].split("</ol>", 1)[0].strip()


# --- the registry -------------------------------------------------------------


def test_posts_and_threads_are_registered_for_moderation(cast, thread, post):
    posts, threads = target_type("post"), target_type("thread")
    assert posts.load(post.pk) == post
    assert posts.load(0) is None
    assert posts.space_of(post) == cast.space
    assert posts.author_of(post) == cast.author
    assert posts.url(post) == f"/forum/beitrag/{post.pk}/"
    assert posts.excerpt(Post(source="**Fett** und *kursiv*\n\n> Zitat")) == (
        "Fett und kursiv Zitat"
    )
    assert threads.load(thread.pk) == thread
    assert threads.space_of(thread) == cast.space
    assert threads.author_of(thread) == cast.other
    assert threads.url(thread) == f"/forum/thema/{thread.pk}/"
    assert threads.excerpt(thread).startswith("Bürgerbus im Landkreis: Wer fährt")


def test_the_review_context_shows_the_post_among_its_neighbours(cast, thread, post):
    reply(cast.other, thread, source="Danach kam dies")
    name, context = target_type("post").context(post)
    html = render_to_string(name, context)
    assert "Wer fährt unseren Bürgerbus?" in html  # the post before
    assert "Unzumutbarer Rufbus Beitrag" in html
    assert "Danach kam dies" in html  # the post after
    assert 'aria-current="true"' in html
    name, context = target_type("thread").context(thread)
    assert "Wer fährt unseren Bürgerbus?" in render_to_string(name, context)


@pytest.mark.parametrize(
    ("visibility", "who_sees"),
    [
        (
            Visibility.VISIBLE,
            {"author", "other", "space_moderator", "foreign_moderator"},
        ),
        (Visibility.PENDING, {"author", "space_moderator", "global_moderator"}),
        (Visibility.HIDDEN, {"author", "space_moderator", "global_moderator"}),
        (Visibility.REMOVED, {"space_moderator", "global_moderator"}),
    ],
)
def test_who_can_view_a_post_for_reporting_and_moderation(
    cast, post, visibility, who_sees
):
    Post.objects.filter(pk=post.pk).update(visibility=visibility)
    post = target_type("post").load(post.pk)
    for role in ("author", "other", "space_moderator", "foreign_moderator",
                 "global_moderator"):  # fmt: skip
        expected = role in who_sees or (
            visibility == Visibility.VISIBLE and role == "global_moderator"
        )
        assert target_type("post").can_view(cast.by_role(role), post) == expected, role


def test_posts_of_restricted_spaces_are_invisible_to_outsiders(cast, thread, post):
    cast.space.is_restricted = True
    cast.space.save()
    assert not target_type("post").can_view(cast.foreign_moderator, post)
    assert not target_type("thread").can_view(cast.foreign_moderator, thread)


# --- hide and restore ---------------------------------------------------------


def test_a_hidden_post_is_a_placeholder_for_others(
    client, cast, thread, post, django_capture_on_commit_callbacks
):
    listener = Listener(groups.forum_thread(thread.pk))
    hide = target_type("post").hide
    with django_capture_on_commit_callbacks(execute=True):
        assert hide(cast.space_moderator, post) is True
    assert hide(cast.space_moderator, post) is False

    assert listener.events() == [
        {"type": "forum.post", "op": "hidden", "thread": thread.pk, "post": post.pk,
         "position": 2, "url": f"/forum/beitrag/{post.pk}/"}
    ]  # fmt: skip
    others = page_for(client, cast.other, thread)
    assert "Unzumutbarer Rufbus" not in others
    assert gettext(HIDDEN) in others
    assert "plan.pdf" not in others
    attachment = Attachment.objects.get(post=post)
    assert client.get(f"/forum/anhang/{attachment.pk}/plan.pdf").status_code == 404
    own = page_for(client, cast.author, thread)
    assert "Unzumutbarer Rufbus" in own and "badge-hidden" in own
    assert "Unzumutbarer Rufbus" in page_for(client, cast.space_moderator, thread)
    assert search_for(client, cast.other, "Rufbus") == ""


def test_hiding_withdraws_the_notifications_not_yet_sent(cast, thread, post):
    url = post.get_absolute_url()
    assert Notification.objects.filter(recipient=cast.other, url=url).exists()
    target_type("post").hide(None, post)  # the automatic hide after reports
    assert not Notification.objects.filter(url=url).exists()


def test_a_restored_post_is_visible_again(client, cast, thread, post):
    target_type("post").hide(cast.space_moderator, post)
    assert target_type("post").restore(cast.space_moderator, post) is True
    assert target_type("post").restore(cast.space_moderator, post) is False
    assert "Unzumutbarer Rufbus" in page_for(client, cast.other, thread)
    assert f"beitrag/{post.pk}/" in search_for(client, cast.other, "Rufbus")


# --- delete -------------------------------------------------------------------


def test_a_deleted_post_keeps_no_text_versions_files_or_search_entry(
    client, cast, thread, post, django_capture_on_commit_callbacks
):
    attachment = Attachment.objects.get(post=post)
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    listener = Listener(groups.forum_thread(thread.pk))

    with django_capture_on_commit_callbacks(execute=True):
        assert target_type("post").delete(cast.space_moderator, post) is True

    post.refresh_from_db()
    assert post.visibility == Visibility.REMOVED
    assert post.source == "" and post.html == ""
    assert not storage.exists(name)
    assert not Attachment.objects.filter(post=post).exists()
    assert set(
        PostRevision.objects.filter(post=post).values_list("source", flat=True)
    ) == {""}
    assert [e["op"] for e in listener.events()] == ["removed"]
    for user in (cast.other, cast.author, cast.space_moderator):
        html = page_for(client, user, thread)
        assert "Unzumutbarer Rufbus" not in html
        assert gettext(REMOVED) in html
    assert search_for(client, cast.other, "Rufbus") == ""
    assert target_type("post").restore(cast.space_moderator, post) is False


def test_a_deleted_post_stays_in_its_authors_data_export_without_text(cast, post):
    from forum.queries.personal_data import export_posts

    target_type("post").hide(cast.space_moderator, post)
    assert [p["text"] for p in export_posts(cast.author)] == [
        "Unzumutbarer Rufbus Beitrag"
    ]
    target_type("post").delete(cast.space_moderator, post)
    assert [p["id"] for p in export_posts(cast.author)] == [post.pk]


# --- edit ---------------------------------------------------------------------


def test_a_moderators_edit_is_a_new_version_with_a_visible_note(
    client, cast, thread, post, django_capture_on_commit_callbacks
):
    listener = Listener(groups.forum_thread(thread.pk))
    edit = target_type("post").edit
    with django_capture_on_commit_callbacks(execute=True):
        assert edit(
            cast.space_moderator, post, source="Sachlicher Beitrag",
            note="Beleidigung entfernt",
        )  # fmt: skip

    revision = post.revisions.last()
    assert revision.number == 2 and revision.editor == cast.space_moderator
    assert [e["op"] for e in listener.events()] == ["edit"]
    html = page_for(client, cast.other, thread)
    assert "Sachlicher Beitrag" in html and "Unzumutbarer" not in html
    assert "Beleidigung entfernt" in html
    assert 'class="moderator-note"' in html


def test_editing_a_thread_edits_its_opening_post(cast, thread):
    target_type("thread").edit(
        cast.global_moderator,
        thread,
        source="Neuer Text",
        note="Telefonnummer entfernt",
    )
    opening = thread.posts.get(position=1)
    assert opening.source == "Neuer Text"
    assert opening.moderator_note == "Telefonnummer entfernt"


# --- threads ------------------------------------------------------------------


def test_a_hidden_thread_leaves_lists_and_search_and_shows_others_a_placeholder(
    client, cast, thread, post, django_capture_on_commit_callbacks
):
    listener = Listener(groups.forum_thread(thread.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert target_type("thread").hide(cast.space_moderator, thread)

    assert listener.events() == [
        {"type": "forum.thread", "op": "hidden", "thread": thread.pk}
    ]
    client.force_login(cast.author)  # a replier, not the thread's author
    response = client.get(f"/forum/thema/{thread.pk}/")
    html = response.content.decode()
    assert gettext(HIDDEN) in html
    assert "Bürgerbus im Landkreis" not in html and "Wer fährt" not in html
    assert (
        "Bürgerbus im Landkreis"
        not in client.get(f"/forum/{cast.space.slug}/").content.decode()
    )
    assert "Bürgerbus im Landkreis" not in client.get("/forum/neu/").content.decode()
    assert search_for(client, cast.author, "Bürgerbus") == ""
    # Its author and the moderators still find it in the space, marked.
    client.force_login(cast.other)
    listing = client.get(f"/forum/{cast.space.slug}/").content.decode()
    assert "Bürgerbus im Landkreis" in listing and "badge-hidden" in listing
    assert "Wer fährt" in page_for(client, cast.space_moderator, thread)

    assert target_type("thread").restore(cast.space_moderator, thread)
    assert "Wer fährt" in page_for(client, cast.author, thread)


def test_a_deleted_thread_loses_its_title_and_opening_text(client, cast, thread):
    assert target_type("thread").delete(cast.space_moderator, thread)
    thread.refresh_from_db()
    assert "Bürgerbus" not in thread.title
    assert thread.posts.get(position=1).source == ""
    html = page_for(client, cast.other, thread)  # even its author
    assert "Wer fährt" not in html
    assert gettext(REMOVED) in html
    assert target_type("thread").restore(cast.space_moderator, thread) is False


def test_the_daily_digest_leaves_out_hidden_posts(cast, thread, make_member):
    from django.core import mail
    from django.core.management import call_command

    visible = reply(make_member(name="Jonas Peer"), thread, source="Sichtbar")
    hidden = reply(make_member(name="Heidi Versteckt"), thread, source="Versteckt")
    target_type("post").hide(cast.space_moderator, hidden)
    call_command("send_digests")
    [digest] = [m for m in mail.outbox if m.to == [cast.other.email]]
    assert "Jonas Peer" in digest.body
    assert "Heidi Versteckt" not in digest.body
    assert visible.get_absolute_url() in digest.body
