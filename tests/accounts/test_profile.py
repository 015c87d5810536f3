"""Member profiles: seen by members only, edited by their owner."""

from datetime import UTC, datetime

import pytest

from accounts.actions import revoke_verification, verify_affiliation
from accounts.models import District, MemberTopic, Role, Topic

EDIT = "/profil/"


@pytest.fixture
def peer(make_member, make_municipality):
    templin = make_municipality(ags="12073572", name="Templin", population=16000)
    peer = make_member(
        name="Jonas Peer",
        role=Role.ADMINISTRATION,
        job_title="Kämmerer",
        municipality=templin,
        offers_text="Bürgerbus mit Ehrenamtlichen",
        seeks_text="Erfahrungen mit Rufbussen",
    )
    MemberTopic.objects.create(user=peer, topic=Topic.MOBILITY)
    return peer


def profile_data(member, **changes) -> dict:
    data = {
        "name": member.name,
        "job_title": member.job_title,
        "municipality": member.municipality.ags if member.municipality else "",
        "offers_text": member.offers_text,
        "seeks_text": member.seeks_text,
        "show_in_directory": "on",
    }
    data.update(changes)
    return data


def test_profiles_are_for_members_only(client, peer):
    response = client.get(f"/mitglieder/{peer.pk}/")
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


def test_member_sees_a_peer_profile_in_german(member_client, peer):
    html = member_client.get(f"/mitglieder/{peer.pk}/").content.decode()
    assert "<h1>Jonas Peer</h1>" in html
    assert "Verwaltung" in html and "Kämmerer" in html
    # Affiliation with its Land.
    assert "Templin, Brandenburg" in html
    assert "Mobilität im ländlichen Raum" in html
    assert "Wir bieten" in html and "Bürgerbus mit Ehrenamtlichen" in html
    assert "Wir suchen" in html and "Erfahrungen mit Rufbussen" in html
    assert "badge-verified" not in html
    assert "Verifiziert am" not in html
    # Only one's own profile offers editing.
    assert 'href="/profil/"' not in html.split("<main", 1)[1]


def test_a_verified_profile_shows_the_mark_and_date(member_client, peer, staff_member):
    verify_affiliation(staff_member, peer)
    # Late evening UTC is already the next day in Germany; members read local dates.
    late_evening_utc = datetime(2026, 3, 2, 23, 50, tzinfo=UTC)
    type(peer).objects.filter(pk=peer.pk).update(
        affiliation_verified_at=late_evening_utc
    )
    html = member_client.get(f"/mitglieder/{peer.pk}/").content.decode()
    assert 'class="badge-verified"' in html
    assert ">verifiziert<" in html
    assert "Verifiziert am" in html and ">03.03.2026<" in html


def test_deactivated_members_have_no_profile(member_client, make_member):
    gone = make_member(is_active=False)
    response = member_client.get(f"/mitglieder/{gone.pk}/")
    assert response.status_code == 404


def test_profile_editing_is_for_members_only(client, db):
    response = client.get(EDIT)
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


def test_member_edits_own_profile(member_client, member):
    form = member_client.get(EDIT).content.decode()
    assert 'value="Musterau – 09187117"' in form
    assert 'type="checkbox" name="topics"' in form

    response = member_client.post(
        EDIT,
        profile_data(
            member,
            name="Anna Beispiel-Neu",
            job_title="Amtsleiterin",
            topics=[Topic.HOUSING, Topic.CARE_HEALTH],
            offers_text="Wohnberatung",
            show_in_directory="",
        ),
    )

    assert response.status_code == 302
    assert response.url == f"/mitglieder/{member.pk}/"
    member.refresh_from_db()
    assert member.name == "Anna Beispiel-Neu"
    assert member.job_title == "Amtsleiterin"
    assert member.offers_text == "Wohnberatung"
    assert not member.show_in_directory
    assert set(member.topics.values_list("topic", flat=True)) == {
        Topic.HOUSING,
        Topic.CARE_HEALTH,
    }
    html = member_client.get(response.url).content.decode()
    assert "Ihr Profil wurde gespeichert." in html
    assert "Wohnen im Alter" in html


def test_removing_a_topic_keeps_the_others(member_client, member):
    MemberTopic.objects.create(user=member, topic=Topic.HOUSING)
    MemberTopic.objects.create(user=member, topic=Topic.DIGITAL)
    member_client.post(EDIT, profile_data(member, topics=[Topic.DIGITAL]))
    assert list(member.topics.values_list("topic", flat=True)) == [Topic.DIGITAL]


def test_a_verified_member_is_told_that_changing_the_municipality_resets_it(
    member_client, member, staff_member
):
    assert "entfällt die Markierung" not in member_client.get(EDIT).content.decode()
    verify_affiliation(staff_member, member)
    html = member_client.get(EDIT).content.decode()
    assert "Wenn Sie die Kommune ändern, entfällt die Markierung" in html


def test_changing_the_municipality_resets_verification(
    member_client, member, staff_member
):
    verify_affiliation(staff_member, member)
    member.refresh_from_db()
    assert member.is_affiliation_verified

    response = member_client.post(
        EDIT, profile_data(member, municipality="12073"), follow=True
    )

    member.refresh_from_db()
    assert member.district == District.objects.get(key="12073")
    assert member.municipality is None
    assert not member.is_affiliation_verified
    assert member.affiliation_verified_by is None
    assert "bestätigt Ihre Zugehörigkeit deshalb erneut" in response.content.decode()


def test_saving_the_same_municipality_keeps_verification(
    member_client, member, staff_member
):
    verify_affiliation(staff_member, member)
    member_client.post(EDIT, profile_data(member, name="Anna B."))
    member.refresh_from_db()
    assert member.name == "Anna B."
    assert member.is_affiliation_verified


def test_a_refused_member_who_names_another_municipality_is_checked_again(
    client, member_client, member, staff_member
):
    revoke_verification(staff_member, member, reason="Unbekannt in Musterau")
    member_client.post(EDIT, profile_data(member, municipality="12073"))
    client.force_login(staff_member)
    queue = client.get("/verwaltung/mitglieder/")
    assert member in list(queue.context["page"])


def test_profile_form_errors_are_german_and_change_nothing(member_client, member):
    response = member_client.post(
        EDIT, profile_data(member, name="", municipality="Atlantis")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "Wir konnten keine Kommune und keinen Kreis" in html
    assert 'aria-describedby="id_name_error"' in html
    member.refresh_from_db()
    assert member.name == "Anna Beispiel"


def test_members_must_name_a_municipality(member_client, member):
    response = member_client.post(EDIT, profile_data(member, municipality=""))
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.municipality is not None


def test_staff_may_save_a_profile_without_municipality(client, make_member):
    staff = make_member(is_staff=True, municipality=None, name="Team")
    client.force_login(staff)
    response = client.post(
        EDIT, {"name": "Geschäftsstelle", "municipality": "", "show_in_directory": "on"}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.name == "Geschäftsstelle"
    assert staff.affiliation is None
