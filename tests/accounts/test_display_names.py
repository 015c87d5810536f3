"""Display names show what they are: no control, direction-changing or invisible
characters, stored in NFC, and no one but staff named like the platform or a
member of the Geschäftsstelle."""

from __future__ import annotations

import unicodedata

import pytest

from accounts.models import User

EDIT = "/profil/"
SIGNUP = "/konto/signup/"
UNREADABLE = "Der Name enthält Zeichen, die nicht zuverlässig angezeigt werden"
RESERVED = "Dieser Name ist der Plattform und der Geschäftsstelle vorbehalten."


def save_name(client, member, name: str):
    return client.post(
        EDIT,
        {
            "name": name,
            "job_title": member.job_title,
            "municipality": member.municipality.ags,
            "show_in_directory": "on",
        },
    )


@pytest.mark.parametrize(
    "name",
    [
        "Anna\x07Beispiel",  # BEL
        "Anna \x1b[31mBeispiel\x1b[0m",  # ANSI colour sequence
        "Anna\nBeispiel",
        "Anna\tBeispiel",
        "Anna \u202egeispieB",  # right-to-left override
        "Anna \u2066Beispiel\u2069",  # isolates
        "Anna\u200bBeispiel",  # zero-width space
        "\u200b\u200c\u200d\u2060",  # nothing visible at all
        "Anna\u00adBeispiel",  # soft hyphen
        "Anna Beispiel\ufeff",  # byte-order mark
        "Anna \ue000",  # private use
        "Anna\u2028Beispiel",  # line separator
        "Z\u0351\u0352\u0353\u0354algo",  # stacked combining marks
    ],
)
def test_unreadable_names_are_refused(member_client, member, name):
    response = save_name(member_client, member, name)
    assert response.status_code == 200
    assert UNREADABLE in response.content.decode()
    member.refresh_from_db()
    assert member.name == "Anna Beispiel"


def test_a_name_needs_letters(member_client, member):
    response = save_name(member_client, member, "- . -")
    assert "Bitte geben Sie Ihren Namen in Buchstaben ein." in (
        response.content.decode()
    )


def test_names_are_stored_in_nfc_with_single_spaces(member_client, member):
    decomposed = unicodedata.normalize("NFD", "Jürgen\u00a0 Weiß")
    assert save_name(member_client, member, decomposed).status_code == 302
    member.refresh_from_db()
    assert member.name == "Jürgen Weiß"
    assert unicodedata.is_normalized("NFC", member.name)


def test_names_in_other_alphabets_are_welcome(member_client, member):
    for name in ["Олена Коваленко", "Γιώργος Παπαδόπουλος", "Nguyễn Thị Minh Khai"]:
        assert save_name(member_client, member, name).status_code == 302


def test_a_name_may_not_mix_look_alike_alphabets(member_client, member):
    # "Anna" ending in a Cyrillic a (U+0430): looks the same, is another name.
    response = save_name(member_client, member, "Ann\u0430 Beispiel")
    assert "Bitte schreiben Sie den Namen in einem Alphabet" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "name",
    [
        "Geschäftsstelle Zukunftsraum",
        "Geschaeftsstelle",
        "GESCHÄFTS-STELLE",
        "Geschäftsste1le",
        "Team Zukunftsraum",
        "Zukunfts Raum",
        "Moderation",
        "Admin",
        "Ehemaliges Mitglied",
        "Petra Schulz",  # a member of staff
        "Petra  SCHULZ",
    ],
)
def test_the_platforms_and_staffs_names_are_reserved(
    member_client, member, make_member, name
):
    make_member(name="Petra Schulz", is_staff=True)
    response = save_name(member_client, member, name)
    assert RESERVED in response.content.decode()
    member.refresh_from_db()
    assert member.name == "Anna Beispiel"


def test_ordinary_names_near_reserved_words_are_fine(member_client, member):
    for name in ["Anna Teamann", "Adam Minter", "Petra Schulze"]:
        assert save_name(member_client, member, name).status_code == 302


def test_staff_may_use_the_platforms_name(client, staff_member):
    client.force_login(staff_member)
    response = client.post(EDIT, {"name": "Geschäftsstelle Zukunftsraum"})
    assert response.status_code == 302
    staff_member.refresh_from_db()
    assert staff_member.name == "Geschäftsstelle Zukunftsraum"


def test_registration_refuses_the_same_names(client, make_municipality):
    make_municipality(ags="09187117", name="Bad Aibling", population=19400)
    data = {
        "email": "neu@example.org",
        "password1": "Demografie-Wandel-2026",
        "password2": "Demografie-Wandel-2026",
        "role": "mayor",
        "municipality": "09187117",
        "accept_terms": "on",
        "accept_privacy": "on",
    }
    for name, message in [
        ("Geschäftsstelle", RESERVED),
        ("Maria\u202eMuster", UNREADABLE),
    ]:
        response = client.post(SIGNUP, {**data, "name": name})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not User.objects.filter(email="neu@example.org").exists()
