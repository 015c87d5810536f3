"""E-mails to addresses anyone can type in: bounded for the whole platform, and
addresses too long to store are refused rather than cut."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import User

SIGNUP = "/konto/signup/"
RESET = "/konto/password/reset/"
LONG_LOCAL = "a" * 64
# 300 characters: longer than the 254 an address may have (RFC 5321), within
# the 320 that Django's EmailValidator lets through.
TOO_LONG = f"{LONG_LOCAL}@{'b' * 63}.{'c' * 63}.{'d' * 63}.{'e' * 40}.example"


@pytest.fixture
def signup_data(make_municipality):
    make_municipality(ags="09187117", name="Bad Aibling", population=19400)

    def data(email: str, name: str = "Maria Muster") -> dict:
        return {
            "name": name,
            "email": email,
            "password1": "Demografie-Wandel-2026",
            "password2": "Demografie-Wandel-2026",
            "role": "mayor",
            "municipality": "09187117",
            "accept_terms": "on",
            "accept_privacy": "on",
        }

    return data


def test_sign_up_mails_are_bounded_for_the_whole_platform(
    client, signup_data, settings
):
    settings.ACCOUNT_MAILS_GLOBAL_RATE = "3/h"
    for n in range(3):
        response = client.post(
            SIGNUP,
            signup_data(f"opfer{n}@example.org"),
            REMOTE_ADDR=f"198.51.100.{n}",  # each from another address
        )
        assert response.status_code == 302
    assert len(mail.outbox) == 3
    refused = client.post(
        SIGNUP, signup_data("opfer9@example.org"), REMOTE_ADDR="198.51.100.9"
    )
    assert refused.status_code == 200
    assert "Die Plattform versendet gerade sehr viele E-Mails." in (
        refused.content.decode()
    )
    assert "in 60 Minuten erneut" in refused.content.decode()
    assert len(mail.outbox) == 3
    assert not User.objects.filter(email="opfer9@example.org").exists()


def test_password_reset_mails_share_the_platform_budget(client, db, settings):
    settings.ACCOUNT_MAILS_GLOBAL_RATE = "2/h"
    for n in range(2):
        client.post(
            RESET, {"email": f"unbekannt{n}@example.org"}, REMOTE_ADDR=f"10.0.0.{n}"
        )
    assert len(mail.outbox) == 2  # "no account with this address" mails
    refused = client.post(
        RESET, {"email": "unbekannt9@example.org"}, REMOTE_ADDR="10.0.0.9"
    )
    assert "Die Plattform versendet gerade sehr viele E-Mails." in (
        refused.content.decode()
    )
    assert len(mail.outbox) == 2


def test_mails_sent_elsewhere_stop_at_the_budget_too(client, signup_data, settings):
    """A login to an unconfirmed account sends the link again: past the
    budget, nothing goes out (the form cannot tell, allauth sends it)."""
    settings.ACCOUNT_MAILS_GLOBAL_RATE = "1/h"
    # allauth would resend at most every three minutes per address anyway;
    # that is no bound across many addresses, so it is left out here.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": ""}
    client.post(SIGNUP, signup_data("maria@example.org"))
    assert len(mail.outbox) == 1
    client.post(
        "/konto/login/",
        {"login": "maria@example.org", "password": "Demografie-Wandel-2026"},
    )
    assert len(mail.outbox) == 1


def test_an_address_longer_than_254_characters_is_refused(client, signup_data):
    assert 254 < len(TOO_LONG) <= 320
    response = client.post(SIGNUP, signup_data(TOO_LONG))
    assert response.status_code == 200
    assert "Eine E-Mail-Adresse kann höchstens 254 Zeichen lang sein." in (
        response.content.decode()
    )
    # A second attempt is refused the same way, not answered with an error.
    again = client.post(SIGNUP, signup_data(TOO_LONG.replace("a", "z", 1)))
    assert again.status_code == 200
    assert not User.objects.exists()
    assert mail.outbox == []


def test_the_sign_up_field_says_how_long_an_address_may_be(client, db):
    html = client.get(SIGNUP).content.decode()
    assert 'maxlength="254"' in html


def test_password_reset_refuses_an_overlong_address(client, db):
    response = client.post(RESET, {"email": TOO_LONG})
    assert "Eine E-Mail-Adresse kann höchstens 254 Zeichen lang sein." in (
        response.content.decode()
    )
    assert mail.outbox == []
