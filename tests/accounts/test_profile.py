from django.urls import reverse

from accounts.models import District, MemberTopic, Topic


def test_profile_is_for_members_only(client, member):
    response = client.get(reverse("accounts:profile", args=[member.pk]))
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


def test_member_sees_a_peer_profile_with_verified_mark(
    client, make_member, staff_member
):
    viewer = make_member()
    peer = make_member(name="Jonas Peer", job_title="Kämmerer", offers_text="Bürgerbus")
    MemberTopic.objects.create(user=peer, topic=Topic.MOBILITY)
    client.force_login(viewer)

    html = client.get(reverse("accounts:profile", args=[peer.pk])).content.decode()
    assert "Jonas Peer" in html and "Kämmerer" in html and "Bürgerbus" in html
    assert "Mobilität im ländlichen Raum" in html
    assert "badge-verified" not in html

    from accounts.actions import verify_affiliation

    verify_affiliation(staff_member, peer)
    html = client.get(reverse("accounts:profile", args=[peer.pk])).content.decode()
    assert 'class="badge-verified"' in html
    assert "verifiziert" in html


def test_deactivated_members_have_no_profile(member_client, make_member):
    gone = make_member(is_active=False)
    response = member_client.get(reverse("accounts:profile", args=[gone.pk]))
    assert response.status_code == 404


def test_member_edits_own_profile(member_client, member):
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {
            "name": "Anna Beispiel-Neu",
            "job_title": "Amtsleiterin",
            "area": member.municipality.ags,
            "topics": [Topic.HOUSING, Topic.CARE_HEALTH],
            "offers_text": "Wohnberatung",
            "seeks_text": "",
            "show_in_directory": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name == "Anna Beispiel-Neu"
    assert member.job_title == "Amtsleiterin"
    assert set(member.topics.values_list("topic", flat=True)) == {
        Topic.HOUSING,
        Topic.CARE_HEALTH,
    }
    assert (
        "Ihr Profil wurde gespeichert."
        in member_client.get(response.url).content.decode()
    )


def test_changing_the_municipality_resets_verification(
    member_client, member, staff_member
):
    from accounts.actions import verify_affiliation

    verify_affiliation(staff_member, member)
    member.refresh_from_db()
    assert member.is_affiliation_verified

    response = member_client.post(
        reverse("accounts:profile_edit"),
        {"name": member.name, "area": "12073", "show_in_directory": "on"},
        follow=True,
    )
    member.refresh_from_db()
    assert member.district == District.objects.get(key="12073")
    assert member.municipality is None
    assert not member.is_affiliation_verified
    assert "bestätigt Ihre Zugehörigkeit deshalb erneut" in response.content.decode()


def test_profile_form_errors_are_german_and_change_nothing(member_client, member):
    response = member_client.post(
        reverse("accounts:profile_edit"), {"name": "", "area": "Atlantis"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "Wir konnten keine eindeutige Kommune" in html
    member.refresh_from_db()
    assert member.name == "Anna Beispiel"


def test_staff_may_save_a_profile_without_municipality(client, make_member):
    staff = make_member(is_staff=True, municipality=None, name="Team")
    client.force_login(staff)
    response = client.post(
        reverse("accounts:profile_edit"),
        {"name": "Geschäftsstelle", "area": "", "show_in_directory": "on"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.name == "Geschäftsstelle"
    assert staff.affiliation is None
