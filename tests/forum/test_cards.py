"""The thread page's cached post cards: every change shows at once.

Each test reads the page first, so that the posts' cards and actions are in
the cache, then changes something the way members and moderators do and
reads the page again.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from forum.actions.moderation import restore_post
from forum.actions.posts import reply
from forum.models import Post
from moderation.models import ReviewItem, Visibility


@pytest.fixture
def colleague(make_member) -> User:
    return make_member(name="Jonas Peer")


@pytest.fixture
def thread(make_thread, colleague):
    return make_thread(author=colleague, title="Rufbus", source="Wie fangen wir an?")


@pytest.fixture
def other():
    """A second browser (`member_client` is pytest-django's `client`)."""
    return Client()


def read(client, thread, page: int = 1) -> str:
    response = client.get(f"/forum/thema/{thread.pk}/?seite={page}")
    assert response.status_code == 200
    return response.content.decode()


def post_html(html: str, post: Post) -> str:
    """The <li> of one post on the page."""
    start = html.index(f'id="beitrag-{post.pk}"')
    return html[start : html.index("</li>", start)]


def test_an_edited_post_shows_its_new_text_and_versions(
    other, member_client, member, thread, colleague
):
    mine = reply(member, thread, source="Erste Fassung")
    other.force_login(colleague)
    assert "Erste Fassung" in read(other, thread)
    assert "Erste Fassung" in read(member_client, thread)

    member_client.post(
        f"/forum/beitrag/{mine.pk}/bearbeiten/", {"source": "Zweite Fassung"}
    )

    theirs = post_html(read(other, thread), mine)
    assert "Zweite Fassung" in theirs and "Erste Fassung" not in theirs
    assert "bearbeitet" in theirs
    assert "versionen/" not in theirs  # the history is for those who may edit
    own = post_html(read(member_client, thread), mine)
    assert "Zweite Fassung" in own and "2 Versionen" in own


def test_a_hidden_post_becomes_a_placeholder_and_comes_back_restored(
    other, member_client, member, thread, staff_member, colleague
):
    rude = reply(colleague, thread, source="Unhöflicher Beitrag")
    assert "Unhöflicher Beitrag" in read(member_client, thread)

    member_client.post(
        reverse("moderation:report", args=["post", rude.pk]), {"reason": "insult"}
    )
    other.force_login(staff_member)
    other.post(
        reverse("moderation:item", args=[ReviewItem.objects.get().pk]),
        {"action": "hide", "rule": "respect", "reason": "Beleidigung"},
    )

    hidden = post_html(read(member_client, thread), rude)
    assert "Unhöflicher Beitrag" not in hidden
    assert "Von der Moderation ausgeblendet" in hidden
    assert 'class="reaction' not in hidden  # nobody reacts to a placeholder
    # The moderator still reads the text, marked as hidden.
    assert "Unhöflicher Beitrag" in post_html(read(other, thread), rude)

    restore_post(staff_member, Post.objects.get(pk=rude.pk))
    assert "Unhöflicher Beitrag" in post_html(read(member_client, thread), rude)


def test_a_removed_post_loses_its_text_for_everyone(
    other, member_client, thread, staff_member, colleague
):
    from forum.actions.moderation import delete_post

    gone = reply(colleague, thread, source="Bald gelöscht")
    other.force_login(colleague)
    assert "Bald gelöscht" in read(other, thread)
    delete_post(staff_member, gone)
    for reader in (other, member_client):
        removed = post_html(read(reader, thread), gone)
        assert "Bald gelöscht" not in removed
        assert "Von der Moderation entfernt" in removed


def test_an_approved_post_appears_for_everyone(
    other, member_client, member, thread, staff_member, colleague
):
    from forum.actions.moderation import approve_post

    waiting = reply(colleague, thread, source="Wartet auf Freigabe")
    Post.objects.filter(pk=waiting.pk).update(visibility=Visibility.PENDING)
    other.force_login(colleague)
    own = post_html(read(other, thread), Post.objects.get(pk=waiting.pk))
    assert "wartet auf Freigabe durch die Moderation" in own
    assert "Wartet auf Freigabe" not in read(member_client, thread)

    approve_post(staff_member, Post.objects.get(pk=waiting.pk))
    assert "Wartet auf Freigabe" in read(member_client, thread)
    assert "wartet auf Freigabe" not in post_html(read(other, thread), waiting)


def test_a_moderators_edit_shows_with_its_note(
    member_client, thread, staff_member, colleague
):
    from forum.actions.moderation import edit_post_as_moderator

    post = reply(colleague, thread, source="Mit Telefonnummer 0123")
    read(member_client, thread)
    edit_post_as_moderator(
        staff_member, post, source="Ohne Nummer", note="Telefonnummer entfernt"
    )
    html = post_html(read(member_client, thread), post)
    assert "Ohne Nummer" in html and "0123" not in html
    assert "Telefonnummer entfernt" in html


def test_a_changed_name_shows_on_every_card_of_the_member(
    other, member_client, member, thread, add_posts
):
    add_posts(thread, member, 21)  # cards on two pages
    other.force_login(User.objects.get(name="Jonas Peer"))
    assert "Anna Beispiel" in read(other, thread, 2)
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {"name": "Anna Neumann", "municipality": member.municipality.ags},
    )
    assert response.status_code == 302
    for page in (1, 2):
        html = read(other, thread, page)
        assert "Anna Neumann" in html and "Anna Beispiel" not in html


