"""Registration to first login, through the real views."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import PRIVACY_VERSION, TERMS_VERSION, Consent, District, User

SIGNUP = "/konto/signup/"
SEARCH = "/kommunen/suche/"


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
        "municipality": "Bad Aibling (Landkreis Rosenheim, Bayern) – 09187117",
        "job_title": "Erste Bürgermeisterin",
        "accept_terms": "on",
        "accept_privacy": "on",
    }


def errors_for(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


def confirmation_path(message) -> str:
    link = re.search(r"https?://testserver(/konto/confirm-email/\S+/)", message.body)
    assert link, message.body
    return link.group(1)


def test_signup_page_is_german_and_accessible(client, db):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Registrieren</h1>" in html
    assert '<label for="id_municipality">Kommune</label>' in html
    assert 'list="municipality-suggestions"' in html
    assert '<datalist id="municipality-suggestions">' in html
    assert 'aria-describedby="id_municipality_helptext"' in html
    assert 'src="/static/js/municipality-search.js"' in html
    # The consent labels link to the documents, in one German sentence each.
    assert 'Ich akzeptiere die <a href="/nutzungsbedingungen/">' in html
    assert '<a href="/datenschutz/">Datenschutzerklärung</a> gelesen' in html


def test_registration_creates_an_unconfirmed_member_with_affiliation_and_consents(
    client, form_data, aibling
):
    response = client.post(SIGNUP, form_data)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    member = User.objects.get(email="maria.muster@bad-aibling.example")
    assert member.name == "Maria Muster"
    assert member.role == "mayor"
    assert member.municipality == aibling
    assert member.district is None
    assert member.job_title == "Erste Bürgermeisterin"
    assert not member.is_affiliation_verified
    assert member.password.startswith("argon2")
    # allauth holds the member back until the address is confirmed.
    assert not EmailAddress.objects.get(user=member).verified
    assert not client.get("/uebersicht/").wsgi_request.user.is_authenticated
    assert set(member.consents.values_list("document", "version")) == {
        (Consent.Document.TERMS, TERMS_VERSION),
        (Consent.Document.PRIVACY, PRIVACY_VERSION),
    }


def test_district_staff_can_register_for_their_kreis(client, form_data, db):
    form_data["municipality"] = "09187"
    client.post(SIGNUP, form_data)
    member = User.objects.get(email=form_data["email"])
    assert member.district == District.objects.get(key="09187")
    assert member.municipality is None


def test_the_exact_name_of_a_municipality_is_enough_without_javascript(
    client, form_data, aibling
):
    form_data["municipality"] = "bad aibling"
    client.post(SIGNUP, form_data)
    assert User.objects.get(email=form_data["email"]).municipality == aibling


def test_confirmation_mail_link_confirms_and_logs_in(client, form_data):
    client.post(SIGNUP, form_data)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maria.muster@bad-aibling.example"]
    assert message.subject == "[Zukunftsraum] Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert message.body.startswith("Guten Tag,")
    assert "Zukunftsraum" in message.body
    assert "Ihr Zukunftsraum-Team" in message.body
    path = confirmation_path(message)
    confirm_page = client.get(path)
    assert confirm_page.status_code == 200
    assert "Bitte bestätigen Sie" in confirm_page.content.decode()
    response = client.post(path)
    assert response.status_code == 302
    assert response.url == reverse("pages:home")
    home = client.get(response.url)
    assert home.status_code == 200
    html = home.content.decode()
    assert "Willkommen, Maria Muster" in html
    assert "Verifizierung ausstehend" in html
    assert EmailAddress.objects.get(email=form_data["email"]).verified


def test_an_expired_confirmation_link_explains_how_to_get_a_new_one(client, db):
    response = client.get("/konto/confirm-email/kein-gueltiger-schluessel/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "abgelaufen oder ungültig" in html
    assert 'href="/konto/login/"' in html


def test_login_before_confirming_is_refused_and_resends_the_link(
    client, form_data, make_member, password
):
    member = make_member(email="neu@example.org")
    EmailAddress.objects.filter(user=member).update(verified=False)

    response = client.post(
        "/konto/login/", {"login": "neu@example.org", "password": password}
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not client.get("/uebersicht/").wsgi_request.user.is_authenticated
    page = client.get(response.url).content.decode()
    assert "Bestätigen Sie Ihre E-Mail-Adresse" in page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["neu@example.org"]
    assert "bestätigen" in mail.outbox[0].subject
    confirmation_path(mail.outbox[0])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Dieses Feld ist zwingend erforderlich."),
        ("email", "keine-adresse", "Bitte gültige E-Mail-Adresse eingeben."),
        ("email", "", "Dieses Feld ist zwingend erforderlich."),
        ("password1", "kurz", "Dieses Passwort ist zu kurz."),
        ("password1", "password123", "Dieses Passwort ist zu üblich."),
        ("role", "", "Dieses Feld ist zwingend erforderlich."),
        ("role", "king", "Bitte eine gültige Auswahl treffen."),
        # Empty: the way for a Gemeinde missing from the list is named.
        ("municipality", "", "beschreiben Sie Ihre Gemeinde unten"),
        (
            "municipality",
            "Atlantis",
            "Wir konnten keine Kommune und keinen Kreis mit diesem Namen",
        ),
        (
            "municipality",
            "99999999",
            "Wir konnten keine Kommune und keinen Kreis mit diesem Namen",
        ),
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
    assert any(message in error for error in errors_for(response, field)), (
        response.context["form"].errors
    )
    assert message in response.content.decode()
    assert not User.objects.filter(email=form_data["email"]).exists()
    assert mail.outbox == []


def test_a_name_several_areas_share_is_answered_with_their_keys(client, form_data):
    # Rosenheim is a kreisfreie Stadt (09163) and a Landkreis (09187).
    form_data["municipality"] = "Rosenheim"
    response = client.post(SIGNUP, form_data)

    assert response.status_code == 200
    [error] = errors_for(response, "municipality")
    assert "Mehrere Kommunen oder Kreise heißen „Rosenheim“" in error
    assert "– 09163" in error and "Landkreis Rosenheim" in error and "– 09187" in error
    assert not User.objects.filter(email=form_data["email"]).exists()

    form_data["municipality"] = "09163"
    client.post(SIGNUP, form_data)
    assert User.objects.get(email=form_data["email"]).district_id == "09163"


def test_different_passwords_are_refused_in_german(client, form_data):
    form_data["password2"] = "Etwas-ganz-anderes-2026"
    response = client.post(SIGNUP, form_data)
    assert response.status_code == 200
    assert errors_for(response, "password2") == [
        "Bitte geben Sie zweimal dasselbe Passwort ein."
    ]
    assert "Bitte geben Sie zweimal dasselbe Passwort ein." in (
        response.content.decode()
    )
    assert not User.objects.filter(email=form_data["email"]).exists()


def test_field_errors_are_tied_to_their_fields(client, form_data):
    form_data["municipality"] = "Atlantis"
    form_data["accept_terms"] = ""
    html = client.post(SIGNUP, form_data).content.decode()
    municipality = re.search(r'<input[^>]*id="id_municipality"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in municipality
    assert 'aria-describedby="id_municipality_helptext id_municipality_error"' in (
        municipality
    )
    assert 'id="id_municipality_error"' in html
    terms = re.search(r'<input[^>]*id="id_accept_terms"[^>]*>', html).group(0)
    assert 'aria-describedby="id_accept_terms_error"' in terms
    # A summary at the top links to each field with an error.
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_municipality"' in html and 'href="#id_accept_terms"' in html
    # Valid fields are not marked.
    name = re.search(r'<input[^>]*id="id_name"[^>]*>', html).group(0)
    assert "aria-invalid" not in name


def test_registering_an_existing_address_reveals_nothing_and_creates_nothing(
    client, form_data, make_member
):
    existing = make_member(email="maria.muster@bad-aibling.example", name="Maria")
    response = client.post(SIGNUP, form_data, follow=True)
    # As with a new address, the visitor is told to check their mail; the owner
    # of the address is told someone tried to register it.
    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert "Bestätigen Sie Ihre E-Mail-Adresse" in response.content.decode()
    assert User.objects.filter(email__iexact=form_data["email"]).count() == 1
    assert User.objects.get(email=form_data["email"]) == existing
    assert not Consent.objects.filter(user=existing).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [existing.email]
    assert "Konto existiert bereits" in mail.outbox[0].subject
    assert "Passwort" in mail.outbox[0].body


def test_municipality_search_suggests_by_name_and_key(client, aibling):
    by_name = client.get(SEARCH, {"q": "Aibl"}).json()
    assert by_name[0] == {
        "key": "09187117",
        "label": "Bad Aibling (Landkreis Rosenheim, Bayern) – 09187117",
        "kind": "municipality",
    }
    by_key = client.get(SEARCH, {"q": "09187"}).json()
    assert [r["key"] for r in by_key][:2] == ["09187", "09187117"]


def test_municipality_search_needs_two_characters_and_returns_at_most_20(
    client, make_municipality
):
    for n in range(25):
        make_municipality(ags=f"091872{n:02}", name=f"Mustertal {n:02}")
    assert client.get(SEARCH, {"q": "M"}).json() == []
    assert client.get(SEARCH).json() == []
    assert len(client.get(SEARCH, {"q": "Mustertal"}).json()) == 20


def test_municipality_search_is_rate_limited_per_address(client, aibling):
    for _ in range(60):
        assert client.get(SEARCH, {"q": "Aibl"}).status_code == 200
    refused = client.get(SEARCH, {"q": "Aibl"})
    assert refused.status_code == 429
    assert refused.json() == []
    other = client.get(SEARCH, {"q": "Aibl"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
