"""Public pages: German first, landmarks, strict CSP, nothing from other origins."""

import re
from pathlib import Path

import pytest
from django.conf import settings

PUBLIC_PAGES = {
    "/": "Zukunftsraum: das Netzwerk für Kommunen im demografischen Wandel",
    "/impressum/": "Impressum",
    "/datenschutz/": "Datenschutzerklärung",
    "/barrierefreiheit/": "Erklärung zur Barrierefreiheit",
    "/leichte-sprache/": "Zukunftsraum in Leichter Sprache",
    "/nutzungsbedingungen/": "Nutzungsbedingungen",
    "/konto/login/": "Anmelden",
    "/konto/signup/": "Registrieren",
    "/konto/password/reset/": "Passwort",
}
ENGLISH_HEADINGS = {
    "/": "Zukunftsraum: the network for municipalities in demographic change",
    "/impressum/": "Imprint",
    "/datenschutz/": "Privacy notice",
    "/barrierefreiheit/": "Accessibility statement",
    "/nutzungsbedingungen/": "Terms of use",
}
MEMBER_PAGES = [
    "/uebersicht/",
    "/mitglieder/",
    "/profil/",
    "/meine-daten/",
    "/meine-daten/konto-loeschen/",
]
# Every kind of page the platform renders: public ones as visitors see them,
# the rest as staff see them (staff see the most); "{member}" is a member's id.
# Forum, chat, moderation and grants add their page types here as they arrive.
EVERY_PAGE_TYPE = [
    *PUBLIC_PAGES,
    "/barrierefreiheit/rueckmeldung-gesendet/",
    "/konto-geloescht/",
    "/konto/confirm-email/unknown-key/",
    "/konto/password/reset/done/",
    *MEMBER_PAGES,
    "/mitglieder/{member}/",
    "/verwaltung/mitglieder/",
    "/verwaltung/mitglieder/{member}/loeschen/",
    "/konto/email/",
    "/konto/password/change/",
]
# Anything the browser would fetch by itself from another origin.
EXTERNAL_REFERENCE = re.compile(
    r"""<(?:script|link|img|iframe|frame|source|track|video|audio|embed|object"""
    r"""|input|image|use|base|form|meta)\b[^>]*?"""
    r"""\b(?:src|href|srcset|poster|data|action|content|xlink:href|formaction)"""
    r"""\s*=\s*["']?[^"'>]*?(?:https?:|wss?:|ftp:)?//""",
    re.IGNORECASE,
)
# A URL in CSS (url(), @import) or in JS (fetch, import, WebSocket, XHR...).
EXTERNAL_IN_CODE = re.compile(r"""["'`(]\s*(?:https?:|wss?:)?//[^/\s"'`)]""")


def h1_texts(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    ]


@pytest.mark.parametrize(("url", "heading"), PUBLIC_PAGES.items())
def test_public_page_is_german_with_one_heading_and_landmarks(client, db, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    headings = h1_texts(html)
    assert len(headings) == 1
    assert heading in headings[0]
    assert re.search(r'<a class="skip-link" href="#main">Zum Inhalt springen</a>', html)
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert 'href="/datenschutz/"' in html and 'href="/barrierefreiheit/"' in html


@pytest.mark.parametrize(("url", "heading"), ENGLISH_HEADINGS.items())
def test_pages_switch_to_english(client, db, url, heading):
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert heading in h1_texts(html)[0]


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, *MEMBER_PAGES])
def test_pages_send_a_strict_content_security_policy(member_client, url):
    policy = member_client.get(url)["Content-Security-Policy"]
    directives = {
        part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()
    }
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, *MEMBER_PAGES])
def test_pages_load_nothing_from_other_origins(member_client, url):
    html = member_client.get(url).content.decode()
    assert not EXTERNAL_REFERENCE.search(html)
    assert "<style" not in html
    assert not re.search(r"\sstyle\s*=", html)
    # Scripts only from files: an inline script would be blocked by the CSP.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


