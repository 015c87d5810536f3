"""Biete/Suche matching: fitting offers, explained, and "Kommunen wie meine"."""

import pytest

from accounts.models import State
from community.models import Notification, NotificationKind
from forum.queries.matching import matches_for


@pytest.fixture
def brandenburg(db):
    return State.objects.get_or_create(key="12", defaults={"name": "Brandenburg"})[0]


@pytest.fixture
def bayern(db):
    return State.objects.get_or_create(key="09", defaults={"name": "Bayern"})[0]


def test_a_seek_shows_fitting_offers_best_first_with_reasons(
    member, member_client, make_thread, make_member, brandenburg, bayern
):
    offerer = make_member(name="Jonas Peer")
    good = make_thread(
        offerer, kind="offer", topic="mobility", state=brandenburg, size_class="small",
        title="Wir bieten: Bürgerbus-Konzept mit Ehrenamtlichen",
        source="Unser Bürgerbus fährt seit 2019 mit ehrenamtlichen Fahrern.",
    )  # fmt: skip
    weaker = make_thread(
        offerer, kind="offer", topic="mobility", state=bayern, size_class="city",
        title="Carsharing für Stadtteile", source="Elektroautos im Quartier.",
    )  # fmt: skip
    make_thread(
        offerer, kind="offer", topic="housing", state=bayern, size_class="city",
        title="Seniorenwohnen", source="Barrierefreie Wohnungen.",
    )  # fmt: skip
    seek = make_thread(
        kind="seek", topic="mobility", state=brandenburg, size_class="small",
        title="Wir suchen ein Konzept für Bürgerbusse im ländlichen Raum",
        source="Welche Gemeinde hat einen Bürgerbus mit Ehrenamtlichen aufgebaut?",
    )  # fmt: skip
    matches = matches_for(member, seek)
    assert [m.thread for m in matches][:2] == [good, weaker]
    best = matches[0]
    assert "Gleiches Thema: Mobilität im ländlichen Raum" in best.reasons
    assert "Gleiches Land: Brandenburg" in best.reasons
    assert any(r.startswith("Gleiche Gemeindegröße") for r in best.reasons)
    assert "Bürgerbus" in " ".join(best.shared_words)
    html = member_client.get(f"/forum/thema/{seek.pk}/").content.decode()
    assert "Angebote, die zu dieser Suche passen" in html
    assert html.index(good.title) < html.index(weaker.title)
    assert "Gemeinsame Begriffe:" in html


def test_closed_and_expired_offers_do_not_match(member, make_thread, make_member):
    from datetime import timedelta

    from django.utils import timezone

    offerer = make_member()
    done = make_thread(
        offerer, kind="offer", topic="mobility", title="Bürgerbus fertig"
    )
    done.status = "done"
    done.save()
    expired = make_thread(
        offerer, kind="offer", topic="mobility", title="Bürgerbus alt",
        expires_on=timezone.localdate() - timedelta(days=1),
    )  # fmt: skip
    seek = make_thread(kind="seek", topic="mobility", title="Suche Bürgerbus")
    found = [m.thread for m in matches_for(member, seek)]
    assert done not in found and expired not in found


def test_offers_in_restricted_spaces_are_not_shown_to_outsiders(
    member, make_thread, make_member, make_space
):
    project = make_space(is_restricted=True)
    insider = make_member()
    project.members.add(insider)
    hidden = make_thread(
        insider, in_space=project, kind="offer", topic="mobility", title="Bürgerbus"
    )
    seek = make_thread(kind="seek", topic="mobility", title="Suche Bürgerbus")
    assert hidden not in [m.thread for m in matches_for(member, seek)]


def test_a_new_fitting_offer_notifies_the_seeker(
    member, make_thread, make_member, django_capture_on_commit_callbacks
):
    seek = make_thread(
        kind="seek", topic="mobility", title="Wir suchen Bürgerbus Ehrenamt Konzept"
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(
            make_member(), kind="offer", topic="mobility",
            title="Bürgerbus Konzept", source="Ehrenamt und Bürgerbus im Dorf.",
        )  # fmt: skip
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == NotificationKind.MATCH
    assert seek.title in notification.title


def test_municipalities_like_mine_filter(
    member_client, member, make_thread, make_member, make_municipality, space
):
    # The member's Musterau has 4,200 inhabitants in Land 09.
    bavarian_small = make_member(
        municipality=make_municipality("09187118", "Klein", 3000)
    )
    big_city = make_member(
        municipality=make_municipality("09162000", "München", 1_500_000)
    )
    similar = make_thread(bavarian_small, kind="offer", topic="mobility",
                          title="Dorfladen", size_class="small")  # fmt: skip
    different = make_thread(big_city, kind="offer", topic="mobility",
                            title="U-Bahn-Taktung", size_class="city")  # fmt: skip
    html = member_client.get(f"/forum/{space.slug}/?like_mine=on").content.decode()
    assert similar.title in html and different.title not in html
    assert (
        different.title in member_client.get(f"/forum/{space.slug}/").content.decode()
    )
