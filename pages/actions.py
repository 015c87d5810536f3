"""Writes of the public pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from pages.models import AccessibilityFeedback


@transaction.atomic
def submit_accessibility_feedback(
    sender,
    *,
    message: str,
    page_url: str = "",
    name: str = "",
    email: str = "",
) -> AccessibilityFeedback:
    """Store feedback on a barrier and mail it to the Geschäftsstelle after commit.

    `sender` is the signed-in member or an anonymous visitor. The mail goes to
    STAFF_EMAIL, or to every active staff account if that is not set; a reply
    goes to the address the sender gave.
    """
    feedback = AccessibilityFeedback.objects.create(
        message=message,
        page_url=page_url,
        name=name,
        email=email,
        member=sender if sender.is_authenticated else None,
    )
    transaction.on_commit(lambda: _mail_staff(feedback))
    return feedback


def _staff_addresses() -> list[str]:
    if settings.STAFF_EMAIL:
        return [settings.STAFF_EMAIL]
    return list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _mail_staff(feedback: AccessibilityFeedback) -> None:
    recipients = _staff_addresses()
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"feedback": feedback}
        subject = render_to_string(
            "pages/email/accessibility_feedback_subject.txt", context
        )
        body = render_to_string(
            "pages/email/accessibility_feedback_message.txt", context
        )
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=recipients,
        reply_to=[feedback.email] if feedback.email else None,
    ).send()


def erase_feedback_sender(member) -> None:
    """Pages' eraser: feedback stays (it is about the platform), without its sender."""
    AccessibilityFeedback.objects.filter(member=member).update(
        member=None, name="", email=""
    )
