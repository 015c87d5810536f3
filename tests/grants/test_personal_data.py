"""The grants app's part of a member's data export and account deletion."""

from accounts import personal_data
from accounts.actions import delete_account
from audit.models import AuditLogEntry


def test_the_export_lists_the_applications_the_member_acted_in(submitted, mayor, clerk):
    exported = personal_data.collect(mayor)["parts"]["grant_applications"]
    assert exported == [
        {
            "reference": submitted.reference,
            "title": submitted.title,
            "municipality_ags": "09187117",
            "state": "submitted",
            "roles": ["named_signatory", "submitted"],
        }
    ]
    roles = personal_data.collect(clerk)["parts"]["grant_applications"][0]["roles"]
    assert roles == ["started"]


def test_deleting_the_signatory_frees_open_drafts_and_keeps_the_records(
    make_draft, submitted, mayor
):
    open_draft = make_draft()
    assert delete_account(mayor, mayor)

    open_draft.refresh_from_db()
    assert open_draft.signatory is None
    # The submitted application keeps who signed it; the name is gone with the
    # account ("Ehemaliges Mitglied").
    submitted.refresh_from_db()
    assert submitted.submitted_by_id == mayor.pk
    entry = AuditLogEntry.objects.get(action="accounts.member.deleted")
    assert "grant applications kept as public records" in str(entry.data)
