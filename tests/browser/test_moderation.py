"""Moderation in Chromium: a member reports a post, a moderator hides it.

The moderator's queue page shows the new report live (over the WebSocket,
`moderation.watch`), without a reload. Everything is done with the keyboard
where a member would; every moderation page is checked with axe-core.
Locators use ids and values rather than texts: the German catalog of the new
strings is merged separately.
"""

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_page
from tests.browser.demo import JENS, THOMAS, log_in, seed_demo
from tests.browser.support import ROOT, check_page

STAFF = ("geschaeftsstelle@zukunftsraum.example", "zukunftsraum-demo")
OFFENSIVE = "Wer so plant, hat vom ländlichen Raum keine Ahnung, Schnarchnasen!"
# Thomas writes the post to be reported (the forum's own browser tests cover
# writing posts through the form).
WRITE_POST = """
import json
from accounts.models import User
from forum.actions.posts import reply
from forum.models import Thread
author = User.objects.get(email={author!r})
thread = Thread.objects.filter(space__slug="mobilitaet").order_by("pk").first()
post = reply(author, thread, source={text!r})
print(json.dumps({{"thread": thread.pk, "post": post.pk}}))
"""


@pytest.fixture(scope="module")
def demo_data(server):
    seed_demo(server)


def write_post(server, author: str, text: str) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            WRITE_POST.format(author=author, text=text),
        ],
        cwd=ROOT,
        env=server.env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def log_in_staff(page) -> None:
    log_in(page, STAFF[0], STAFF[1])


def test_a_member_reports_a_post_and_a_moderator_hides_it(
    page, second_page, browser, server, request, demo_data
):
    ids = write_post(server, THOMAS, OFFENSIVE)
    moderator, reporter = page, second_page

    # The moderator keeps the queue open; the socket watches it.
    log_in_staff(moderator)
    moderator.goto("/moderation/")
    expect(moderator.locator("html")).to_have_attribute("data-socket", "live")
    check_page(moderator, "moderation-queue")
    entry = moderator.locator(".queue-entry").filter(has_text="Schnarchnasen")
    expect(entry).to_have_count(0)
    moderator.evaluate("window.notReloaded = true")

    # The member: "Melden" on the post, a reason, send: two clicks.
    log_in(reporter, JENS)
    reporter.goto(f"/forum/thema/{ids['thread']}/")
    post = reporter.locator(f"#beitrag-{ids['post']}")
    post.locator(".report-link").focus()
    reporter.keyboard.press("Enter")
    reporter.wait_for_url(f"**/moderation/melden/post/{ids['post']}/")
    check_page(reporter, "report-form")
    reporter.locator("input[name=reason][value=insult]").focus()
    reporter.keyboard.press("Space")
    expect(reporter.locator("input[name=reason][value=insult]")).to_be_checked()
    reporter.locator("#id_text").fill("Beleidigt alle, die anders planen.")
    reporter.locator("form.form button[type=submit]").focus()
    reporter.keyboard.press("Enter")
    reporter.wait_for_url(f"**/forum/thema/{ids['thread']}/**")
    expect(reporter.locator(".message-success")).to_be_visible()

    # Live in the moderator's queue, no reload.
    expect(entry).to_have_count(1)
    assert moderator.evaluate("window.notReloaded") is True
    expect(entry).to_contain_text("1")
    check_page(moderator, "moderation-queue-with-report")

    # The moderator opens the case and hides the post.
    entry.get_by_role("link").click()
    moderator.wait_for_url("**/moderation/fall/*/")
    expect(moderator.locator("main")).to_contain_text("Schnarchnasen")
    check_page(moderator, "moderation-item")
    moderator.locator("input[name=action][value=hide]").check()
    moderator.locator("#id_rule").select_option("respect")
    moderator.locator("#id_reason").fill("Herabsetzende Äußerung über andere Kommunen.")
    moderator.locator(".decision-form button[type=submit]").click()
    moderator.wait_for_url("**/moderation/")
    expect(
        moderator.locator(".queue-entry").filter(has_text="Schnarchnasen")
    ).to_have_count(0)

    # The reporter sees the placeholder instead of the text, and the outcome
    # among their reports.
    reporter.goto(f"/forum/thema/{ids['thread']}/")
    hidden = reporter.locator(f"#beitrag-{ids['post']}")
    expect(hidden.locator(".placeholder")).to_be_visible()
    expect(hidden).not_to_contain_text("Schnarchnasen")
    reporter.goto("/moderation/meine-meldungen/")
    check_page(reporter, "my-reports")

    # The author finds the statement of reasons among the notifications.
    with browser_page(
        browser, server, request, f"{request.node.name}-author"
    ) as author:
        log_in(author, THOMAS)
        author.goto("/benachrichtigungen/")
        link = author.locator("#notification-list a[href*='/moderation/entscheidung/']")
        expect(link).to_have_count(1)
        link.click()
        author.wait_for_url("**/moderation/entscheidung/*/")
        expect(author.locator("main")).to_contain_text(
            "Herabsetzende Äußerung über andere Kommunen."
        )
        expect(author.locator("#id_text")).to_be_visible()
        check_page(author, "moderation-decision")
