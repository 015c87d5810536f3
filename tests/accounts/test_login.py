import re

from django.core import mail

LOGIN = "/konto/login/"


def log_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_member_logs_in_and_lands_on_the_overview(client, member, password):
    response = log_in(client, member.email, password)
    assert response.status_code == 302
    assert response.url == "/uebersicht/"


def test_login_accepts_the_address_in_any_case(client, member, password):
    response = log_in(client, member.email.upper(), password)
    assert response.status_code == 302


def test_wrong_password_is_refused_in_german(client, member):
    response = log_in(client, member.email, "falsch-falsch-falsch")
    assert response.status_code == 200
    assert "Die E-Mail-Adresse und/oder das Passwort sind leider falsch." in (
        response.content.decode()
    )


def test_repeated_failures_lock_the_account_for_a_while(client, member, password):
    for _ in range(5):
        log_in(client, member.email, "falsch-falsch-falsch")
    response = log_in(client, member.email, password)
    assert response.status_code == 200
    assert "Zu viele gescheiterte Anmeldeversuche. Bitte versuchen Sie es später" in (
        response.content.decode()
    )
    assert not client.get("/uebersicht/").wsgi_request.user.is_authenticated


def test_password_reset_by_mail(client, member):
    response = client.post("/konto/password/reset/", {"email": member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Sie erhalten diese E-Mail" in body
    link = re.search(r"https?://testserver(/konto/password/reset/key/\S+/)", body)
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "Neues-Passwort-fuer-2027"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_logout_ends_the_session(member_client):
    response = member_client.post("/konto/logout/")
    assert response.status_code == 302
    assert not member_client.get("/uebersicht/").wsgi_request.user.is_authenticated