@pytest.mark.parametrize("url", EVERY_PAGE_TYPE)
def test_every_page_type_renders_and_references_no_other_origin(
    client, staff_member, member, url
):
    if url not in PUBLIC_PAGES and "konto-geloescht" not in url:
        client.force_login(staff_member)
    response = client.get(url.format(member=member.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL_REFERENCE.search(html), EXTERNAL_REFERENCE.search(html)
    assert "<style" not in html
    assert not re.search(r"\sstyle\s*=", html)
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert "javascript:" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_a_form_with_errors_references_no_other_origin(client, db):
    html = client.post("/barrierefreiheit/", {"message": ""}).content.decode()
    assert 'aria-invalid="true"' in html
    assert not EXTERNAL_REFERENCE.search(html)
    assert not re.search(r"\sstyle\s*=", html)


def test_stylesheets_and_scripts_load_nothing_from_other_origins():
    for path in Path(settings.BASE_DIR, "static").rglob("*"):
        if path.suffix in {".css", ".js"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
            assert not re.search(
                r"""(import|fetch)\s*\(?\s*['"`](https?:)?//""", text
            ), path
            assert "@import" not in text, path
            assert not EXTERNAL_IN_CODE.search(text), path
        if path.suffix == ".svg":
            text = path.read_text(encoding="utf-8")
            # The SVG namespace names a URI; it is never fetched.
            text = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
            assert not re.search(r"(?:https?:)?//", text), path


def test_the_external_reference_check_catches_what_it_should():
    for html in [
        '<script src="https://cdn.example/x.js"></script>',
        '<link rel="stylesheet" href="//fonts.example/css">',
        '<img alt="" srcset="a.png 1x, https://img.example/b.png 2x">',
        '<video poster="http://x.example/p.jpg"></video>',
        '<form action="https://collect.example/">',
    ]:
        assert EXTERNAL_REFERENCE.search(html), html
    for html in [
        '<a href="https://www.bmi.bund.de/">Ministerium</a>',
        '<script type="module" src="/static/js/municipality-search.js"></script>',
        '<img src="/static/img/logo.svg" alt="">',
    ]:
        assert not EXTERNAL_REFERENCE.search(html), html


def test_privacy_notice_lists_exactly_the_cookies_the_platform_sets(client, db):
    html = client.get("/datenschutz/").content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    listed = set(re.findall(r"<code>([^<]+)</code>", table))
    assert listed == {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
    }


def test_privacy_notice_states_the_chat_retention_period(client, db, settings):
    settings.CHAT_RETENTION_DAYS = 180
    html = client.get("/datenschutz/").content.decode()
    assert "Chat-Nachrichten löschen wir 180 Tage nach dem Versand" in html
    assert "„Meine Daten“" in html


def test_chat_retention_defaults_to_a_year():
    from zukunftsraum.settings import env_int

    assert env_int("CHAT_RETENTION_DAYS_UNSET_IN_TESTS", 365) == 365
    assert settings.CHAT_RETENTION_DAYS == 365


def test_anonymous_visit_sets_no_cookie(client, db):
    response = client.get("/")
    assert response.cookies == {} or set(response.cookies) <= {"csrftoken"}
    assert "sessionid" not in response.cookies


def test_only_strictly_necessary_cookies_are_ever_set(client, member, password):
    seen = set()
    for response in [
        client.get("/konto/login/"),
        client.post("/konto/login/", {"login": member.email, "password": password}),
        client.get("/uebersicht/"),
        client.post("/i18n/setlang/", {"language": "en", "next": "/"}),
    ]:
        seen |= set(response.cookies)
    assert seen <= {"sessionid", "csrftoken", "django_language"}
    assert "sessionid" in seen


def test_cookies_are_secure_and_http_only_in_production(client, member, password):
    response = client.post(
        "/konto/login/", {"login": member.email, "password": password}
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


def test_health_check_answers(client, db):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_german_is_the_default_whatever_the_browser_asks(client, db):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="de">' in response.content.decode()
    assert response["Content-Language"] == "de"


def test_unknown_language_cookie_falls_back_to_german(client, db):
    client.cookies["django_language"] = "fr"
    assert '<html lang="de">' in client.get("/").content.decode()
