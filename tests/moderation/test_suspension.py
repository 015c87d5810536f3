"""Suspended members are kept out of every page but a few; the page explains why."""

from datetime import timedelta

import pytest
from django.urls import reverse

from moderation.actions.decisions import decide
from moderation.actions.reports import report
from moderation.models import ReviewItem

pytestmark = pytest.mark.usefixtures("fast_passwords", "english")


@pytest.fixture
def suspension(cast, fake_post):
    report(cast.other, "fake_post", fake_post.pk, reason="insult")
    return decide(
        cast.global_moderator,
        ReviewItem.objects.get(),
        action="suspend",
        rule="respect",
        reason="Wiederholte Beleidigungen",
        duration=timedelta(days=7),
    )


@pytest.fixture
def suspended_client(client, cast, suspension):
    client.force_login(cast.author)
    return client


@pytest.mark.parametrize(
    "path", ["/uebersicht/", "/forum/", "/chat/", "/moderation/meine-meldungen/"]
)
def test_every_page_answers_403_with_the_reasons(suspended_client, suspension, path):
    response = suspended_client.get(path)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your account is suspended" in html
    assert "Wiederholte Beleidigungen" in html
    assert "1. Treat each other with respect" in html
    assert reverse("moderation:decision", args=[suspension.pk]) in html
    assert reverse("account_logout") in html


def test_posting_is_refused_too(suspended_client, cast):
    response = suspended_client.post(f"/forum/{cast.space.slug}/neues-thema/", {})
    assert response.status_code == 403


def test_json_requests_get_a_json_403(suspended_client):
    response = suspended_client.get("/forum/", HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert response.json()["error"] == "suspended"


@pytest.mark.parametrize(
    "path", ["/impressum/", "/datenschutz/", "/barrierefreiheit/", "/konto/logout/"]
)
def test_legal_pages_and_logout_stay_open(suspended_client, path):
    assert suspended_client.get(path).status_code in (200, 302)


def test_the_member_can_read_and_object_to_the_suspension(suspended_client, suspension):
    url = reverse("moderation:decision", args=[suspension.pk])
    assert suspended_client.get(url).status_code == 200
    response = suspended_client.post(url, {"text": "Ich bitte um Prüfung."})
    assert response.status_code == 302
    assert suspension.appeal.text == "Ich bitte um Prüfung."


def test_a_ban_says_it_has_no_end(client, cast, fake_post):
    report(cast.other, "fake_post", fake_post.pk, reason="insult")
    decide(
        cast.global_moderator,
        ReviewItem.objects.get(),
        action="ban",
        rule="law",
        reason="Hetze",
    )
    client.force_login(cast.author)
    html = client.get("/forum/").content.decode()
    assert "banned your account for an unlimited time" in html


def test_a_suspension_that_ran_out_no_longer_applies(
    suspended_client, cast, suspension
):
    cast.author.suspended_until = suspension.created_at - timedelta(seconds=1)
    cast.author.save(update_fields=["suspended_until"])
    assert suspended_client.get("/uebersicht/").status_code == 200


def test_static_files_are_not_blocked(suspended_client, settings):
    response = suspended_client.get(settings.STATIC_URL + "css/main.css")
    assert response.status_code != 403


# --- What a suspension does not suspend ------------------------------------------


def test_the_terms_their_decision_cites_stay_open(suspended_client, suspension):
    assert suspended_client.get(reverse("pages:terms")).status_code == 200
    page = suspended_client.get("/forum/").content.decode()
    assert reverse("pages:terms") in page
    assert reverse("accounts:my_data") in page


def test_a_suspended_member_can_download_their_data(suspended_client):
    assert suspended_client.get(reverse("accounts:my_data")).status_code == 200
    response = suspended_client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"


def test_a_suspended_member_can_delete_their_account(suspended_client, cast, password):
    url = reverse("accounts:delete_account")
    assert suspended_client.get(url).status_code == 200
    response = suspended_client.post(url, {"password": password, "confirm": "on"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:account_deleted")
    cast.author.refresh_from_db()
    assert cast.author.is_deleted
