"""The Wissenssammlung: Wissen articles and event materials in one library,
browsed by topic and kind, searched with the forum's engine."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community import knowledge
from community.models import Space
from forum.actions.threads import start_thread
from forum.models import ThreadKind
from seminars.actions.materials import add_material
from seminars.actions.registrations import register
from seminars.models import Access

LIBRARY = "/wissen/"


@pytest.fixture
def space(db):
    return Space.objects.create(
        title="Mobilität im ländlichen Raum", slug="mobilitaet", topic="mobility"
    )


@pytest.fixture
def article(space, staff_member):
    return start_thread(
        staff_member,
        space,
        kind=ThreadKind.KNOWLEDGE,
        title="Leitfaden: Bürgerbus gründen",
        source="Ein Bürgerbusverein trägt den Betrieb der Bürgerbusse.",
    )


def material(staff_member, event, *, title, access=Access.MEMBERS, text=""):
    return add_material(
        staff_member,
        event,
        title=title,
        kind="slides",
        access=access,
        description=text,
        upload=SimpleUploadedFile("f.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )


def items(response) -> list[tuple[str, str, str]]:
    assert response.status_code == 200
    return [(i.title, i.kind, i.origin) for i in response.context["items"]]


def test_the_library_shows_articles_and_materials_with_their_origin(
    member_client, article, event, staff_member
):
    material(staff_member, event, title="Folien Gemeindeschwester")

    response = member_client.get(LIBRARY)

    assert set(items(response)) == {
        (
            "Leitfaden: Bürgerbus gründen",
            "articles",
            "Forum · Mobilität im ländlichen Raum",
        ),
        (
            "Folien Gemeindeschwester",
            "materials",
            "Veranstaltung · Pflege vor Ort organisieren",
        ),
    }
    page = response.content.decode()
    assert "Wissensartikel" in page and "Veranstaltungsmaterial" in page


def test_browse_by_kind_and_topic(member_client, article, event, staff_member):
    material(staff_member, event, title="Folien Pflege")

    by_kind = items(member_client.get(LIBRARY, {"kind": "materials"}))
    by_topic = items(member_client.get(LIBRARY, {"topic": "mobility"}))

    assert [title for title, *_ in by_kind] == ["Folien Pflege"]
    assert [title for title, *_ in by_topic] == ["Leitfaden: Bürgerbus gründen"]


def test_search_stems_german_words_in_both_sources(
    member_client, article, event, staff_member
):
    material(
        staff_member,
        event,
        title="Bürgerbus im Landkreis",
        text="Erfahrungen mit Bürgerbussen",
    )
    material(staff_member, event, title="Pflegestützpunkt")

    found = items(member_client.get(LIBRARY, {"q": "Bürgerbusse"}))

    assert {title for title, *_ in found} == {
        "Leitfaden: Bürgerbus gründen",
        "Bürgerbus im Landkreis",
    }
    excluded = items(member_client.get(LIBRARY, {"q": "Bürgerbus -Landkreis"}))
    assert [title for title, *_ in excluded] == ["Leitfaden: Bürgerbus gründen"]


def test_search_finds_umlauts_typed_as_ae_oe_ue_in_both_sources(
    member_client, article, event, staff_member
):
    material(staff_member, event, title="Bürgerbus im Landkreis")

    found = items(member_client.get(LIBRARY, {"q": "buergerbus"}))

    assert {title for title, *_ in found} == {
        "Leitfaden: Bürgerbus gründen",
        "Bürgerbus im Landkreis",
    }


@pytest.mark.postgres
def test_search_uses_the_german_configuration_on_postgresql(
    member_client, article, event, staff_member
):
    material(staff_member, event, title="Bürgerbus im Landkreis")
    found = items(member_client.get(LIBRARY, {"q": "bürgerbusse"}))
    assert {title for title, *_ in found} == {
        "Leitfaden: Bürgerbus gründen",
        "Bürgerbus im Landkreis",
    }


def test_participant_materials_only_for_participants(
    member, member_client, event, staff_member
):
    material(
        staff_member, event, title="Nur für Teilnehmende", access=Access.PARTICIPANTS
    )
    assert items(member_client.get(LIBRARY)) == []

    register(member, event)

    assert [t for t, *_ in items(member_client.get(LIBRARY))] == [
        "Nur für Teilnehmende"
    ]


def test_articles_of_restricted_spaces_stay_hidden(member_client, staff_member, db):
    secret = Space.objects.create(title="Projekt", slug="projekt", is_restricted=True)
    start_thread(
        staff_member,
        secret,
        kind=ThreadKind.KNOWLEDGE,
        title="Interner Leitfaden",
        source="Nur für das Projekt.",
    )
    assert items(member_client.get(LIBRARY)) == []
    assert items(member_client.get(LIBRARY, {"q": "Leitfaden"})) == []


def test_the_library_asks_every_registered_source(member_client, db, monkeypatch):
    """Grants will register their Praxisbeispiele the same way."""
    from datetime import UTC, datetime

    monkeypatch.setattr(knowledge, "_sources", dict(knowledge._sources))
    result = knowledge.KnowledgeItem(
        title="Praxisbeispiel Dorfladen",
        kind="practice",
        kind_label="Praxisbeispiel",
        topic="local-services",
        url="/foerderung/1/",
        origin="Mikroförderung · Gemeinde Musterau",
        date=datetime(2026, 1, 1, tzinfo=UTC),
    )
    knowledge.register_source(
        "practice",
        "Praxisbeispiel",
        browse=lambda viewer, *, topic, limit: [result],
        search=lambda viewer, query, *, topic, limit: [result],
    )

    assert items(member_client.get(LIBRARY, {"kind": "practice"})) == [
        ("Praxisbeispiel Dorfladen", "practice", "Mikroförderung · Gemeinde Musterau")
    ]


def test_library_queries_do_not_grow_with_items(
    member_client, space, staff_member, event, django_assert_max_num_queries
):
    for n in range(5):
        start_thread(
            staff_member, space, kind=ThreadKind.KNOWLEDGE, title=f"A{n}", source="x"
        )
        material(staff_member, event, title=f"M{n}")
    with django_assert_max_num_queries(12):
        assert len(items(member_client.get(LIBRARY))) == 10


def test_visitors_must_log_in(client, db):
    assert client.get(LIBRARY).status_code == 302


def test_article_entries_show_plain_text_not_markdown(
    member_client, space, staff_member
):
    start_thread(
        staff_member,
        space,
        kind=ThreadKind.KNOWLEDGE,
        title="Leitfaden",
        source="### 1. Bedarf klären\nBefragen Sie **ältere** Menschen & Pendler.",
    )
    [item] = member_client.get(LIBRARY).context["items"]
    assert item.snippet == "1. Bedarf klären Befragen Sie ältere Menschen & Pendler."
