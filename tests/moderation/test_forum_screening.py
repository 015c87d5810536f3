"""Pre-moderation and the word filter on real forum posts (HTTP).

New members' first posts wait for approval (MODERATION_HOLD_FIRST_POSTS, 0 in
tests unless a test sets it); word-filter entries block, hold or flag a text.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from community.models import Notification
from forum.actions.moderation import approve_post, approve_thread
from forum.models import Post, Thread
from moderation.models import (
    FilterAction,
    ItemSource,
    ReviewItem,
    Visibility,
    WordFilter,
)
from realtime import groups
from tests.forum.live import Listener

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
AWAITING = "Your post is awaiting approval by the moderation team."


def new_thread_form(title="Rufbus im Kreis", source="Wer hat Erfahrung mit Rufbussen?"):
    return {"kind": "discussion", "title": title, "source": source}


@pytest.fixture
def hold_first_post(settings):
    settings.MODERATION_HOLD_FIRST_POSTS = 1


@pytest.fixture
def thread(cast, make_thread):
    return make_thread(author=cast.other, in_space=cast.space)


def test_a_newcomers_first_thread_waits_for_approval(client, cast, hold_first_post):
    client.force_login(cast.author)
    response = client.post(
        f"/forum/{cast.space.slug}/neues-thema/", new_thread_form(), follow=True
    )
    assert gettext(AWAITING) in response.content.decode()
    thread = Thread.objects.get(title="Rufbus im Kreis")
    assert thread.visibility == Visibility.PENDING
    assert thread.posts.get().visibility == Visibility.PENDING
    item = ReviewItem.objects.get(target_kind="thread", target_id=thread.pk)
    assert item.source == ItemSource.HELD
    assert item.space == cast.space

    client.force_login(cast.other)
    assert client.get(f"/forum/thema/{thread.pk}/").status_code == 404
    assert (
        "Rufbus im Kreis"
        not in client.get(f"/forum/{cast.space.slug}/").content.decode()
    )
    assert "Rufbus im Kreis" not in client.get("/forum/neu/").content.decode()

    client.force_login(cast.space_moderator)
    page = client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert "Wer hat Erfahrung mit Rufbussen?" in page
    assert "badge-pending" in page


def test_a_newcomers_reply_is_seen_by_its_author_and_moderators_only(
    client, cast, thread, hold_first_post, django_capture_on_commit_callbacks
):
    listener = Listener(groups.forum_thread(thread.pk))
    client.force_login(cast.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/forum/thema/{thread.pk}/antworten/", {"source": "Meine erste Antwort"}
        )
    post = Post.objects.get(source="Meine erste Antwort")
    assert post.visibility == Visibility.PENDING
    assert listener.events() == []  # nobody is told before approval
    assert not Notification.objects.filter(recipient=cast.other).exists()
    item = ReviewItem.objects.get(target_kind="post", target_id=post.pk)
    assert item.source == ItemSource.HELD

    own = client.get(response.url).content.decode()
    assert "Meine erste Antwort" in own
    assert gettext(AWAITING) in own
    client.force_login(cast.other)
    assert (
        "Meine erste Antwort"
        not in client.get(f"/forum/thema/{thread.pk}/").content.decode()
    )
    assert client.get(f"/forum/beitrag/{post.pk}/").status_code == 404
    client.force_login(cast.foreign_moderator)
    assert (
        "Meine erste Antwort"
        not in client.get(f"/forum/thema/{thread.pk}/").content.decode()
    )
    client.force_login(cast.space_moderator)
    assert (
        "Meine erste Antwort"
        in client.get(f"/forum/thema/{thread.pk}/").content.decode()
    )


def test_approving_a_held_reply_does_what_a_new_post_does(
    client, cast, thread, hold_first_post, django_capture_on_commit_callbacks
):
    client.force_login(cast.author)
    client.post(
        f"/forum/thema/{thread.pk}/antworten/", {"source": "Bürgerbus Erfahrung"}
    )
    post = Post.objects.get(source="Bürgerbus Erfahrung")
    listener = Listener(groups.forum_thread(thread.pk))

    with django_capture_on_commit_callbacks(execute=True):
        assert approve_post(cast.space_moderator, post) is True

    assert approve_post(cast.space_moderator, post) is False
    post.refresh_from_db()
    assert post.visibility == Visibility.VISIBLE
    # The thread's author follows it and hears about the reply now.
    assert Notification.objects.filter(recipient=cast.other, kind="reply").count() == 1
    [event] = listener.events()
    assert event["op"] == "add" and event["post"] == post.pk
    client.force_login(cast.other)
    assert (
        "Bürgerbus Erfahrung"
        in client.get(f"/forum/thema/{thread.pk}/").content.decode()
    )
    found = client.get("/suche/", {"q": "Erfahrung"}).content.decode()
    assert f"beitrag/{post.pk}/" in found


def test_approving_a_held_offer_notifies_fitting_seeks(
    cast, make_thread, hold_first_post, django_capture_on_commit_callbacks
):
    seeker = cast.other
    make_thread(
        author=seeker, in_space=cast.space, kind="seek", topic="mobility",
        title="Suche Bürgerbus Konzept Fahrplan", source="Bürgerbus Fahrplan Konzept",
        screened=False,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        offer = make_thread(
            author=cast.author, in_space=cast.space, kind="offer", topic="mobility",
            title="Biete Bürgerbus Konzept Fahrplan",
            source="Bürgerbus Fahrplan Konzept",
        )  # fmt: skip
    assert offer.visibility == Visibility.PENDING
    assert not Notification.objects.filter(recipient=seeker, kind="match").exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert approve_thread(cast.space_moderator, offer)

    offer.refresh_from_db()
    assert offer.visibility == Visibility.VISIBLE
    assert offer.posts.get().visibility == Visibility.VISIBLE
    assert Notification.objects.filter(recipient=seeker, kind="match").count() == 1


def test_a_blocked_word_refuses_the_reply_with_a_german_form_error(
    client, cast, thread
):
    WordFilter.objects.create(pattern="Trottel", action=FilterAction.BLOCK)
    client.force_login(cast.author)
    response = client.post(
        f"/forum/thema/{thread.pk}/antworten/", {"source": "Sie TROTTEL!"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        gettext(
            "Your text contains words that are not allowed here. Please rephrase it."
        )
        in html
    )
    assert 'aria-invalid="true"' in html
    assert not Post.objects.filter(source="Sie TROTTEL!").exists()
    assert not ReviewItem.objects.exists()


def test_a_blocked_word_in_a_title_refuses_the_new_thread(client, cast):
    WordFilter.objects.create(pattern="Betrüger", action=FilterAction.BLOCK)
    client.force_login(cast.author)
    response = client.post(
        f"/forum/{cast.space.slug}/neues-thema/",
        new_thread_form(title="Alles Betrueger hier"),
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Thread.objects.exists()


def test_a_held_word_holds_an_edit(client, cast, thread):
    WordFilter.objects.create(pattern="Abzocke", action=FilterAction.HOLD)
    post = thread.posts.get()
    client.force_login(cast.other)
    client.post(
        f"/forum/beitrag/{post.pk}/bearbeiten/",
        {"title": thread.title, "source": "Reine Abzocke"},
    )
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.visibility == Visibility.PENDING
    assert thread.visibility == Visibility.PENDING
    item = ReviewItem.objects.get(target_kind="thread", target_id=thread.pk)
    assert item.source == ItemSource.HELD
    assert any("Abzocke" in finding for finding in item.findings)


def test_a_flagged_word_stores_the_reply_visible_and_queues_it(client, cast, thread):
    WordFilter.objects.create(pattern="Werbung", action=FilterAction.FLAG)
    client.force_login(cast.author)
    client.post(f"/forum/thema/{thread.pk}/antworten/", {"source": "Werbung: Bus!"})
    post = Post.objects.get(source="Werbung: Bus!")
    assert post.visibility == Visibility.VISIBLE
    item = ReviewItem.objects.get(target_kind="post", target_id=post.pk)
    assert item.source == ItemSource.FLAGGED


def test_moderators_of_the_space_are_never_held(client, cast, thread, hold_first_post):
    WordFilter.objects.create(pattern="Abzocke", action=FilterAction.HOLD)
    client.force_login(cast.space_moderator)
    client.post(f"/forum/thema/{thread.pk}/antworten/", {"source": "Keine Abzocke"})
    post = Post.objects.get(source="Keine Abzocke")
    assert post.visibility == Visibility.VISIBLE
    assert ReviewItem.objects.get(target_id=post.pk).source == ItemSource.FLAGGED


def test_members_with_an_approved_post_are_no_longer_held(
    client, cast, thread, hold_first_post
):
    client.force_login(cast.other)  # wrote the thread before the setting
    client.post(f"/forum/thema/{thread.pk}/antworten/", {"source": "Zweiter Beitrag"})
    assert Post.objects.get(source="Zweiter Beitrag").visibility == Visibility.VISIBLE


def test_the_case_of_a_held_reply_shows_its_attachments_and_says_it_is_held(
    client, cast, thread, hold_first_post, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.author)
    client.post(
        f"/forum/thema/{thread.pk}/antworten/",
        {
            "source": "Unser Fahrplan im Anhang",
            "files": [SimpleUploadedFile("fahrplan.pdf", PDF, "application/pdf")],
        },
    )
    post = Post.objects.get(source="Unser Fahrplan im Anhang")
    item = ReviewItem.objects.get(target_kind="post", target_id=post.pk)
    attachment = post.attachments.get()

    client.force_login(cast.space_moderator)
    page = client.get(f"/moderation/fall/{item.pk}/").content.decode()

    assert "Wartet auf Freigabe" in page
    assert "Gemeldeter Beitrag" not in page
    link = f'href="/forum/anhang/{attachment.pk}/fahrplan.pdf"'
    assert link in page
    assert client.get(f"/forum/anhang/{attachment.pk}/fahrplan.pdf").status_code == 200


def test_the_author_is_told_when_the_held_reply_is_approved(
    client, cast, thread, hold_first_post
):
    client.force_login(cast.author)
    client.post(f"/forum/thema/{thread.pk}/antworten/", {"source": "Endlich dabei"})
    post = Post.objects.get(source="Endlich dabei")
    item = ReviewItem.objects.get(target_kind="post", target_id=post.pk)
    client.force_login(cast.space_moderator)
    client.post(f"/moderation/fall/{item.pk}/", {"action": "approve"})

    client.force_login(cast.author)
    notice = Notification.objects.get(recipient=cast.author)
    assert "jetzt für alle sichtbar" in notice.title
    assert notice.url == post.get_absolute_url()
    page = client.get("/benachrichtigungen/").content.decode()
    assert "Freigegeben: Ihr Beitrag ist jetzt für alle sichtbar." in page
