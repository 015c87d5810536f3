"""Reads of the public pages."""

from typing import Any

from pages.models import AccessibilityFeedback


def export_accessibility_feedback(member) -> list[dict[str, Any]]:
    """Pages' part of a member's data export: the feedback they sent signed in."""
    return [
        {
            "created_at": feedback.created_at,
            "page_url": feedback.page_url,
            "name": feedback.name,
            "email": feedback.email,
            "message": feedback.message,
            "answered_at": feedback.answered_at,
        }
        for feedback in AccessibilityFeedback.objects.filter(member=member).order_by(
            "created_at"
        )
    ]
