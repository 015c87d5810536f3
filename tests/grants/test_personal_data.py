"""The grants app's part of a member's data export and account deletion."""

import pytest

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
            "retained_until": None,
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


def test_the_export_names_the_members_part_in_payouts_reports_and_reclaims(
    approved, clerk, assessor
):
    from decimal import Decimal

    from django.utils import timezone

    from grants.actions import payouts

    made = payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("1000.00"),
        reason="Rate",
        needed_on=timezone.localdate(),
    )
    payouts.release_payout(assessor, made, paid_on=timezone.localdate())
    roles = personal_data.collect(clerk)["parts"]["grant_applications"][0]["roles"]
    assert roles == ["started", "called_off"]
    staff = personal_data.collect(assessor)["parts"]["grant_applications"][0]
    assert staff["roles"] == ["assessed", "released_payout"]


@pytest.fixture
def rejected_case(assessed, approver):
    from grants.actions import workflow

    return workflow.reject(approver, assessed, reasons="Nicht förderfähig.")


def test_a_closed_case_is_kept_five_years_at_least(rejected_case, settings):
    from django.utils import timezone

    from grants.periods import add_months
    from grants.queries import retained_until

    closed_on = timezone.localdate(rejected_case.decided_at)
    settings.GRANTS_RETENTION_YEARS = 2
    assert retained_until(rejected_case) == add_months(closed_on, 60)
    settings.GRANTS_RETENTION_YEARS = 10
    assert retained_until(rejected_case) == add_months(closed_on, 120)


def test_an_open_case_has_no_end_of_retention(approved):
    from grants.queries import retained_until

    assert retained_until(approved) is None


def test_deleting_a_member_who_called_off_money_keeps_the_records(
    approved, clerk, assessor
):
    from decimal import Decimal

    from django.utils import timezone

    from grants.actions import payouts
    from grants.models import CallOff

    payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("1000.00"),
        reason="Rate",
        needed_on=timezone.localdate(),
    )
    assert delete_account(clerk, clerk)
    assert CallOff.objects.get().requested_by_id == clerk.pk
    clerk.refresh_from_db()
    assert clerk.display_name != "Karl Klein"
