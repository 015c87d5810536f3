"""Each decision: its effect, its audit row, its live event and who hears of it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditLogEntry
from chat.models import Membership
from community.models import Notification
from moderation.actions.decisions import DecisionRefused, decide
from moderation.actions.reports import report
from moderation.actions.review import open_review
from moderation.actions.sanctions import BAN_UNTIL, lift_sanction
from moderation.models import (
    Decision,
    ItemSource,
    ItemStatus,
    Report,
    ReviewItem,
    Sanction,
    Visibility,
)
from realtime import groups

pytestmark = pytest.mark.usefixtures("fast_passwords", "english")


@pytest.fixture
def reported(cast, fake_post):
    """`fake_post`, reported by `cast.other`: its open item."""
    report(cast.other, "fake_post", fake_post.pk, reason="insult", text="")
    return ReviewItem.objects.get(status=ItemStatus.OPEN)


def decide_capturing(capture, moderator, item, **options):
    with capture(execute=True):
        return decide(moderator, item, **options)


def audit_row():
    [entry] = AuditLogEntry.objects.exclude(action__endswith=".auto_hidden")
    return entry


@pytest.mark.parametrize(
    ("action", "visibility"),
    [("hide", Visibility.HIDDEN), ("delete", Visibility.REMOVED)],
)
def test_hiding_or_deleting_changes_the_content_and_closes_the_item(
    cast,
    fake_post,
    reported,
    published,
    django_capture_on_commit_callbacks,
    action,
    visibility,
):
    published.listen(groups.moderators(), groups.user(cast.author.pk))
    decision = decide_capturing(
        django_capture_on_commit_callbacks,
        cast.space_moderator,
        reported,
        action=action,
        rule="respect",
        reason="Persönlicher Angriff",
    )
    fake_post.refresh_from_db()
    assert fake_post.visibility == visibility
    reported.refresh_from_db()
    assert reported.status == ItemStatus.CLOSED
    assert reported.closed_by == cast.space_moderator
    entry = audit_row()
    past = {"hide": "hidden", "delete": "deleted"}[action]
    assert entry.action == f"moderation.fake_post.{past}"
    assert entry.actor == cast.space_moderator
    assert entry.reason == "Persönlicher Angriff"
    assert entry.data["decision"] == decision.pk
    assert entry.data["rule"] == "respect"
    [closed] = published.events(groups.moderators())
    assert (closed["op"], closed["item"]) == ("closed", reported.pk)
    [note] = published.events(groups.user(cast.author.pk))
    assert note["kind"] == "moderation"
    assert note["url"] == reverse("moderation:decision", args=[decision.pk])
    assert Report.objects.get().outcome == past
    outcome = Notification.objects.get(recipient=cast.other)
    assert (outcome.kind, outcome.url) == ("report", reverse("moderation:my_reports"))


def test_edit_replaces_the_text_with_a_visible_note_and_logs_before_and_after(
    cast, fake_post, reported, django_capture_on_commit_callbacks
):
    decide_capturing(
        django_capture_on_commit_callbacks,
        cast.global_moderator,
        reported,
        action="edit",
        rule="privacy",
        reason="Telefonnummer entfernt",
        source="Der Bürgerbus fährt ab Mai auch sonntags. [entfernt]",
        note="Telefonnummer entfernt",
    )
    fake_post.refresh_from_db()
    assert fake_post.source.endswith("[entfernt]")
    assert fake_post.moderator_note == "Telefonnummer entfernt"
    entry = audit_row()
    assert entry.action == "moderation.fake_post.edited"
    assert entry.data["before"] == "Der Bürgerbus fährt ab Mai auch sonntags."
    assert entry.data["after"].endswith("[entfernt]")


def test_dismissing_tells_the_reporter_but_not_the_author(
    cast, fake_post, reported, published, django_capture_on_commit_callbacks
):
    published.listen(groups.moderators())
    decide_capturing(
        django_capture_on_commit_callbacks,
        cast.space_moderator,
        reported,
        action="dismiss",
        rule="",
        reason="",
    )
    assert audit_row().action == "moderation.fake_post.dismissed"
    assert not Notification.objects.filter(recipient=cast.author).exists()
    assert Notification.objects.get(recipient=cast.other).kind == "report"
    assert published.events(groups.moderators())[0]["op"] == "closed"
    fake_post.refresh_from_db()
    assert fake_post.visibility == Visibility.VISIBLE


def test_dismissing_shows_auto_hidden_content_again(
    cast, fake_post, verified_member, settings
):
    settings.MODERATION_AUTO_HIDE_REPORTS = 1
    report(verified_member(), "fake_post", fake_post.pk, reason="spam")
    fake_post.refresh_from_db()
    assert fake_post.visibility == Visibility.HIDDEN
    decide(
        cast.space_moderator,
        ReviewItem.objects.get(),
        action="dismiss",
        rule="",
        reason="",
    )
    fake_post.refresh_from_db()
    assert fake_post.visibility == Visibility.VISIBLE
    assert audit_row().data["restored"] is True


def test_approving_a_held_post_makes_it_visible(
    cast, fake_post, published, django_capture_on_commit_callbacks
):
    fake_post.visibility = Visibility.PENDING
    fake_post.save(update_fields=["visibility"])
    item = open_review(
        "fake_post",
        fake_post,
        source=ItemSource.HELD,
        findings=["First posts of a new member"],
    )
    published.listen(groups.moderators())
    decide_capturing(
        django_capture_on_commit_callbacks,
        cast.space_moderator,
        item,
        action="approve",
        rule="",
        reason="",
    )
    fake_post.refresh_from_db()
    assert fake_post.visibility == Visibility.VISIBLE
    assert audit_row().action == "moderation.fake_post.approved"
    assert published.events(groups.moderators())[0]["op"] == "closed"
    # Approval is no statement of reasons, but the author learns it is out.
    [notice] = Notification.objects.filter(recipient=cast.author)
    assert notice.title == "Freigegeben: Ihr Beitrag ist jetzt für alle sichtbar."
    assert notice.url == f"/forum/beitrag/{fake_post.pk}/"
    assert notice.excerpt == fake_post.source


def test_a_held_item_cannot_be_dismissed(cast, fake_post):
    item = open_review("fake_post", fake_post, source=ItemSource.HELD)
    with pytest.raises(PermissionDenied):
        decide(cast.space_moderator, item, action="dismiss", rule="", reason="")
    assert not Decision.objects.exists()


def test_a_warning_is_a_statement_of_reasons_about_the_member(
    cast, fake_post, reported, published, django_capture_on_commit_callbacks
):
    published.listen(groups.user(cast.author.pk), groups.moderators())
    decision = decide_capturing(
        django_capture_on_commit_callbacks,
        cast.space_moderator,
        reported,
        action="warn",
        rule="respect",
        reason="Bitte sachlich bleiben",
    )
    entry = audit_row()
    assert entry.action == "moderation.member.warned"
    assert entry.target_id == str(cast.author.pk)
    assert entry.data["content"] == {"kind": "fake_post", "id": fake_post.pk}
    assert decision.member == cast.author
    assert published.events(groups.user(cast.author.pk))[0]["kind"] == "moderation"
    assert published.events(groups.moderators())[0]["op"] == "closed"
    fake_post.refresh_from_db()
    assert fake_post.visibility == Visibility.VISIBLE


def test_a_space_moderator_mutes_in_the_space_room_only(
    cast, reported, published, django_capture_on_commit_callbacks
):
    published.listen(groups.moderators())
    decision = decide_capturing(
        django_capture_on_commit_callbacks,
        cast.space_moderator,
        reported,
        action="mute",
        rule="respect",
        reason="Beleidigung",
        duration=timedelta(hours=24),
    )
    sanction = Sanction.objects.get()
    assert (sanction.kind, sanction.room_id) == ("mute", cast.room.pk)
    membership = Membership.objects.get(room=cast.room, user=cast.author)
    assert membership.muted_until == decision.ends_at
    cast.author.refresh_from_db()
    assert cast.author.chat_muted_until is None
    entry = audit_row()
    assert entry.action == "moderation.member.muted"
    assert entry.data["room"] == cast.room.pk
    assert published.events(groups.moderators())[0]["op"] == "closed"


def test_a_global_moderator_mutes_in_all_chat(
    cast, reported, django_capture_on_commit_callbacks
):
    decision = decide_capturing(
        django_capture_on_commit_callbacks,
        cast.global_moderator,
        reported,
        action="mute",
        rule="respect",
        reason="Beleidigung",
        duration=timedelta(hours=1),
    )
    cast.author.refresh_from_db()
    assert cast.author.chat_muted_until == decision.ends_at
    assert cast.author.is_chat_muted
    assert Sanction.objects.get().room_id is None
    assert audit_row().data["room"] is None


def test_suspension_ends_the_members_open_sessions(
    cast, reported, published, django_capture_on_commit_callbacks
):
    published.listen(groups.user(cast.author.pk), groups.moderators())
    decision = decide_capturing(
        django_capture_on_commit_callbacks,
        cast.global_moderator,
        reported,
        action="suspend",
        rule="law",
        reason="Wiederholte Verstöße",
        duration=timedelta(days=7),
    )
    cast.author.refresh_from_db()
    assert cast.author.suspended_until == decision.ends_at
    assert cast.author.is_suspended
    assert Sanction.objects.get().kind == "suspension"
    assert audit_row().action == "moderation.member.suspended"
    events = published.events(groups.user(cast.author.pk))
    assert {"type": "session.ended", "reason": "suspended"} in events
    assert published.events(groups.moderators())[0]["op"] == "closed"


def test_a_ban_has_no_end_and_the_statement_says_so(
    client, cast, reported, published, django_capture_on_commit_callbacks
):
    published.listen(groups.user(cast.author.pk))
    decision = decide_capturing(
        django_capture_on_commit_callbacks,
        cast.admin,
        reported,
        action="ban",
        rule="law",
        reason="Volksverhetzung",
    )
    cast.author.refresh_from_db()
    assert cast.author.suspended_until == BAN_UNTIL
    assert decision.ends_at is None
    sanction = Sanction.objects.get()
    assert (sanction.kind, sanction.ends_at) == ("ban", None)
    assert audit_row().action == "moderation.member.banned"
    assert {"type": "session.ended", "reason": "suspended"} in published.events(
        groups.user(cast.author.pk)
    )
    client.force_login(cast.author)
    page = client.get(reverse("moderation:decision", args=[decision.pk]))
    assert page.status_code == 200
    assert "unlimited" in page.content.decode()


@pytest.mark.parametrize("action", ["suspend", "ban"])
def test_a_space_moderator_cannot_suspend_or_ban(cast, reported, action):
    with pytest.raises(PermissionDenied):
        decide(
            cast.space_moderator,
            reported,
            action=action,
            rule="law",
            reason="x",
            duration=timedelta(days=1),
        )
    assert_untouched(cast, reported)


@pytest.mark.parametrize("role", ["foreign_moderator", "other", "author"])
def test_others_cannot_decide_and_nothing_changes(cast, reported, role):
    with pytest.raises(PermissionDenied):
        decide(
            cast.by_role(role) if role != "author" else cast.author,
            reported,
            action="hide",
            rule="respect",
            reason="x",
        )
    assert_untouched(cast, reported)


def assert_untouched(cast, item):
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN
    assert not Decision.objects.exists()
    assert not Sanction.objects.exists()
    assert not AuditLogEntry.objects.exists()
    cast.author.refresh_from_db()
    assert cast.author.suspended_until is None


def test_a_decided_item_cannot_be_decided_again(cast, reported):
    decide(cast.space_moderator, reported, action="hide", rule="respect", reason="x")
    with pytest.raises(DecisionRefused):
        decide(
            cast.global_moderator, reported, action="delete", rule="respect", reason="y"
        )
    assert Decision.objects.count() == 1


def test_a_mute_needs_a_duration_and_sanctions_need_a_rule(cast, reported):
    with pytest.raises(DecisionRefused):
        decide(
            cast.space_moderator, reported, action="mute", rule="respect", reason="x"
        )
    with pytest.raises(DecisionRefused):
        decide(cast.space_moderator, reported, action="warn", rule="", reason="x")
    assert not Decision.objects.exists()


def test_lifting_a_suspension_early_is_audited(cast, reported):
    decide(
        cast.global_moderator,
        reported,
        action="suspend",
        rule="law",
        reason="x",
        duration=timedelta(days=30),
    )
    sanction = Sanction.objects.get()
    assert lift_sanction(cast.admin, sanction, reason="Einsicht gezeigt")
    cast.author.refresh_from_db()
    assert cast.author.suspended_until is None
    sanction.refresh_from_db()
    assert sanction.lifted_by == cast.admin
    entry = AuditLogEntry.objects.get(action="moderation.member.unsuspended")
    assert entry.reason == "Einsicht gezeigt"
    assert entry.data["sanction"] == sanction.pk


def test_only_global_moderators_lift_sanctions(client, cast, reported):
    decide(
        cast.space_moderator,
        reported,
        action="mute",
        rule="respect",
        reason="x",
        duration=timedelta(hours=24),
    )
    sanction = Sanction.objects.get()
    client.force_login(cast.space_moderator)
    url = reverse("moderation:lift_sanction", args=[sanction.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403
    sanction.refresh_from_db()
    assert sanction.lifted_at is None
    client.force_login(cast.global_moderator)
    client.post(url, {"reason": "Versehen"})
    sanction.refresh_from_db()
    assert sanction.lifted_at is not None
    membership = Membership.objects.get(room=cast.room, user=cast.author)
    assert membership.muted_until is None
    assert AuditLogEntry.objects.filter(action="moderation.member.unmuted").exists()


def test_the_statement_of_reasons_names_rule_reason_and_end(client, cast, reported):
    decision = decide(
        cast.space_moderator,
        reported,
        action="mute",
        rule="respect",
        reason="Bitte sachlich bleiben",
        duration=timedelta(hours=24),
    )
    client.force_login(cast.author)
    page = client.get(reverse("moderation:decision", args=[decision.pk]))
    html = page.content.decode()
    assert "Mute in chat" in html
    assert "1. Treat each other with respect" in html
    assert "Bitte sachlich bleiben" in html
    local_end = timezone.localtime(decision.ends_at)
    assert f"{local_end:%H:%M}" in html or f"{local_end:%-H:%M}" in html
    assert "Submit objection" in html


def test_outsiders_do_not_see_a_statement_of_reasons(client, cast, reported):
    decision = decide(
        cast.space_moderator, reported, action="warn", rule="respect", reason="x"
    )
    url = reverse("moderation:decision", args=[decision.pk])
    for user in (cast.other, cast.foreign_moderator):
        client.force_login(user)
        assert client.get(url).status_code == 404
    for user in (cast.author, cast.space_moderator, cast.global_moderator):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_restoring_hidden_content_is_audited_and_announced(
    cast, fake_post, reported, published, django_capture_on_commit_callbacks
):
    fake_post.visibility = Visibility.HIDDEN
    fake_post.save(update_fields=["visibility"])
    published.listen(groups.moderators(), groups.user(cast.author.pk))
    decide_capturing(
        django_capture_on_commit_callbacks,
        cast.space_moderator,
        reported,
        action="restore",
        rule="respect",
        reason="Doch in Ordnung",
    )
    fake_post.refresh_from_db()
    assert fake_post.visibility == Visibility.VISIBLE
    assert audit_row().action == "moderation.fake_post.restored"
    assert published.events(groups.moderators())[0]["op"] == "closed"
    assert published.events(groups.user(cast.author.pk))[0]["kind"] == "moderation"


def test_every_decision_tells_the_queue_it_is_closed(
    cast, fake_post, published, django_capture_on_commit_callbacks, make_thread
):
    """Edit and a global mute too: one "closed" event each."""
    published.listen(groups.moderators())
    for options in (
        {"action": "edit", "source": "Neu", "note": "gekürzt"},
        {"action": "mute", "duration": timedelta(hours=1)},
    ):
        post = make_thread(cast.author, in_space=cast.space, title="Noch eins")
        post = post.posts.get()
        report(cast.other, "fake_post", post.pk, reason="spam")
        item = ReviewItem.objects.get(status=ItemStatus.OPEN)
        published.events(groups.moderators())  # the report's "opened"
        decide_capturing(
            django_capture_on_commit_callbacks,
            cast.global_moderator,
            item,
            rule="respect",
            reason="x",
            **options,
        )
        [event] = published.events(groups.moderators())
        assert (event["op"], event["item"]) == ("closed", item.pk)
