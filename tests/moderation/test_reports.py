"""Members report content in two clicks; reports gather in one open item."""

import pytest
from django.urls import reverse

from audit.models import AuditLogEntry
from moderation.models import ItemSource, Report, ReviewItem, Visibility
from realtime import groups

pytestmark = pytest.mark.usefixtures("fast_passwords", "english")


def report_url(kind, pk, next_url=""):
    url = reverse("moderation:report", args=[kind, pk])
    return f"{url}?next={next_url}" if next_url else url


def test_the_report_form_offers_the_reasons_as_a_radio_group(client, cast, fake_post):
    client.force_login(cast.other)
    response = client.get(report_url("fake_post", fake_post.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<fieldset" in html and "<legend>" in html
    assert html.count('type="radio"') == 6
    assert "Der Bürgerbus fährt ab Mai auch sonntags." in html


def test_a_report_opens_an_item_and_tells_the_moderators_live(
    client, cast, fake_post, published, django_capture_on_commit_callbacks
):
    published.listen(groups.moderators())
    client.force_login(cast.other)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            report_url("fake_post", fake_post.pk),
            {"reason": "insult", "text": "Beleidigend", "next": "/forum/"},
        )
    assert response.status_code == 302
    assert response.url == "/forum/"
    item = ReviewItem.objects.get()
    assert (item.target_kind, item.target_id) == ("fake_post", fake_post.pk)
    assert item.source == ItemSource.REPORTED
    assert item.space == cast.space
    assert item.author == cast.author
    assert item.reporter_count == 1
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.text) == (
        cast.other,
        "insult",
        "Beleidigend",
    )
    [event] = published.events(groups.moderators())
    assert event == {
        "type": "moderation.queue",
        "op": "opened",
        "item": item.pk,
        "space": cast.space.pk,
        "source": "reported",
        "reporters": 1,
    }
    assert "Thank you" in client.get(response.url).content.decode()


def test_an_unsafe_next_falls_back_to_the_content(client, cast, fake_post):
    client.force_login(cast.other)
    response = client.post(
        report_url("fake_post", fake_post.pk),
        {"reason": "spam", "next": "https://evil.example/"},
    )
    assert response.url == f"/forum/beitrag/{fake_post.pk}/"


def test_a_second_reporter_joins_the_item_and_updates_the_queue(
    client, cast, fake_post, make_member, published, django_capture_on_commit_callbacks
):
    client.force_login(cast.other)
    client.post(report_url("fake_post", fake_post.pk), {"reason": "spam"})
    published.listen(groups.moderators())
    client.force_login(make_member())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_url("fake_post", fake_post.pk), {"reason": "insult"})
    item = ReviewItem.objects.get()
    assert item.reporter_count == 2
    assert Report.objects.count() == 2
    [event] = published.events(groups.moderators())
    assert (event["op"], event["item"], event["reporters"]) == ("updated", item.pk, 2)


def test_reporting_twice_is_refused_with_a_message_and_no_row(client, cast, fake_post):
    client.force_login(cast.other)
    client.post(report_url("fake_post", fake_post.pk), {"reason": "spam"})
    response = client.post(
        report_url("fake_post", fake_post.pk), {"reason": "insult"}, follow=True
    )
    assert Report.objects.count() == 1
    assert "already reported" in response.content.decode()


def test_reporting_own_content_is_refused_without_side_effects(client, cast, fake_post):
    client.force_login(cast.author)
    response = client.post(report_url("fake_post", fake_post.pk), {"reason": "spam"})
    assert response.status_code == 403
    assert not ReviewItem.objects.exists()
    assert not Report.objects.exists()


def test_reporting_content_the_reporter_cannot_see_is_404(
    client, cast, fake_post, make_member
):
    fake_post.visibility = Visibility.PENDING
    fake_post.save(update_fields=["visibility"])
    client.force_login(cast.other)
    response = client.post(report_url("fake_post", fake_post.pk), {"reason": "spam"})
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_reporting_in_a_restricted_space_one_cannot_see_is_404(client, cast, fake_post):
    cast.space.is_restricted = True
    cast.space.save(update_fields=["is_restricted"])
    client.force_login(cast.other)
    assert client.get(report_url("fake_post", fake_post.pk)).status_code == 404
    assert not ReviewItem.objects.exists()


@pytest.mark.parametrize("kind", ["nonsense", "decision"])
def test_unknown_kinds_and_decisions_cannot_be_reported(client, cast, kind):
    client.force_login(cast.other)
    response = client.post(report_url(kind, 1), {"reason": "spam"})
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_reports_are_rate_limited_per_member(
    client, cast, make_thread, fake_kind, settings
):
    settings.MODERATION_REPORTS_PER_HOUR = 2
    posts = [
        make_thread(cast.author, in_space=cast.space, title=f"Thema {n}").posts.get()
        for n in range(3)
    ]
    client.force_login(cast.other)
    for post in posts[:2]:
        client.post(report_url("fake_post", post.pk), {"reason": "spam"})
    response = client.post(
        report_url("fake_post", posts[2].pk), {"reason": "spam"}, follow=True
    )
    assert Report.objects.count() == 2
    assert "try again later" in response.content.decode()


def test_content_is_hidden_after_enough_verified_reporters(
    client, cast, fake_post, verified_member, make_member, settings
):
    settings.MODERATION_AUTO_HIDE_REPORTS = 2
    # An unverified reporter does not count.
    client.force_login(make_member())
    client.post(report_url("fake_post", fake_post.pk), {"reason": "spam"})
    client.force_login(verified_member())
    client.post(report_url("fake_post", fake_post.pk), {"reason": "spam"})
    fake_post.refresh_from_db()
    assert fake_post.visibility == Visibility.VISIBLE
    assert not AuditLogEntry.objects.exists()

    client.force_login(verified_member())
    client.post(report_url("fake_post", fake_post.pk), {"reason": "insult"})
    fake_post.refresh_from_db()
    assert fake_post.visibility == Visibility.HIDDEN
    entry = AuditLogEntry.objects.get()
    assert entry.action == "moderation.fake_post.auto_hidden"
    assert entry.actor is None
    assert entry.data["verified_reporters"] == 2
    assert ReviewItem.objects.get().reporter_count == 3


def test_my_reports_shows_status_and_outcome(client, cast, fake_post):
    from moderation.actions.decisions import decide

    client.force_login(cast.other)
    client.post(report_url("fake_post", fake_post.pk), {"reason": "spam"})
    page = client.get(reverse("moderation:my_reports")).content.decode()
    assert "In review" in page
    decide(
        cast.space_moderator,
        ReviewItem.objects.get(),
        action="hide",
        rule="respect",
        reason="Beleidigung",
    )
    page = client.get(reverse("moderation:my_reports")).content.decode()
    assert "Decided: hidden" in page
