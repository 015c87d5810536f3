"""Event lists and pages: who sees the online link, materials by access level,
filters, past events, and a constant number of queries."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from seminars.actions.materials import add_material
from seminars.actions.registrations import register
from seminars.models import Access, Event, EventKind, EventStatus

LINK = "https://konferenz.example/raum-42"
PDF = b"%PDF-1.4 Folien"


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def make_past(make_event, **fields) -> Event:
    event = make_event(**fields)
    start = timezone.now() - timedelta(days=30)
    Event.objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=2)
    )
    event.refresh_from_db()
    return event


def test_upcoming_events_are_listed_for_everyone_with_free_seats(client, make_event):
    make_event(title="Bürgerbus gründen", capacity=12)
    make_event(title="Entwurf", status=EventStatus.DRAFT)

    page = html(client.get("/veranstaltungen/"))

    assert "Bürgerbus gründen" in page
    assert "12 Plätze frei" in page
    assert "Entwurf" not in page


def test_events_are_filtered_by_kind_and_topic(member_client, make_event):
    make_event(title="Online zur Pflege", topic="care-health")
    make_event(
        title="Jahrestreffen",
        kind=EventKind.MEETING,
        location="Kassel",
        online_url="",
        topic="mobility",
    )

    by_kind = html(member_client.get("/veranstaltungen/?kind=meeting"))
    by_topic = html(member_client.get("/veranstaltungen/?topic=care-health"))

    assert "Jahrestreffen" in by_kind and "Online zur Pflege" not in by_kind
    assert "Online zur Pflege" in by_topic and "Jahrestreffen" not in by_topic


def test_past_events_show_with_their_materials(member_client, make_event, staff_member):
    past = make_past(make_event, title="Rückblick Pflege")
    add_material(
        staff_member,
        past,
        title="Folien",
        kind="slides",
        access=Access.MEMBERS,
        upload=SimpleUploadedFile("folien.pdf", PDF, content_type="application/pdf"),
    )

    page = html(member_client.get("/veranstaltungen/vergangene/"))

    assert "Rückblick Pflege" in page
    assert "1 Material" in page
    assert "Rückblick Pflege" not in html(member_client.get("/veranstaltungen/"))


def test_the_online_link_is_shown_to_participants_only(
    client, event, member, member_client, make_member
):
    other = make_member()
    other_client = type(client)()
    other_client.force_login(other)

    assert LINK not in html(client.get(f"/veranstaltungen/{event.pk}/"))
    assert LINK not in html(other_client.get(f"/veranstaltungen/{event.pk}/"))
    assert "Der Link wird angemeldeten Teilnehmenden angezeigt" in html(
        other_client.get(f"/veranstaltungen/{event.pk}/")
    )

    register(member, event)
    assert LINK in html(member_client.get(f"/veranstaltungen/{event.pk}/"))


def test_waiting_members_do_not_see_the_link(make_event, member, member_client):
    event = make_event(capacity=0)
    register(member, event)
    assert LINK not in html(member_client.get(f"/veranstaltungen/{event.pk}/"))


def test_the_description_is_rendered_markdown(client, event):
    assert "<strong>Gemeindeschwestern</strong>" in html(
        client.get(f"/veranstaltungen/{event.pk}/")
    )


def attach(staff_member, event, access, title):
    return add_material(
        staff_member,
        event,
        title=title,
        kind="slides",
        access=access,
        upload=SimpleUploadedFile(f"{title}.pdf", PDF, content_type="application/pdf"),
    )


def test_materials_follow_their_access_level(
    event, staff_member, member, member_client
):
    visitor = Client()
    public = attach(staff_member, event, Access.PUBLIC, "oeffentlich")
    members_only = attach(staff_member, event, Access.MEMBERS, "mitglieder")
    inner = attach(staff_member, event, Access.PARTICIPANTS, "teilnehmende")

    def download(who, material):
        return who.get(
            f"/veranstaltungen/material/{material.pk}/{material.original_name}"
        )

    assert download(visitor, public).status_code == 200
    refused = download(visitor, members_only)
    assert refused.status_code == 302
    response = download(member_client, inner)
    assert response.status_code == 302
    page = html(member_client.get(response.url))
    assert "Dieses Material ist nur für die Teilnehmenden" in page
    assert "teilnehmende.pdf" not in page
    assert "1 weiteres Material ist nur für Teilnehmende." in page

    register(member, event)
    delivered = download(member_client, inner)
    assert delivered.status_code == 200
    assert b"".join(delivered.streaming_content) == PDF
    assert delivered["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download(member_client, members_only).status_code == 200


def test_event_page_queries_do_not_grow_with_participants(
    make_event, member_of, client_for, django_assert_max_num_queries
):
    event = make_event(capacity=4)
    viewer = member_of("musterau")
    register(viewer, event, listed=True)
    viewer_client = client_for(viewer)
    with CaptureQueriesContext(connection) as alone:
        html(viewer_client.get(f"/veranstaltungen/{event.pk}/"))

    for place in ("bergdorf", "talheim", "grossstadt", "grossstadt"):
        register(member_of(place), event, listed=True)

    with django_assert_max_num_queries(len(alone.captured_queries)):
        page = html(viewer_client.get(f"/veranstaltungen/{event.pk}/"))
    assert page.count("(Großstadt)") == 1  # the second one waits: not listed
    assert page.count("(Bergdorf)") == 1


def test_event_list_queries_do_not_grow_with_events(
    member, member_client, make_event, django_assert_max_num_queries
):
    register(member, make_event(title="Erstes"))
    with CaptureQueriesContext(connection) as few:
        html(member_client.get("/veranstaltungen/"))
    for n in range(5):
        register(member, make_event(title=f"Weiteres {n}"))

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = html(member_client.get("/veranstaltungen/"))
    assert page.count("badge-mine") == 6
