"""Registration to first login, through the real views."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Consent, District, User

SIGNUP = "/konto/signup/"


@pytest.fixture
def aibling(make_municipality):
    return make_municipality(ags="09187117", name="Bad Aibling", population=19400)


@pytest.fixture
def form_data(aibling):
    return {
        "name": "Maria Muster",
        "email": "maria.muster@bad-aibling.example",
        "password1": "Demografie-Wandel-2026",
        "password2": "Demografie-Wandel-2026",
        "role": "mayor",
        "area": "Bad Aibling (Landkreis Rosenheim, Bayern) – 09187117",
        "job_title": "Erste Bürgermeisterin",
        "accept_terms": "on",
        "accept_privacy": "on",
    }


def errors_for(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


def test_signup_page_is_german(client, db):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Registrieren" in content
    assert 'list="area-suggestions"' in content


def test_registration_creates_member_with_affiliation_and_consents(
    client, form_data, aibling
):
    response = client.post(SIGNUP, form_data)

    assert response.status_code == 302
    member = User.objects.get(email="maria.muster@bad-aibling.example")
    assert member.name == "Maria Muster"
    assert member.role == "mayor"
    assert member.municipality == aibling
    assert member.district is None
    assert member.job_title == "Erste Bürgermeisterin"
    assert not member.is_affiliation_verified
    assert member.password.startswith("argon2")
    assert set(member.consents.values_list("document", flat=True)) == {
        Consent.Document.TERMS,
        Consent.Document.PRIVACY,
    }


def test_district_staff_can_register_for_their_kreis(client, form_data, db):
    form_data["area"] = "09187"
    client.post(SIGNUP, form_data)
    member = User.objects.get(email=form_data["email"])
    assert member.district == District.objects.get(key="09187")
    assert member.municipality is None


def test_confirmation_mail_link_confirms_and_logs_in(client, form_data):
    client.post(SIGNUP, form_data)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maria.muster@bad-aibling.example"]
    assert message.subject == "[Zukunftsraum] Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert message.body.startswith("Guten Tag,")
    assert "Ihr Zukunftsraum-Team" in message.body
    link = re.search(r"https?://testserver(/konto/confirm-email/\S+/)", message.body)
    assert link, message.body
    confirm_page = client.get(link.group(1))
    assert confirm_page.status_code == 200
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert response.url == reverse("accounts:home")
    home = client.get(response.url)
    assert home.status_code == 200
    assert "Maria Muster" in home.content.decode()


def test_login_before_confirming_is_held_back(client, form_data):
    client.post(SIGNUP, form_data)
    client.logout()
    response = client.post(
        "/konto/login/",
        {"login": form_data["email"], "password": form_data["password1"]},
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not client.get(reverse("accounts:home")).wsgi_request.user.is_authenticated


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Dieses Feld ist zwingend erforderlich."),
        ("email", "keine-adresse", "Bitte gültige E-Mail-Adresse eingeben."),
        ("password1", "kurz", "Dieses Passwort ist zu kurz."),
        ("password1", "password123", "Dieses Passwort ist zu üblich."),
        ("role", "", "Dieses Feld ist zwingend erforderlich."),
        ("role", "king", "Bitte eine gültige Auswahl treffen."),
        ("area", "", "Dieses Feld ist zwingend erforderlich."),
        ("area", "Atlantis", "Wir konnten keine eindeutige Kommune"),
        ("area", "Rosenheim", "Wir konnten keine eindeutige Kommune"),
        ("accept_terms", "", "Bitte akzeptieren Sie die Nutzungsbedingungen."),
        (
            "accept_privacy",
            "",
            "Bitte bestätigen Sie, dass Sie die Datenschutzerklärung",
        ),
    ],
)
def test_each_field_error_is_shown_in_german(client, form_data, field, value, message):
    form_data[field] = value
    if field == "password1":
        form_data["password2"] = value
    response = client.post(SIGNUP, form_data)

    assert response.status_code == 200
    error_field = "password1" if field == "password1" else field
    assert any(message in error for error in errors_for(response, error_field)), (
        response.context["form"].errors
    )
    assert message in response.content.decode()
    assert not User.objects.filter(email=form_data["email"]).exists()
    assert mail.outbox == []


def test_different_passwords_are_refused_in_german(client, form_data):
    form_data["password2"] = "Etwas-ganz-anderes-2026"
    response = client.post(SIGNUP, form_data)
    assert response.status_code == 200
    assert "Bitte geben Sie zweimal dasselbe Passwort ein." in (
        response.content.decode()
    )
    assert not User.objects.filter(email=form_data["email"]).exists()


def test_field_errors_are_tied_to_their_fields(client, form_data):
    form_data["area"] = "Atlantis"
    content = client.post(SIGNUP, form_data).content.decode()
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_area"', content)
    assert 'id="id_area_error"' in content
    assert 'class="error-summary" role="alert"' in content


def test_registering_an_existing_address_reveals_nothing_and_creates_nothing(
    client, form_data, make_member
):
    existing = make_member(email="maria.muster@bad-aibling.example", name="Maria")
    response = client.post(SIGNUP, form_data)
    # As with a new address, the visitor is told to check their mail; the owner
    # of the address is told someone tried to register it.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=form_data["email"]).count() == 1
    assert User.objects.get(email=form_data["email"]) == existing
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [existing.email]


def test_area_search_suggests_municipalities_by_name_and_key(client, aibling):
    by_name = client.get("/kommunen/suche/", {"q": "Aibl"}).json()["results"]
    assert {"key": "09187117", "kind": "municipality"}.items() <= by_name[0].items()
    by_key = client.get("/kommunen/suche/", {"q": "09187"}).json()["results"]
    assert [r["key"] for r in by_key][:2] == ["09187", "09187117"]
    assert client.get("/kommunen/suche/", {"q": "A"}).json() == {"results": []}
