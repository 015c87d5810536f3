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
MEMBER_PAGES = ["/uebersicht/", "/mitglieder/", "/profil/"]
EXTERNAL_REFERENCE = re.compile(
    r"""<(?:script|link|img|iframe|source|video|audio)\b[^>]*?"""
    r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)


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


def test_stylesheets_and_scripts_load_nothing_from_other_origins():
    for path in Path(settings.BASE_DIR, "static").rglob("*"):
        if path.suffix in {".css", ".js", ".svg"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
            assert not re.search(
                r"""(import|fetch)\s*\(?\s*['"`](https?:)?//""", text
            ), path
            assert "@import" not in text, path


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
