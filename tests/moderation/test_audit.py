import pytest

from audit.actions import log_action
from audit.models import AuditLogEntry


def test_log_action_records_actor_target_and_reason(staff_member, member):
    entry = log_action(
        staff_member, "accounts.member.verified", target=member, reason="telefonisch"
    )
    entry.refresh_from_db()
    assert entry.actor == staff_member
    assert entry.action == "accounts.member.verified"
    assert entry.target_id == str(member.pk)
    assert entry.target_repr == "Anna Beispiel"
    assert entry.reason == "telefonisch"


def test_audit_entries_cannot_be_changed_or_deleted(staff_member, member):
    entry = log_action(staff_member, "accounts.member.verified", target=member)
    entry.reason = "nachträglich geändert"
    with pytest.raises(ValueError, match="immutable"):
        entry.save()
    with pytest.raises(ValueError, match="immutable"):
        entry.delete()
    assert AuditLogEntry.objects.get().reason == ""


def test_audit_entry_outlives_its_actor(staff_member, member):
    log_action(staff_member, "accounts.member.verified", target=member)
    staff_member.delete()
    entry = AuditLogEntry.objects.get()
    assert entry.actor is None
    assert entry.target_repr == "Anna Beispiel"
