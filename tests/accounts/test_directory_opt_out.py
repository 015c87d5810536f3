"""Leaving the directory hides a member from other members: the profile by its
id and the chat's lists of people. Accounts never confirmed are hidden too."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.actions import update_profile
from chat import actions


@pytest.fixture
def hidden(make_member):
    return make_member(name="Hanna Verborgen", show_in_directory=False)


@pytest.fixture
def unconfirmed(make_member):
    member = make_member(name="Udo Unbestätigt")
    EmailAddress.objects.filter(user=member).update(verified=False)
    return member


@pytest.fixture
def listed(make_member):
    return make_member(name="Lena Gelistet")


def test_an_opted_out_profile_is_not_found_by_its_id(member_client, hidden):
    assert member_client.get(f"/mitglieder/{hidden.pk}/").status_code == 404


def test_an_unconfirmed_account_has_no_profile_for_others(member_client, unconfirmed):
    assert member_client.get(f"/mitglieder/{unconfirmed.pk}/").status_code == 404


def test_the_member_still_sees_their_own_profile(client, hidden):
    client.force_login(hidden)
    assert client.get(f"/mitglieder/{hidden.pk}/").status_code == 200


def test_staff_still_see_the_profile(client, staff_member, hidden):
    client.force_login(staff_member)
    assert client.get(f"/mitglieder/{hidden.pk}/").status_code == 200


def test_a_listed_profile_is_found(member_client, listed):
    assert member_client.get(f"/mitglieder/{listed.pk}/").status_code == 200


def test_the_direct_conversation_form_lists_only_listed_members(
    member_client, hidden, unconfirmed, listed, make_member
):
    make_member(name="Gerd Gegangen", is_active=False)
    # Every name has a "g": the search without script, and the type-ahead.
    html = member_client.get(reverse("chat:direct"), {"suche": "g"}).content.decode()
    typeahead = member_client.get(reverse("accounts:member_search"), {"q": "g"})
    assert [match["name"] for match in typeahead.json()] == ["Lena Gelistet"]
    assert "Lena Gelistet" in html
    for name in ("Hanna Verborgen", "Udo Unbestätigt", "Gerd Gegangen"):
        assert name not in html


def test_an_opted_out_member_cannot_be_chosen_by_id(member_client, hidden):
    response = member_client.post(reverse("chat:direct"), {"members": [hidden.pk]})
    assert response.status_code == 200  # the form refuses the choice
    assert not hidden.chat_memberships.exists()


def test_invitations_offer_only_listed_members(
    client, member, hidden, listed, unconfirmed
):
    room = actions.create_room(member, title="Arbeitsgruppe", is_invite_only=True)
    client.force_login(member)
    html = client.get(reverse("chat:room", args=[room.pk])).content.decode()
    assert "Lena Gelistet" in html
    assert "Hanna Verborgen" not in html and "Udo Unbestätigt" not in html


def test_reporting_an_opted_out_profile_finds_nothing(member_client, hidden):
    response = member_client.get(
        reverse("moderation:report", args=["profile", hidden.pk])
    )
    assert response.status_code == 404


def test_posts_of_an_opted_out_member_do_not_link_to_the_hidden_profile(
    client, member, hidden
):
    from community.models import Space
    from forum.actions.threads import start_thread

    space = Space.objects.create(title="Mobilität", slug="mobilitaet")
    thread = start_thread(
        hidden, space, kind="discussion", title="Rufbus", source="Erfahrungen?"
    )
    client.force_login(member)
    html = client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert "Hanna Verborgen" in html
    assert f"/mitglieder/{hidden.pk}/" not in html


def test_opting_out_drops_the_link_from_thread_pages_seen_before(
    client, member, listed
):
    from community.models import Space
    from forum.actions.threads import start_thread

    space = Space.objects.create(title="Mobilität", slug="mobilitaet")
    thread = start_thread(
        listed, space, kind="discussion", title="Rufbus", source="Erfahrungen?"
    )
    client.force_login(member)
    url = f"/forum/thema/{thread.pk}/"
    assert f"/mitglieder/{listed.pk}/" in client.get(url).content.decode()

    listed.refresh_from_db()
    update_profile(
        listed,
        name=listed.name,
        job_title=listed.job_title,
        affiliation=listed.municipality,
        offers_text="",
        seeks_text="",
        topics=[],
        show_in_directory=False,
    )

    assert f"/mitglieder/{listed.pk}/" not in client.get(url).content.decode()
