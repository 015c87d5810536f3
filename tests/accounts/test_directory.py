import pytest

from accounts.models import District, MemberTopic, Role, SizeClass, Topic

DIRECTORY = "/mitglieder/"


@pytest.fixture
def peers(make_member, make_municipality):
    small = make_municipality(ags="12073572", name="Templin", population=4000)
    city = make_municipality(ags="05315000", name="Köln", population=1_080_000)
    mayor = make_member(name="Bea Bürgermeisterin", role=Role.MAYOR, municipality=small)
    MemberTopic.objects.create(user=mayor, topic=Topic.MOBILITY)
    clerk = make_member(name="Carl Kämmerer", job_title="Kämmerer", municipality=city)
    MemberTopic.objects.create(user=clerk, topic=Topic.DIGITAL)
    landrat = make_member(
        name="Dora Landrätin",
        role=Role.DISTRICT_ADMINISTRATOR,
        district=District.objects.get(key="09187"),
    )
    hidden = make_member(name="Hanna Verborgen", show_in_directory=False)
    return {"mayor": mayor, "clerk": clerk, "landrat": landrat, "hidden": hidden}


def names(response) -> list[str]:
    return [member.name for member in response.context["page"]]


def test_directory_is_for_members_only(client, db):
    response = client.get(DIRECTORY)
    assert response.status_code == 302


def test_directory_lists_visible_members_only(member_client, peers):
    listed = names(member_client.get(DIRECTORY))
    assert "Bea Bürgermeisterin" in listed
    assert "Hanna Verborgen" not in listed


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"topic": Topic.MOBILITY}, ["Bea Bürgermeisterin"]),
        ({"role": Role.DISTRICT_ADMINISTRATOR}, ["Dora Landrätin"]),
        ({"state": "05"}, ["Carl Kämmerer"]),
        ({"state": "09"}, ["Anna Beispiel", "Dora Landrätin"]),
        ({"size": SizeClass.SMALL}, ["Anna Beispiel", "Bea Bürgermeisterin"]),
        ({"size": SizeClass.CITY}, ["Carl Kämmerer", "Dora Landrätin"]),
        ({"q": "kämmerer"}, ["Carl Kämmerer"]),
    ],
)
def test_directory_filters(member_client, peers, query, expected):
    assert names(member_client.get(DIRECTORY, query)) == expected


def test_directory_query_count_does_not_grow_with_the_page(
    member_client, make_member, django_assert_max_num_queries
):
    for n in range(30):
        member = make_member(name=f"Peer {n:02}")
        MemberTopic.objects.create(user=member, topic=Topic.HOUSING)
    with django_assert_max_num_queries(8):
        response = member_client.get(DIRECTORY)
    assert len(response.context["page"]) == 25
    html = response.content.decode()
    assert "Seite 1 von 2" in html
    assert "31 Mitglieder gefunden" in html
