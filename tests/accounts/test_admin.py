import pytest

from accounts.models import StructuralWeaknessRecord
from audit.models import AuditLogEntry


@pytest.fixture
def admin_client(client, make_member):
    client.force_login(make_member(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/verwaltung/admin/",
        "/verwaltung/admin/accounts/user/",
        "/verwaltung/admin/accounts/user/add/",
        "/verwaltung/admin/accounts/district/",
        "/verwaltung/admin/accounts/municipality/",
        "/verwaltung/admin/accounts/structuralweaknessrecord/add/",
        "/verwaltung/admin/audit/auditlogentry/",
        "/verwaltung/admin/community/space/",
    ],
)
def test_staff_open_admin_pages(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_member_edit_page_opens(admin_client, member):
    url = f"/verwaltung/admin/accounts/user/{member.pk}/change/"
    assert admin_client.get(url).status_code == 200


def test_recording_structural_weakness_in_the_admin_is_audited(admin_client):
    response = admin_client.post(
        "/verwaltung/admin/accounts/structuralweaknessrecord/add/",
        {
            "district": "12073",
            "programme": "GRW-Fördergebiete 2022–2027",
            "status": "C-Fördergebiet",
            "is_structurally_weak": "on",
            "valid_from": "2022-01-01",
            "valid_until": "2027-12-31",
            "source": "Fördergebietskarte 2022–2027",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = StructuralWeaknessRecord.objects.get()
    entry = AuditLogEntry.objects.get(action="accounts.structural_weakness.created")
    assert entry.target_id == str(record.pk)
    assert record.created_by == entry.actor


def test_record_needs_exactly_one_area(admin_client):
    response = admin_client.post(
        "/verwaltung/admin/accounts/structuralweaknessrecord/add/",
        {
            "programme": "GRW",
            "status": "C",
            "valid_from": "2022-01-01",
            "source": "Karte",
        },
    )
    assert response.status_code == 200
    assert not StructuralWeaknessRecord.objects.exists()
    assert not AuditLogEntry.objects.exists()