def test_a_deleted_account_shows_as_former_member_on_cached_cards(
    other, member_client, member, thread, password
):
    mine = reply(member, thread, source="Mein Beitrag bleibt")
    other.force_login(User.objects.get(name="Jonas Peer"))
    assert "Anna Beispiel" in post_html(read(other, thread), mine)
    member_client.post(
        "/meine-daten/konto-loeschen/", {"password": password, "confirm": "on"}
    )
    card = post_html(read(other, thread), mine)
    assert "Mein Beitrag bleibt" in card
    assert "Ehemaliges Mitglied" in card and "Anna Beispiel" not in card
    # A former member has no profile to link to.
    assert f'href="/mitglieder/{member.pk}/"' not in card


def test_the_cards_follow_the_language_switch(member_client, member, thread):
    mine = reply(member, thread, source="Zweisprachig")
    member_client.post(
        f"/forum/beitrag/{mine.pk}/bearbeiten/", {"source": "Zweisprachig, neu"}
    )
    german = post_html(read(member_client, thread), mine)
    assert "bearbeitet" in german and "Bearbeiten" in german
    member_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = post_html(read(member_client, thread), mine)
    assert "edited" in english and ">Edit<" in english
    assert "bearbeitet" not in english
    member_client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert "bearbeitet" in post_html(read(member_client, thread), mine)


def test_reactions_count_for_all_and_show_pressed_only_for_the_giver(
    other, member_client, thread, colleague
):
    opening = thread.posts.get()
    other.force_login(colleague)
    read(other, thread)
    read(member_client, thread)
    member_client.post(f"/forum/beitrag/{opening.pk}/reaktion/", {"kind": "thanks"})

    mine = post_html(read(member_client, thread), opening)
    count = r'[^>]*>Danke<span class="visually-hidden">,</span> <span class="count">1<'
    assert re.search('aria-pressed="true"' + count, mine)
    theirs = post_html(read(other, thread), opening)
    assert re.search('aria-pressed="false"' + count, theirs)


def test_the_solution_badge_moves_with_the_mark(member_client, make_thread, colleague):
    seek = make_thread(kind="seek", title="Suche Fahrplan", topic="mobility")
    first = reply(colleague, seek, source="Antwort eins")
    second = reply(colleague, seek, source="Antwort zwei")
    read(member_client, seek)
    member_client.post(f"/forum/beitrag/{first.pk}/loesung/")
    html = read(member_client, seek)
    assert "badge-solution" in post_html(html, first)
    assert "Doch nicht die Lösung" in post_html(html, first)
    member_client.post(f"/forum/beitrag/{second.pk}/loesung/")
    html = read(member_client, seek)
    assert "badge-solution" not in post_html(html, first)
    assert "badge-solution" in post_html(html, second)


def test_each_reader_gets_their_own_links_on_the_same_cards(
    other, member_client, member, thread, colleague
):
    mine = reply(member, thread, source="Von Anna")
    other.force_login(colleague)
    theirs = post_html(read(other, thread), mine)
    own = post_html(read(member_client, thread), mine)
    assert "/bearbeiten/" in own and "report-link" not in own
    assert "/bearbeiten/" not in theirs and "report-link" in theirs
    assert "Beitrag von Anna Beispiel" in theirs


def test_one_form_serves_every_button_of_the_page(
    member_client, member, thread, add_posts, colleague
):
    """Buttons name the page's one form; its CSRF token is there once."""
    add_posts(thread, colleague, 19)
    html = read(member_client, thread)
    buttons = re.findall(r"<button[^>]*formaction=[^>]*>", html)
    assert len(buttons) == 20 * 4  # four reactions per post
    assert all('form="post-actions-form"' in b for b in buttons)
    assert html.count('id="post-actions-form"') == 1
    # The language switch, follow, the buttons' form and the reply form.
    assert html.count('name="csrfmiddlewaretoken"') == 4
