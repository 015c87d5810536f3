"""Every moderation page, asked by every role: who gets in, who is refused,
and that a refused request writes nothing.

Anonymous visitors are sent to the login page everywhere. The other answers
follow moderation.permissions: content one cannot see or a decision about
someone else is 404; a page one may see but not use is 403.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse

from audit.models import AuditLogEntry
from moderation.actions.decisions import decide
from moderation.actions.reports import report
from moderation.models import (
    Appeal,
    Decision,
    ModeratorNote,
    Report,
    ReviewItem,
    Sanction,
    WordFilter,
)
from tests.moderation.conftest import MODERATORS_OF_SPACE, ROLES

pytestmark = pytest.mark.usefixtures("fast_passwords", "english")
MATRIX_ROLES = [*ROLES, "author"]
MODERATORS = {"space_moderator", "foreign_moderator", "global_moderator", "admin"}
GLOBAL = {"global_moderator", "admin"}
EVERYONE = set(MATRIX_ROLES) - {"anonymous"}


@dataclass
class World:
    cast: object
    post: object
    item: object  # open, reported by `other`
    decision: object  # a warning of the author, on a closed item
    sanction: object
    word: object


@pytest.fixture
def world(cast, fake_post, make_thread):
    report(cast.other, "fake_post", fake_post.pk, reason="spam")
    warned_post = make_thread(
        cast.author, in_space=cast.space, title="Zweites"
    ).posts.get()
    report(cast.other, "fake_post", warned_post.pk, reason="insult")
    closed = ReviewItem.objects.get(target_id=warned_post.pk)
    decision = decide(
        cast.global_moderator,
        closed,
        action="mute",
        rule="respect",
        reason="x",
        duration=timedelta(days=1),
    )
    word = WordFilter.objects.create(pattern="Depp", action="block")
    return World(
        cast=cast,
        post=fake_post,
        item=ReviewItem.objects.get(target_id=fake_post.pk),
        decision=decision,
        sanction=decision.sanctions.get(),
        word=word,
    )


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Report,
            ReviewItem,
            Decision,
            Appeal,
            Sanction,
            ModeratorNote,
            WordFilter,
            AuditLogEntry,
        )
    }


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    allowed: frozenset
    # Status for refused roles that are not 403.
    not_found: frozenset = frozenset()

    def url(self, w: World) -> str:
        c = w.cast
        return {
            "report_form": reverse("moderation:report", args=["fake_post", w.post.pk]),
            "report": reverse("moderation:report", args=["fake_post", w.post.pk]),
            "profile_report": reverse(
                "moderation:report", args=["profile", c.author.pk]
            ),
            "my_reports": reverse("moderation:my_reports"),
            "queue": reverse("moderation:queue"),
            "item": reverse("moderation:item", args=[w.item.pk]),
            "decide": reverse("moderation:item", args=[w.item.pk]),
            "decision": reverse("moderation:decision", args=[w.decision.pk]),
            "object": reverse("moderation:decision", args=[w.decision.pk]),
            "word_filter": reverse("moderation:word_filter"),
            "word_add": reverse("moderation:word_filter"),
            "word_delete": reverse("moderation:word_filter_delete", args=[w.word.pk]),
            "member": reverse("moderation:member", args=[c.author.pk]),
            "member_note": reverse("moderation:member", args=[c.author.pk]),
            "lift": reverse("moderation:lift_sanction", args=[w.sanction.pk]),
            "audit_log": reverse("moderation:audit_log"),
            "audit_export": reverse("moderation:audit_export"),
        }[self.name]

    def data(self) -> dict:
        return {
            "report": {"reason": "spam"},
            "profile_report": {"reason": "insult"},
            "decide": {"action": "hide", "rule": "respect", "reason": "x"},
            "object": {"text": "Ich widerspreche."},
            "word_add": {"pattern": "Trottel", "action": "flag"},
            "member_note": {"text": "Notiz"},
            "lift": {"reason": "Versehen"},
        }.get(self.name, {})


ENDPOINTS = [
    # Everyone may report what they see, except the author their own content.
    Endpoint("report_form", "get", frozenset(EVERYONE - {"author"})),
    # `other` already reported this item: a message, no new row (see below).
    Endpoint("report", "post", frozenset(EVERYONE - {"author"})),
    Endpoint("profile_report", "post", frozenset(EVERYONE - {"author"})),
    Endpoint("my_reports", "get", frozenset(EVERYONE)),
    Endpoint("queue", "get", frozenset(MODERATORS)),
    Endpoint("item", "get", frozenset(MODERATORS_OF_SPACE)),
    Endpoint("decide", "post", frozenset(MODERATORS_OF_SPACE)),
    Endpoint(
        "decision",
        "get",
        frozenset(MODERATORS_OF_SPACE | {"author"}),
        not_found=frozenset({"other", "foreign_moderator"}),
    ),
    Endpoint(
        "object",
        "post",
        frozenset({"author"}),
        not_found=frozenset({"other", "foreign_moderator"}),
    ),
    Endpoint("word_filter", "get", frozenset(GLOBAL)),
    Endpoint("word_add", "post", frozenset(GLOBAL)),
    Endpoint("word_delete", "post", frozenset(GLOBAL)),
    Endpoint("member", "get", frozenset(GLOBAL)),
    Endpoint("member_note", "post", frozenset(GLOBAL)),
    Endpoint("lift", "post", frozenset(GLOBAL)),
    Endpoint("audit_log", "get", frozenset(GLOBAL)),
    Endpoint("audit_export", "get", frozenset(GLOBAL)),
]


@pytest.mark.parametrize("role", MATRIX_ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_permission_matrix(client, world, endpoint, role):
    cast = world.cast
    user = cast.author if role == "author" else cast.by_role(role)
    if user is not None:
        client.force_login(user)
    before = counts()
    send = getattr(client, endpoint.method)
    response = send(endpoint.url(world), endpoint.data())

    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("account_login") in response.url
        assert counts() == before
        return
    if role not in endpoint.allowed:
        expected = 404 if role in endpoint.not_found else 403
        assert response.status_code == expected
        assert counts() == before, "a refused request wrote something"
        return
    assert response.status_code in (200, 302)
    after = counts()
    if endpoint.method == "get":
        assert after == before
    elif endpoint.name == "report" and role == "other":
        assert after == before  # the second report on an open item
    else:
        assert after != before


def test_a_foreign_moderator_cannot_mute_through_a_crafted_form(client, world):
    client.force_login(world.cast.foreign_moderator)
    before = counts()
    response = client.post(
        reverse("moderation:item", args=[world.item.pk]),
        {"action": "mute", "rule": "respect", "reason": "x", "duration": "24"},
    )
    assert response.status_code == 403
    assert counts() == before


def test_a_space_moderator_cannot_suspend_through_a_crafted_form(client, world):
    client.force_login(world.cast.space_moderator)
    before = counts()
    response = client.post(
        reverse("moderation:item", args=[world.item.pk]),
        {"action": "suspend", "rule": "law", "reason": "x", "duration": "24"},
    )
    # Not offered: the form refuses the choice, nothing is written.
    assert response.status_code == 200
    assert counts() == before
    world.cast.author.refresh_from_db()
    assert world.cast.author.suspended_until is None
