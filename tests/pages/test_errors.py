"""Error pages with DEBUG off: German, in the site's layout, with a way back."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_site_page_in_german(response, heading: str) -> None:
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert 'href="/"' in html, "a way back to the start page"
    for english in ("Not Found", "Forbidden", "Server Error", "CSRF verification"):
        assert english not in html


def test_an_unknown_address_gets_the_german_404_page(client, settings):
    assert settings.DEBUG is False
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert_site_page_in_german(response, "Wir können diese Seite nicht finden")


def test_a_member_on_the_404_page_keeps_the_header_and_a_way_to_the_overview(
    member_client,
):
    response = member_client.get("/forum/thema/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Abmelden" in html, "the member's own header"
    assert 'href="/uebersicht/"' in html


def test_a_forbidden_page_gets_the_german_403_page(member_client):
    response = member_client.get("/verwaltung/mitglieder/")
    assert response.status_code == 403
    assert_site_page_in_german(response, "Sie dürfen diese Seite nicht öffnen")


def test_a_form_without_its_security_code_gets_the_german_csrf_page(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post("/profil/", {"name": "Anna"})
    assert response.status_code == 403
    assert_site_page_in_german(response, "Ihr Formular konnte nicht gesendet werden")
    assert "Abmelden" in response.content.decode(), "the member is still signed in"


@pytest.mark.urls("tests.pages.error_urls")
def test_a_server_error_gets_the_german_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/kaputt/")
    assert response.status_code == 500
    assert_site_page_in_german(response, "Bei uns ist etwas schiefgegangen")


def test_the_live_address_over_plain_http_explains_itself_in_german(member_client):
    response = member_client.get("/ws/")
    assert response.status_code == 426
    assert response["Upgrade"] == "websocket"
    assert_site_page_in_german(response, "Diese Adresse ist für die Live-Verbindung")
