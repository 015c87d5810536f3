"""The one write of the audit log. Every app's decisions call `log_action`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from audit.models import AuditLogEntry

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def log_action(
    actor: AbstractBaseUser | None,
    action: str,
    *,
    target: models.Model | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Record a decision under a dotted name (`accounts.member.verified`).

    Call it inside the transaction of the decision, so both commit or neither.
    """
    entry = AuditLogEntry(actor=actor, action=action, reason=reason, data=data or {})
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:300]
    entry.save()
    return entry
