"""Login, logout and password reset through allauth, in German."""

import re
import time

from django.core import mail

LOGIN = "/konto/login/"
RESET = "/konto/password/reset/"
LOCKED = "Zu viele gescheiterte Anmeldeversuche. Bitte versuchen Sie es später"


def log_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def is_logged_in(client) -> bool:
    return client.get("/uebersicht/").wsgi_request.user.is_authenticated


def test_login_page_is_german_and_links_registration_and_reset(client, db):
    html = client.get(LOGIN).content.decode()
    assert "<h1>Anmelden</h1>" in html
    assert '<label for="id_login">E-Mail-Adresse</label>' in html
    assert 'href="/konto/signup/"' in html
    assert 'href="/konto/password/reset/"' in html


def test_member_logs_in_and_lands_on_the_overview(client, member, password):
    response = log_in(client, member.email, password)
    assert response.status_code == 302
    assert response.url == "/uebersicht/"
    assert is_logged_in(client)


def test_login_accepts_the_address_in_any_case(client, member, password):
    response = log_in(client, member.email.upper(), password)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_wrong_password_is_refused_in_german(client, member):
    response = log_in(client, member.email, "falsch-falsch-falsch")
    assert response.status_code == 200
    assert "Die E-Mail-Adresse und/oder das Passwort sind leider falsch." in (
        response.content.decode()
    )
    assert not is_logged_in(client)


def test_repeated_failures_lock_the_address_until_the_window_passes(
    client, member, password, monkeypatch
):
    for _ in range(5):
        log_in(client, member.email, "falsch-falsch-falsch")

    response = log_in(client, member.email, password)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert not is_logged_in(client)

    # allauth counts failures per address for five minutes (ACCOUNT_RATE_LIMITS).
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start + 5 * 60 + 1)
    response = log_in(client, member.email, password)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_lock_is_per_address(client, member, make_member, password):
    other = make_member(email="andere@example.org")
    for _ in range(5):
        log_in(client, member.email, "falsch-falsch-falsch")
    assert log_in(client, other.email, password).status_code == 302


def test_password_reset_by_mail(client, member):
    response = client.post(RESET, {"email": member.email})
    assert response.status_code == 302
    done = client.get(response.url).content.decode()
    assert "Wir haben Ihnen eine E-Mail gesendet." in done
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject.startswith("[Zukunftsraum] ")
    assert "Sie erhalten diese E-Mail" in message.body
    assert "Ihr Zukunftsraum-Team" in message.body
    link = re.search(
        r"https?://testserver(/konto/password/reset/key/\S+/)", message.body
    )
    # allauth moves the key from the URL into the session, then shows the form.
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    assert "<h1>Neues Passwort festlegen</h1>" in form_page.content.decode()
    new_password = "Neues-Passwort-fuer-2027"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)
    assert member.password.startswith("argon2")
    assert log_in(client, member.email, new_password).status_code == 302


def test_password_reset_does_not_reveal_whether_an_address_is_registered(client, db):
    response = client.post(RESET, {"email": "niemand@example.org"})
    # The same answer as for a member; the mail tells the owner of the address.
    assert response.status_code == 302
    assert response.url == "/konto/password/reset/done/"
    assert len(mail.outbox) == 1
    assert "Unbekanntes Konto" in mail.outbox[0].subject


def test_an_invalid_reset_link_is_explained_in_german(client, db):
    response = client.get("/konto/password/reset/key/1-ungueltig/", follow=True)
    html = response.content.decode()
    assert "<h1>Ungültiger Link</h1>" in html
    assert "Der Link zum Zurücksetzen des Passworts ist ungültig" in html
    assert 'href="/konto/password/reset/"' in html


def test_logout_asks_then_ends_the_session(member_client):
    page = member_client.get("/konto/logout/").content.decode()
    assert "Möchten Sie sich wirklich abmelden?" in page
    response = member_client.post("/konto/logout/")
    assert response.status_code == 302
    assert response.url == "/"
    assert not is_logged_in(member_client)
