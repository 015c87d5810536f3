"""The member directory: peers by topic, Land, role and size, for members only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.actions import verify_affiliation
from accounts.models import District, MemberTopic, Role, SizeClass, Topic

DIRECTORY = "/mitglieder/"


@pytest.fixture
def peers(make_member, make_municipality):
    small = make_municipality(ags="12073572", name="Templin", population=4000)
    city = make_municipality(ags="05315000", name="Köln", population=1_080_000)
    mayor = make_member(
        name="Bea Bürgermeisterin",
        role=Role.MAYOR,
        municipality=small,
        offers_text="Unser Rufbus-Konzept und die Satzung dazu.",
    )
    MemberTopic.objects.create(user=mayor, topic=Topic.MOBILITY)
    clerk = make_member(
        name="Carl Kämmerer",
        job_title="Kämmerer",
        municipality=city,
        seeks_text="Erfahrungen mit einem Rufbus in der Stadt",
    )
    MemberTopic.objects.create(user=clerk, topic=Topic.DIGITAL)
    MemberTopic.objects.create(user=clerk, topic=Topic.MOBILITY)
    landrat = make_member(
        name="Dora Landrätin",
        role=Role.DISTRICT_ADMINISTRATOR,
        district=District.objects.get(key="09187"),  # Landkreis, 260,983 people
    )
    hidden = make_member(name="Hanna Verborgen", show_in_directory=False)
    gone = make_member(name="Gerd Gegangen", is_active=False)
    return {
        "mayor": mayor,
        "clerk": clerk,
        "landrat": landrat,
        "hidden": hidden,
        "gone": gone,
    }


def names(response) -> list[str]:
    return [member.name for member in response.context["page"]]


def test_directory_is_for_members_only(client, peers):
    response = client.get(DIRECTORY)
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


def test_directory_lists_only_active_members_who_chose_to_be_listed(
    member_client, peers
):
    listed = names(member_client.get(DIRECTORY))
    assert listed == [
        "Anna Beispiel",
        "Bea Bürgermeisterin",
        "Carl Kämmerer",
        "Dora Landrätin",
    ]


def test_directory_shows_role_affiliation_and_verified_mark(
    member_client, peers, staff_member
):
    verify_affiliation(staff_member, peers["clerk"])
    html = member_client.get(DIRECTORY).content.decode()
    assert f'href="/mitglieder/{peers["clerk"].pk}/">Carl Kämmerer</a>' in html
    assert "Verwaltung, Kämmerer" in html
    assert "Köln, Nordrhein-Westfalen" in html
    assert "Landkreis Rosenheim, Bayern" in html
    assert html.count('class="badge-verified"') == 1
    assert "Hanna Verborgen" not in html


def test_directory_filter_form_is_labelled_in_german(member_client, peers):
    html = member_client.get(DIRECTORY).content.decode()
    for field, label in [
        ("q", "Suchtext"),
        ("topic", "Thema"),
        ("state", "Land"),
        ("role", "Rolle"),
        ("size", "Größe der Kommune"),
    ]:
        assert f'<label for="id_{field}">{label}</label>' in html
    assert 'method="get"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"topic": Topic.MOBILITY}, ["Bea Bürgermeisterin", "Carl Kämmerer"]),
        ({"topic": Topic.DIGITAL}, ["Carl Kämmerer"]),
        ({"role": Role.DISTRICT_ADMINISTRATOR}, ["Dora Landrätin"]),
        ({"state": "05"}, ["Carl Kämmerer"]),
        ({"state": "09"}, ["Anna Beispiel", "Dora Landrätin"]),
        ({"size": SizeClass.SMALL}, ["Anna Beispiel", "Bea Bürgermeisterin"]),
        # The Landkreis counts with its own population.
        ({"size": SizeClass.CITY}, ["Carl Kämmerer", "Dora Landrätin"]),
        ({"q": "kämmerer"}, ["Carl Kämmerer"]),
        ({"q": "Bea"}, ["Bea Bürgermeisterin"]),
        ({"q": "Verborgen"}, []),
        # The free text also covers the Gemeinde, the Kreis and what members
        # offer or seek, every word somewhere.
        ({"q": "Templin"}, ["Bea Bürgermeisterin"]),
        ({"q": "Rosenheim"}, ["Anna Beispiel", "Dora Landrätin"]),
        ({"q": "Rufbus"}, ["Bea Bürgermeisterin", "Carl Kämmerer"]),
        ({"q": "Rufbus Köln"}, ["Carl Kämmerer"]),
        ({"q": "Rufbus Kämmerer"}, ["Carl Kämmerer"]),
        ({"topic": Topic.MOBILITY, "state": "12"}, ["Bea Bürgermeisterin"]),
    ],
)
def test_directory_filters(member_client, peers, query, expected):
    assert names(member_client.get(DIRECTORY, query)) == expected


def test_directory_says_how_many_were_found(member_client, peers):
    html = member_client.get(DIRECTORY, {"topic": Topic.DIGITAL}).content.decode()
    assert "1 Mitglied gefunden" in html


def test_directory_query_count_does_not_grow_with_the_page(
    member_client, make_member, make_municipality, django_assert_max_num_queries
):
    def page_queries(**params) -> tuple[int, int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = member_client.get(DIRECTORY, params)
        return len(queries), len(response.context["page"]), response.content.decode()

    make_member(name="Peer 00")
    page_queries()  # the member's cached header state (unread counts) warms up
    few_queries, few_members, _ = page_queries()
    for n in range(1, 31):
        municipality = make_municipality(ags=f"091873{n:02}", name=f"Ort {n}")
        peer = make_member(name=f"Peer {n:02}", municipality=municipality)
        MemberTopic.objects.create(user=peer, topic=Topic.HOUSING)

    with django_assert_max_num_queries(8):
        many_queries, many_members, html = page_queries()

    assert (few_members, many_members) == (2, 25)
    assert many_queries == few_queries
    assert "32 Mitglieder gefunden" in html
    assert "Seite 1 von 2" in html
    assert page_queries(seite=2)[1] == 7
