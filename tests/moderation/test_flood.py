"""Flood limits on the pages: replies, new threads and new direct conversations,
stricter for members still under pre-moderation, with a German message that
says when to try again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chat.models import Room, RoomKind
from forum.models import Post, Thread

DEFAULT_RATES = {
    "FORUM_REPLY_RATE": "1/5s",
    "FORUM_REPLY_RATE_NEWCOMER": "1/30s,10/d",
    "FORUM_THREAD_RATE": "1/m,20/d",
    "FORUM_THREAD_RATE_NEWCOMER": "1/5m,3/d",
    "CHAT_DIRECT_RATE": "1/10s,20/d",
    "CHAT_DIRECT_RATE_NEWCOMER": "1/m,3/d",
}


@pytest.fixture(autouse=True)
def production_rates(settings):
    """The production defaults (the test settings switch them off)."""
    for name, rate in DEFAULT_RATES.items():
        setattr(settings, name, rate)


@pytest.fixture
def clock(monkeypatch):
    """The limits' clock, moved on by hand."""

    class Clock:
        now = 1_800_000_000.0

        def advance(self, seconds: float) -> None:
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr("accounts.limits._now", lambda: clock.now)
    return clock


def reply(client, thread, text):
    return client.post(f"/forum/thema/{thread.pk}/antworten/", {"source": text})


def new_thread(client, space, title):
    return client.post(
        f"/forum/{space.slug}/neues-thema/",
        {"kind": "discussion", "title": title, "source": "Wer hat Erfahrung damit?"},
    )


def test_a_burst_of_replies_is_stopped_after_the_first(
    member_client, make_thread, clock
):
    thread = make_thread()
    statuses = [
        reply(member_client, thread, f"Antwort {n}").status_code for n in range(30)
    ]
    assert statuses[0] == 302
    assert set(statuses[1:]) == {429}
    assert thread.posts.count() == 2  # the opening post and one reply


def test_the_refusal_says_in_german_when_to_reply_again_and_keeps_the_text(
    member_client, make_thread, clock
):
    thread = make_thread()
    reply(member_client, thread, "Erste Antwort")
    clock.advance(2)
    response = reply(member_client, thread, "Zweite Antwort, sorgfältig formuliert")
    assert response.status_code == 429
    assert response["Retry-After"] == "3"
    html = response.content.decode()
    assert "Sie haben das Limit für Antworten erreicht." in html
    assert "Sie können in 3 Sekunden wieder antworten." in html
    assert "Zweite Antwort, sorgfältig formuliert</textarea>" in html


def test_replies_are_accepted_again_after_the_interval(
    member_client, make_thread, clock
):
    thread = make_thread()
    reply(member_client, thread, "Erste Antwort")
    clock.advance(5.1)
    assert reply(member_client, thread, "Zweite Antwort").status_code == 302
    assert thread.posts.count() == 3


def test_a_reply_the_word_filter_refuses_does_not_count(
    member_client, make_thread, clock, staff_member
):
    from moderation.actions.filters import add_word

    add_word(staff_member, pattern="Mist", action="block", whole_word=True)
    thread = make_thread()
    assert reply(member_client, thread, "So ein Mist").status_code == 400
    assert reply(member_client, thread, "Verzeihung, sachlich").status_code == 302


def test_new_threads_wait_a_minute_and_stop_after_twenty_a_day(
    member_client, space, clock
):
    assert new_thread(member_client, space, "Erstes Thema").status_code == 302
    response = new_thread(member_client, space, "Zweites Thema")
    assert response.status_code == 429
    assert "Sie können in 60 Sekunden ein weiteres Thema eröffnen." in (
        response.content.decode()
    )
    for n in range(19):
        clock.advance(61)
        assert new_thread(member_client, space, f"Thema {n}").status_code == 302
    clock.advance(61)
    response = new_thread(member_client, space, "Thema 21")
    assert response.status_code == 429
    assert "Sie haben das Limit für neue Themen erreicht." in response.content.decode()
    assert Thread.objects.count() == 20


def test_members_under_pre_moderation_have_stricter_limits(
    client, make_member, make_thread, settings, clock
):
    thread = make_thread()
    settings.MODERATION_HOLD_FIRST_POSTS = 1
    newcomer = make_member(name="Neu Mitglied")
    client.force_login(newcomer)
    assert reply(client, thread, "Erste Antwort").status_code == 302
    clock.advance(10)  # enough for a member, not for a newcomer
    response = reply(client, thread, "Zweite Antwort")
    assert response.status_code == 429
    assert "in 20 Sekunden" in response.content.decode()


def test_staff_are_not_limited(client, staff_member, make_thread, clock):
    thread = make_thread()
    client.force_login(staff_member)
    for n in range(5):
        assert reply(client, thread, f"Hinweis {n}").status_code == 302
    assert Post.objects.filter(author=staff_member).count() == 5


# --- Direct conversations ------------------------------------------------------


def start_direct(client, other):
    return client.post(reverse("chat:direct"), {"members": [other.pk]})


def test_a_burst_of_new_direct_conversations_is_stopped(
    member_client, make_member, clock
):
    others = [make_member() for _ in range(25)]
    statuses = [start_direct(member_client, other).status_code for other in others]
    assert statuses[0] == 302
    assert set(statuses[1:]) == {429}
    assert Room.objects.filter(kind=RoomKind.DIRECT).count() == 1


def test_a_member_opens_at_most_twenty_new_direct_conversations_a_day(
    member_client, make_member, clock
):
    others = [make_member() for _ in range(21)]
    for other in others[:20]:
        assert start_direct(member_client, other).status_code == 302
        clock.advance(11)
    response = start_direct(member_client, others[20])
    assert response.status_code == 429
    html = response.content.decode()
    assert "Sie haben das Limit für neue Direktgespräche erreicht." in html
    assert "Uhr" in html  # a day's cap names the time, not seconds


def test_a_brand_new_account_opens_few_direct_conversations(
    client, make_member, settings, clock
):
    settings.MODERATION_HOLD_FIRST_POSTS = 1
    newcomer = make_member(name="Neu Mitglied")
    others = [make_member() for _ in range(4)]
    client.force_login(newcomer)
    for other in others[:3]:
        assert start_direct(client, other).status_code == 302
        clock.advance(61)
    assert start_direct(client, others[3]).status_code == 429


def test_returning_to_an_existing_conversation_does_not_count(
    member_client, make_member, clock
):
    colleague = make_member(name="Kai Kollege")
    assert start_direct(member_client, colleague).status_code == 302
    for _ in range(3):
        response = start_direct(member_client, colleague)
        assert response.status_code == 302
    assert Room.objects.filter(kind=RoomKind.DIRECT).count() == 1
