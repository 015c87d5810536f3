"""The notification list (shared with chat) and e-mail notifications."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from community import notification_targets
from community.models import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from community.queries.notifications import UNREAD_KEY
from realtime import groups
from realtime.publish import publish_many_on_commit, publish_on_commit

UNSUBSCRIBE_SALT = "forum.notifications.unsubscribe"
# The text an e-mail carries of a post or message; the link has the rest.
EXCERPT_LENGTH = 1500


def _unread_changed(user_ids: Iterable[int]) -> None:
    """The members' unread counts change with this transaction: their cached
    counts go now, and again once it commits (a page read meanwhile may have
    cached the count from before)."""
    keys = [UNREAD_KEY.format(pk) for pk in set(user_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    actor: User | None,
    title: str,
    url: str,
    excerpt: str = "",
    email_delay: timedelta | None = None,
    target: tuple[str, int] | None = None,
) -> list[Notification]:
    """Add a notification for each recipient (never for the actor themself)
    who may see `target` (`(kind, id)`, community.notification_targets).

    `excerpt` is the plain text it is about (the e-mail quotes it). Members
    who chose immediate e-mail get one after commit; the others find it in
    their list (and in the daily digest if they chose one). With `email_delay`
    (chat) nothing is mailed at once: still unread after the delay, it goes
    out as a missed-message e-mail (`send_missed_notifications`). Whether the
    recipient may still see the target is asked again before any e-mail.
    """
    target_kind, target_id = target or ("", None)
    others = [user for user in recipients if actor is None or user.pk != actor.pk]
    people = {
        user.pk: user
        for user in notification_targets.readers(others, target_kind, target_id)
    }
    if not people:
        return []
    email_after = timezone.now() + email_delay if email_delay is not None else None
    created = Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            kind=kind,
            actor=actor,
            title=title[:300],
            url=url,
            excerpt=excerpt[:EXCERPT_LENGTH],
            email_after=email_after,
            target_kind=target_kind,
            target_id=target_id,
        )
        for pk in people
    )
    publish_many_on_commit(
        (added_event(notification), [groups.user(notification.recipient_id)])
        for notification in created
    )
    _unread_changed(people)
    if email_delay is not None:
        return created
    immediate = set(
        NotificationSettings.objects.filter(
            user_id__in=people, email=EmailFrequency.IMMEDIATELY
        ).values_list("user_id", flat=True)
    )
    for notification in created:
        if notification.recipient_id in immediate:
            transaction.on_commit(lambda n=notification: send_notification_email(n.pk))
    return created


def added_event(notification: Notification) -> dict:
    return {
        "type": "notification",
        "op": "add",
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "url": notification.url,
    }


def add_to_unread(notification: Notification, *, excerpt: str) -> None:
    """A further message for an unread notification (a direct conversation's
    next message): its text joins the excerpt; no new entry, no new event."""
    joined = f"{notification.excerpt}\n\n{excerpt}" if notification.excerpt else excerpt
    notification.excerpt = joined[-EXCERPT_LENGTH:]
    notification.save(update_fields=["excerpt"])


def mark_read_at(user: User, url_prefix: str) -> int:
    """Mark read what `user` has just seen: every unread notification whose
    URL starts with `url_prefix` (a chat room read to its end). The member's
    tabs lower their counts (`notification` with `op` "read")."""
    unread = Notification.objects.filter(
        recipient=user, read_at__isnull=True, url__startswith=url_prefix
    )
    kinds = list(unread.values_list("kind", flat=True))
    if not kinds:
        return 0
    unread.update(read_at=timezone.now())
    _unread_changed([user.pk])
    publish_on_commit(
        {
            "type": "notification",
            "op": "read",
            "count": len(kinds),
            "direct": kinds.count(NotificationKind.DIRECT_MESSAGE),
        },
        to=[groups.user(user.pk)],
    )
    return len(kinds)


def unsubscribe_token(user: User) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token: str) -> User | None:
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(user: User, subject: str, template: str, context: dict) -> None:
    unsubscribe = _absolute(
        reverse("community:unsubscribe", args=[unsubscribe_token(user)])
    )
    context = {
        **context,
        "member": user,
        "unsubscribe_url": unsubscribe,
        "settings_url": _absolute(reverse("community:notification_settings")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
    message = EmailMessage(
        subject,
        body,
        to=[user.email],
        # One-click unsubscribe in mail clients (RFC 8058).
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def send_notification_email(notification_id: int) -> bool:
    """Send one notification by e-mail now; returns whether one went out."""
    notification = (
        Notification.objects.select_related("recipient", "actor")
        .filter(pk=notification_id, emailed_at__isnull=True, read_at__isnull=True)
        .first()
    )
    if notification is None or not notification.recipient.is_active:
        return False
    if _withdraw_unseeable(notification.recipient, [notification]):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Zukunftsraum: %(title)s") % {"title": notification.title}
    _send(
        notification.recipient,
        subject,
        "community/email/notification.txt",
        {"notification": notification, "url": _absolute(notification.url)},
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def _missed_chat_wanted(user_ids: Iterable[int]) -> set[int]:
    """Who of `user_ids` wants missed-message e-mails: all but those who
    unsubscribed from every e-mail or switched these off."""
    refused = set(
        NotificationSettings.objects.filter(user_id__in=user_ids)
        .filter(Q(email=EmailFrequency.NEVER) | Q(email_missed_chat=False))
        .values_list("user_id", flat=True)
    )
    return set(user_ids) - refused


def send_missed_notifications(now=None) -> int:
    """Mail every member their chat notifications left unread past their delay
    (one e-mail per member with each message's text); returns the e-mails
    sent. Run every minute (cron: `manage.py send_missed_messages`)."""
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(
            email_after__lte=now,
            read_at__isnull=True,
            emailed_at__isnull=True,
            recipient__is_active=True,
        )
        .select_related("recipient", "actor")
        .order_by("recipient_id", "created_at")
    )
    wanted = _missed_chat_wanted({n.recipient_id for n in due})
    by_member: dict[int, list[Notification]] = {}
    for notification in due:
        by_member.setdefault(notification.recipient_id, []).append(notification)
    sent = 0
    for member_id, entries in by_member.items():
        # Access may have ended since (removed from the room): withdrawn.
        member = entries[0].recipient
        gone = _withdraw_unseeable(member, entries)
        entries = [n for n in entries if n.pk not in gone]
        if not entries:
            continue
        # Settled either way: mailed now, or not wanted by the member.
        Notification.objects.filter(pk__in=[n.pk for n in entries]).update(
            emailed_at=now
        )
        if member_id not in wanted:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = (
                _("Zukunftsraum: %(title)s") % {"title": entries[0].title}
                if len(entries) == 1
                else _("Zukunftsraum: %(count)d unread messages in the chat")
                % {"count": len(entries)}
            )
        _send(
            member,
            subject,
            "community/email/missed_messages.txt",
            {"entries": [(n, _absolute(n.url)) for n in entries]},
        )
        sent += 1
    return sent


def send_digest(user: User) -> int:
    """Mail `user` their unread, not yet e-mailed notifications in one message."""
    pending = list(
        Notification.objects.filter(
            recipient=user, read_at__isnull=True, emailed_at__isnull=True
        )
        .select_related("actor")
        .order_by("created_at")[:100]
    )
    gone = _withdraw_unseeable(user, pending)
    pending = [n for n in pending if n.pk not in gone]
    if pending:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Zukunftsraum: your daily summary")
        entries = [(n, _absolute(n.url)) for n in pending]
        _send(user, subject, "community/email/digest.txt", {"entries": entries})
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            emailed_at=timezone.now()
        )
    NotificationSettings.objects.filter(user=user).update(last_digest_at=timezone.now())
    return len(pending)


def send_digests() -> int:
    """Send every daily digest that is due; returns the number of e-mails."""
    due = timezone.now() - timezone.timedelta(hours=20)
    # Members who never chose get the daily digest (the model's default).
    members = (
        User.objects.filter(
            Q(notification_settings__isnull=True)
            | Q(notification_settings__email=EmailFrequency.DAILY),
            is_active=True,
            notifications__read_at__isnull=True,
            notifications__emailed_at__isnull=True,
        )
        .exclude(notification_settings__last_digest_at__gt=due)
        .distinct()
    )
    sent = 0
    for user in members.iterator():
        if send_digest(user):
            sent += 1
    return sent


@transaction.atomic
def set_email_frequency(
    user: User, frequency: str, *, missed_chat: bool | None = None
) -> bool:
    """Save the member's e-mail choices; `missed_chat` None leaves that one."""
    prefs, _ = NotificationSettings.objects.get_or_create(user=user)
    changed = []
    if prefs.email != frequency:
        prefs.email = frequency
        changed.append("email")
    if missed_chat is not None and prefs.email_missed_chat != missed_chat:
        prefs.email_missed_chat = missed_chat
        changed.append("email_missed_chat")
    if changed:
        prefs.save(update_fields=changed)
    return bool(changed)


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of `user`'s notifications read; returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    marked = unread.update(read_at=timezone.now())
    if marked:
        _unread_changed([user.pk])
    return marked


def withdraw_notifications(*, url: str, kinds: Iterable[str]) -> int:
    """Notifications of `kinds` pointing at `url` and not yet e-mailed are
    withdrawn (the content was hidden or removed): they never reach a list or
    a digest again. Returns how many."""
    pending = Notification.objects.filter(
        url=url, kind__in=list(kinds), emailed_at__isnull=True
    )
    recipients = set(pending.values_list("recipient_id", flat=True))
    if not recipients:
        return 0
    withdrawn, _ = pending.delete()
    _unread_changed(recipients)
    return withdrawn


def _withdraw_unseeable(user: User, notifications: list[Notification]) -> set[int]:
    """Withdraw (delete) the notifications whose target `user` may no longer
    see; returns their ids. Asked before every e-mail: access may have ended
    since the notification was made."""
    gone = {
        n.pk
        for n in notifications
        if not notification_targets.can_see(user, n.target_kind, n.target_id)
    }
    if gone:
        Notification.objects.filter(pk__in=gone).delete()
        _unread_changed([user.pk])
    return gone


def erase_notifications(member: User) -> None:
    """The community's part of an account deletion: the member's list and
    e-mail settings concerned only them; what they wrote leaves the others'
    notifications (the excerpts quote it)."""
    Notification.objects.filter(recipient=member).delete()
    NotificationSettings.objects.filter(user=member).delete()
    _unread_changed([member.pk])
    Notification.objects.filter(actor=member).update(excerpt="")
