"""The German catalog is complete and speaks formally."""

import gettext
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

CATALOG = Path(settings.BASE_DIR, "locale", "de", "LC_MESSAGES", "django.po")
INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*)\b", re.IGNORECASE)


def entries(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for every entry of a .po file, header excluded."""
    text = path.read_text(encoding="utf-8")
    found = []
    for block in text.split("\n\n"):
        if "msgid" not in block or block.startswith("#~"):
            continue
        fuzzy = "#, fuzzy" in block or re.search(r"#,.*fuzzy", block) is not None
        msgid = "".join(
            re.findall(
                r'^(?:msgid|msgid_plural)?\s*"(.*)"$', block.split("msgstr")[0], re.M
            )
        )
        msgstrs = re.findall(r'msgstr(?:\[\d\])?\s+((?:".*"\s*)+)', block)
        values = ["".join(re.findall(r'"(.*)"', s)) for s in msgstrs]
        found.append((msgid, " | ".join(values) if all(values) else "", fuzzy))
    return [e for e in found if e[0]]


def test_german_catalog_has_no_untranslated_or_fuzzy_entries():
    missing = [
        msgid for msgid, msgstr, fuzzy in entries(CATALOG) if not msgstr or fuzzy
    ]
    assert missing == []


def test_german_catalog_addresses_people_formally():
    informal = [msgstr for _, msgstr, _ in entries(CATALOG) if INFORMAL.search(msgstr)]
    assert informal == []


@pytest.mark.parametrize(
    "msgid", ["You must type the same password each time.", "You have signed out."]
)
def test_allauth_messages_are_formal_in_german(msgid):
    with translation.override("de"):
        german = translation.gettext(msgid)
    assert german != msgid
    assert not INFORMAL.search(german)
    assert "Sie" in german


def catalog(mo: Path) -> dict:
    with mo.open("rb") as file:
        return gettext.GNUTranslations(file)._catalog


def test_compiled_catalog_is_current(tmp_path):
    """The committed .mo says what the .po says (`make messages` was run):
    compared by content, since a checkout gives both files any mtime."""
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(CATALOG)], check=True)
    assert catalog(CATALOG.with_suffix(".mo")) == catalog(fresh)


INFORMAL_ON_PAGE = re.compile(
    r"\b(du|dich|dir|dein\w*|kontaktiere|versuche|wähle|bestätige|gib|klick)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "url",
    [
        "/konto/confirm-email/",
        "/konto/password/reset/",
        "/konto/password/reset/done/",
        "/konto/password/change/",
        "/konto/logout/",
        "/konto/email/",
    ],
)
def test_account_pages_speak_formally(member_client, url):
    response = member_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    assert not INFORMAL_ON_PAGE.search(text), text


@pytest.mark.parametrize("url", ["/konto/login/", "/konto/signup/"])
def test_entrance_pages_speak_formally(client, db, url):
    html = client.get(url).content.decode()
    text = re.sub(r"<[^>]+>", " ", html[html.index("<main") : html.index("</main>")])
    assert not INFORMAL_ON_PAGE.search(text), text
