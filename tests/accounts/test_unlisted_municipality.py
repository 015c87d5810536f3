"""A Gemeinde missing from the directory: named at sign-up, created by staff
when they verify the member; and a failed sign-up keeps the passwords."""

import pytest
from django.core import mail

from accounts.actions import confirm_unlisted_municipality
from accounts.models import District, Municipality, State, User
from audit.models import AuditLogEntry

SIGNUP = "/konto/signup/"
PASSWORD = "Demografie-Wandel-2026"


@pytest.fixture
def ostprignitz(db):
    state, _ = State.objects.get_or_create(key="12", defaults={"name": "Brandenburg"})
    district, _ = District.objects.get_or_create(
        key="12068",
        defaults={"state": state, "name": "Ostprignitz-Ruppin", "kind": "Landkreis"},
    )
    return district


def signup_data(**changes) -> dict:
    data = {
        "name": "Gerda Stadtoberhaupt",
        "email": "buergermeisterin@wittstock.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": "mayor",
        "municipality": "",
        "accept_terms": "on",
        "accept_privacy": "on",
    }
    return {**data, **changes}


def test_a_gemeinde_missing_from_the_list_opens_the_way_to_name_it(client, ostprignitz):
    response = client.post(SIGNUP, signup_data(municipality="Wittstock/Dosse"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<details class="unlisted-municipality" open>' in html
    assert "Meine Gemeinde ist nicht in der Liste" in html
    assert "Landkreis Ostprignitz-Ruppin – 12068" in html


def test_a_member_registers_with_a_gemeinde_the_directory_does_not_know(
    client, ostprignitz
):
    response = client.post(
        SIGNUP,
        signup_data(
            municipality="Wittstock/Dosse",
            unlisted_district="12068",
            unlisted_name="Wittstock/Dosse",
            unlisted_ags="12068468",
        ),
    )

    assert response.status_code == 302
    member = User.objects.get(email="buergermeisterin@wittstock.example")
    assert member.district == ostprignitz
    assert member.municipality is None
    assert member.unlisted_municipality_name == "Wittstock/Dosse"
    assert member.unlisted_municipality_ags == "12068468"
    assert not Municipality.objects.filter(ags="12068468").exists()


def test_an_ags_outside_the_chosen_district_is_refused(client, ostprignitz):
    response = client.post(
        SIGNUP,
        signup_data(
            unlisted_district="12068", unlisted_name="Irgendwo", unlisted_ags="09187117"
        ),
    )

    assert "beginnt mit 12068" in " ".join(
        response.context["form"].errors["unlisted_ags"]
    )


def test_staff_see_the_named_gemeinde_and_create_it_when_they_verify(
    client, staff_member, make_member, ostprignitz
):
    member = make_member(
        district=ostprignitz,
        unlisted_municipality_name="Wittstock",
        unlisted_municipality_ags="",
    )
    client.force_login(staff_member)
    queue = client.get("/verwaltung/mitglieder/").content.decode()
    assert "Nicht im Verzeichnis: Wittstock" in queue

    response = client.post(
        f"/verwaltung/mitglieder/{member.pk}/kommune-anlegen/",
        {"name": "Wittstock/Dosse", "ags": "12068468"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    created = Municipality.objects.get(ags="12068468")
    assert (created.name, created.district) == ("Wittstock/Dosse", ostprignitz)
    assert member.municipality == created and member.district is None
    assert member.is_affiliation_verified
    assert member.unlisted_municipality_name == ""
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"accounts.municipality.created", "accounts.member.verified"} <= actions


def test_staff_cannot_create_a_gemeinde_outside_the_members_district(
    staff_member, make_member, ostprignitz
):
    member = make_member(district=ostprignitz, unlisted_municipality_name="Wittstock")

    with pytest.raises(Exception, match="beginnt mit 12068"):
        confirm_unlisted_municipality(
            staff_member, member, name="Wittstock", ags="09187117"
        )


def test_a_failed_signup_keeps_the_passwords(client, ostprignitz):
    response = client.post(SIGNUP, signup_data(accept_terms=""))

    html = response.content.decode()
    assert f'value="{PASSWORD}"' in html


def test_a_refused_password_is_cleared_and_the_form_says_why(client, ostprignitz):
    response = client.post(
        SIGNUP, signup_data(password1="kurz", password2="kurz", unlisted_name="")
    )

    html = response.content.decode()
    assert 'value="kurz"' not in html
    assert "beide Passwortfelder wieder leer" in html


def test_the_verification_email_names_the_district_with_its_article(
    staff_member, make_member, ostprignitz, django_capture_on_commit_callbacks
):
    from accounts.actions import verify_affiliation

    member = make_member(district=ostprignitz)
    with django_capture_on_commit_callbacks(execute=True):
        verify_affiliation(staff_member, member)

    assert "für den Landkreis Ostprignitz-Ruppin tätig" in mail.outbox[0].body
