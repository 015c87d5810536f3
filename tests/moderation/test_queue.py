"""The review queue, a case page with its decision form, and the header link."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation.actions.reports import report
from moderation.actions.review import open_review
from moderation.models import Decision, ItemSource, ReviewItem, Visibility

pytestmark = pytest.mark.usefixtures("fast_passwords", "english")
QUEUE = "/moderation/"


@pytest.fixture
def posts(cast, fake_kind, make_thread):
    """Three posts by the author: two in the cast's space, one in the other."""

    def post(space, title):
        return make_thread(cast.author, in_space=space, title=title).posts.get()

    return [
        post(cast.space, "Erstes Thema"),
        post(cast.space, "Zweites Thema"),
        post(cast.other_space, "Drittes Thema"),
    ]


def test_items_are_ordered_by_reporters_then_age(client, cast, posts, make_member):
    report(cast.other, "fake_post", posts[0].pk, reason="spam")
    for _ in range(2):
        report(make_member(), "fake_post", posts[1].pk, reason="insult")
    report(cast.other, "fake_post", posts[2].pk, reason="spam")
    ReviewItem.objects.filter(target_id=posts[2].pk).update(
        opened_at=timezone.now() - timedelta(days=2)
    )
    client.force_login(cast.global_moderator)
    entries = client.get(QUEUE).context["entries"]
    assert [e.item.target_id for e in entries] == [
        p.pk for p in (posts[1], posts[2], posts[0])
    ]
    assert entries[0].reasons == [("Insult or harassment", 2)]
    assert len(entries[0].reporters) == 2


def test_space_moderators_see_only_their_space(client, cast, posts):
    for post in posts:
        report(cast.other, "fake_post", post.pk, reason="spam")
    client.force_login(cast.space_moderator)
    entries = client.get(QUEUE).context["entries"]
    assert {e.item.target_id for e in entries} == {posts[0].pk, posts[1].pk}
    client.force_login(cast.foreign_moderator)
    entries = client.get(QUEUE).context["entries"]
    assert [e.item.target_id for e in entries] == [posts[2].pk]


def test_the_queue_filters_by_space_and_reason(client, cast, posts):
    report(cast.other, "fake_post", posts[0].pk, reason="spam")
    report(cast.other, "fake_post", posts[1].pk, reason="insult")
    report(cast.other, "fake_post", posts[2].pk, reason="spam")
    client.force_login(cast.global_moderator)
    by_space = client.get(QUEUE, {"space": cast.other_space.pk}).context["entries"]
    assert [e.item.target_id for e in by_space] == [posts[2].pk]
    by_reason = client.get(QUEUE, {"reason": "insult"}).context["entries"]
    assert [e.item.target_id for e in by_reason] == [posts[1].pk]


def test_the_fragment_is_the_list_alone(client, cast, posts):
    report(cast.other, "fake_post", posts[0].pk, reason="spam")
    client.force_login(cast.space_moderator)
    html = client.get(QUEUE, {"fragment": "1"}).content.decode()
    assert "<html" not in html
    assert 'class="queue-list"' in html
    assert "Wer hat einen Bürgerbus mit Ehrenamtlichen aufgebaut?" in html
    assert ">reported<" in html


def test_the_queue_page_costs_the_same_for_many_items(
    client, cast, posts, make_member, django_assert_max_num_queries
):
    for post in posts:
        report(make_member(), "fake_post", post.pk, reason="spam")
    client.force_login(cast.global_moderator)
    client.get(QUEUE)
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE)
    baseline = len(few.captured_queries)
    for post in posts:
        report(make_member(), "fake_post", post.pk, reason="insult")
    with django_assert_max_num_queries(baseline):
        client.get(QUEUE)


def test_the_case_page_shows_content_reports_and_history(client, cast, posts):
    report(cast.other, "fake_post", posts[0].pk, reason="spam", text="Werbung!")
    item = ReviewItem.objects.get()
    client.force_login(cast.space_moderator)
    page = client.get(reverse("moderation:item", args=[item.pk]))
    html = page.content.decode()
    # The fake type has no context template: the generic fallback shows it.
    assert "Wer hat einen Bürgerbus" in html
    assert f"/forum/beitrag/{posts[0].pk}/" in html
    assert "Werbung!" in html and "Olga Andere" in html
    assert "History of Alex Autor" in html
    # Space moderators: no suspension, no ban, no notes.
    actions = [value for value, _ in page.context["form"].fields["action"].choices]
    assert actions == ["dismiss", "hide", "restore", "delete", "edit", "warn", "mute"]
    assert "Moderator notes" not in html


def test_global_moderators_are_offered_everything_and_see_notes(client, cast, posts):
    report(cast.other, "fake_post", posts[0].pk, reason="spam")
    item = ReviewItem.objects.get()
    client.force_login(cast.global_moderator)
    page = client.get(reverse("moderation:item", args=[item.pk]))
    actions = [value for value, _ in page.context["form"].fields["action"].choices]
    assert actions[-2:] == ["suspend", "ban"]
    assert "Moderator notes" in page.content.decode()


def test_held_items_offer_approval_instead_of_dismissal(client, cast, posts):
    posts[0].visibility = Visibility.PENDING
    posts[0].save(update_fields=["visibility"])
    item = open_review("fake_post", posts[0], source=ItemSource.HELD)
    client.force_login(cast.space_moderator)
    page = client.get(reverse("moderation:item", args=[item.pk]))
    actions = [value for value, _ in page.context["form"].fields["action"].choices]
    assert actions[0] == "approve" and "dismiss" not in actions


def test_deciding_through_the_form(client, cast, posts):
    report(cast.other, "fake_post", posts[0].pk, reason="spam")
    item = ReviewItem.objects.get()
    client.force_login(cast.space_moderator)
    url = reverse("moderation:item", args=[item.pk])
    missing = client.post(url, {"action": "mute", "rule": "respect", "reason": "x"})
    assert missing.status_code == 200
    assert "choose a duration" in missing.content.decode()
    assert not Decision.objects.exists()
    response = client.post(
        url, {"action": "mute", "rule": "respect", "reason": "x", "duration": "24"}
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.ends_at - decision.created_at == timedelta(hours=24)


def test_the_header_links_moderators_to_their_queue_with_the_count(client, cast, posts):
    report(cast.other, "fake_post", posts[0].pk, reason="spam")
    report(cast.other, "fake_post", posts[2].pk, reason="spam")
    client.force_login(cast.space_moderator)
    html = client.get("/uebersicht/").content.decode()
    assert 'href="/moderation/"' in html
    assert 'id="moderation-count">1<' in html
    client.force_login(cast.global_moderator)
    assert 'id="moderation-count">2<' in client.get("/uebersicht/").content.decode()
    client.force_login(cast.other)
    assert 'href="/moderation/"' not in client.get("/uebersicht/").content.decode()


def test_members_pay_no_header_query_once_known(
    client, cast, django_assert_num_queries
):
    from moderation.queries.queue import open_item_count

    assert open_item_count(cast.other) is None
    with django_assert_num_queries(0):
        assert open_item_count(cast.other) is None
    cast.space.moderators.add(cast.other)
    assert open_item_count(cast.other) == 0
