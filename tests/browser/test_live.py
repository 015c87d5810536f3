"""Live updates on every signed-in page, in Chromium: one WebSocket per tab.

A reply in a followed thread raises the header's unread count on whatever page
the member has open, and the page's one polite live region says the
notification's title; a member reading the thread sees the "new posts" banner.
Both members act through the browser; waits follow what the page shows.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.demo import JENS, KATRIN, SABINE, THOMAS, log_in, seed_demo
from tests.browser.support import PASSWORD, check_page, register

SPACE = "Mobilität im ländlichen Raum"
THREAD_URL = re.compile(r"/forum/thema/\d+/$")
NO_RELOAD_MARK = "window.__stillTheSamePage = true"
STILL_THE_SAME_PAGE = "window.__stillTheSamePage === true"


@pytest.fixture(scope="module")
def demo_data(server):
    seed_demo(server, with_chat_rooms=True)


def main_nav(page):
    return page.get_by_role("navigation", name="Hauptnavigation")


def announcer(page):
    """The page's one polite live region (templates/base.html)."""
    return page.locator("#live-announcer")


# Counts the WebSockets each document opens (Playwright's "websocket" events
# cannot tell which document opened a socket while one page replaces another).
COUNT_SOCKETS = """
    window.__socketsOpened = 0;
    window.WebSocket = class extends window.WebSocket {
        constructor(...args) {
            super(...args);
            window.__socketsOpened += 1;
        }
    };
"""


def count_sockets(page) -> None:
    """From the next document on, count the WebSockets each one opens."""
    page.add_init_script(COUNT_SOCKETS)


def sockets_opened(page) -> int:
    return page.evaluate("window.__socketsOpened")


def expect_live(page) -> None:
    """The tab's socket is connected and greeted (the server's `hello`)."""
    expect(page.locator("html")).to_have_attribute("data-socket", "live")


def start_discussion(page, title: str, text: str) -> str:
    """Start a discussion in SPACE through the forum; returns the thread's URL."""
    main_nav(page).get_by_role("link", name="Forum").click()
    page.wait_for_url("**/forum/")
    page.get_by_role("link", name=SPACE).click()
    page.get_by_role("link", name="Diskussion beginnen").click()
    page.locator("#id_title").fill(title)
    page.locator("#id_source").fill(text)
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url(THREAD_URL)
    return page.url


def reply(page, text: str) -> None:
    """Reply on the open thread page; returns once the reply is shown."""
    page.locator("#antwort ~ form textarea").fill(text)
    page.get_by_role("button", name="Antwort veröffentlichen").click()
    expect(page.locator(".post-body").filter(has_text=text)).to_have_count(1)


def test_a_reply_in_a_followed_thread_raises_the_header_count_and_is_announced(
    page, second_page, demo_data
):
    katrin, thomas = page, second_page
    title = "Dorfladen: Wer kennt ein gutes Genossenschaftsmodell?"
    log_in(katrin, KATRIN)
    # Whoever starts a thread follows it.
    thread_url = start_discussion(katrin, title, "Wir suchen Satzungen zum Vergleich.")
    count_sockets(katrin)
    main_nav(katrin).get_by_role("link", name="Forum").click()
    katrin.wait_for_url("**/forum/")
    expect_live(katrin)
    unread = int(katrin.locator("#notification-unread").get_attribute("data-count"))
    check_page(katrin, "forum-live")
    katrin.evaluate(NO_RELOAD_MARK)

    log_in(thomas, THOMAS)
    thomas.goto(thread_url)
    reply(thomas, "Unsere Satzung schicke ich Ihnen gern.")

    count = main_nav(katrin).get_by_role(
        "link", name=f"Benachrichtigungen {unread + 1} ungelesen"
    )
    expect(count).to_have_count(1)
    expect(katrin.locator("#notification-count")).to_have_text(
        f"{unread + 1} ungelesen"
    )
    expect(announcer(katrin)).to_have_text(
        f"Thomas Berger hat in „{title}“ geantwortet"
    )
    assert katrin.evaluate(STILL_THE_SAME_PAGE), "no reload"
    assert sockets_opened(katrin) == 1, "one socket for the tab"
    check_page(katrin, "forum-with-a-live-notification")

    count.click()
    katrin.wait_for_url("**/benachrichtigungen/")
    expect(katrin.locator("main")).to_contain_text(title)


def test_a_thread_page_shows_the_new_posts_banner_when_another_member_replies(
    page, second_page, demo_data
):
    jens, thomas = page, second_page
    log_in(thomas, THOMAS)
    thread_url = start_discussion(
        thomas, "Rufbus am Wochenende", "Lohnt sich ein Rufbus auch samstags?"
    )
    log_in(jens, JENS)
    count_sockets(jens)
    jens.goto(thread_url)
    banner = jens.locator("#new-posts")
    expect(jens.locator("#thread")).to_have_attribute("data-watching", "true")
    expect(banner).to_be_hidden()
    check_page(jens, "thread-watching")
    jens.evaluate(NO_RELOAD_MARK)

    reply(thomas, "Bei uns fährt er samstags bis 18 Uhr.")

    expect(banner).to_be_visible()
    expect(announcer(jens)).to_have_text("Neue Beiträge sind eingetroffen. Anzeigen.")
    assert jens.evaluate(STILL_THE_SAME_PAGE), "no reload"
    assert sockets_opened(jens) == 1, "one socket for the tab"
    check_page(jens, "thread-with-new-posts-banner")

    banner.get_by_role("link").click()
    expect(
        jens.locator(".post-body").filter(has_text="samstags bis 18 Uhr")
    ).to_have_count(1)


# Records what the live region says, and says more as soon as it first spoke.
SAY_IN_A_BURST = """() => {
    const region = document.getElementById("live-announcer");
    const say = window.zukunftsraumLive.announce;
    window.__said = [];
    new MutationObserver(() => {
        const lines = [...region.children].map((line) => line.textContent);
        if (!lines.length) return;
        window.__said.push({at: performance.now(), lines});
        if (window.__said.length === 1) {
            say("Drei");
            say("Vier");
        }
    }).observe(region, {childList: true});
    say("Eins");
    say("Zwei");
    say("Zwei");
}"""


def test_announcements_are_gathered_at_most_one_a_second(page, demo_data):
    log_in(page, SABINE)
    expect_live(page)
    page.evaluate(SAY_IN_A_BURST)
    expect(announcer(page)).to_have_text("DreiVier")
    said = page.evaluate("window.__said")
    assert [entry["lines"] for entry in said] == [["Eins", "Zwei"], ["Drei", "Vier"]]
    assert said[1]["at"] - said[0]["at"] >= 950, "a second between announcements"


def test_the_chat_room_page_uses_the_tabs_one_socket(page, demo_data):
    log_in(page, SABINE)
    count_sockets(page)
    main_nav(page).get_by_role("link", name="Chat").click()
    page.wait_for_url("**/chat/")
    page.locator(".room-list").get_by_role("link", name=SPACE).click()
    expect(page.locator("#chat")).to_have_attribute("data-status", "live")
    assert sockets_opened(page) == 1, "one socket for the tab"
    assert page.locator("[aria-live]").count() == 1, "one live region"
    check_page(page, "chat-room-live")


def test_a_tab_whose_session_ended_shows_the_login_page(page, server):
    """Deleting the account in one tab ends the session of the other tab's
    socket (close 4001): that tab reloads instead of reconnecting."""
    register(page, server, "zwei.tabs@demo.example", name="Zora Zweitab")
    expect_live(page)
    other_tab = page.context.new_page()
    other_tab.goto("/meine-daten/konto-loeschen/")
    other_tab.locator("#id_password").fill(PASSWORD)
    other_tab.locator("#id_confirm").check()
    other_tab.locator("main button[type=submit]").click()
    other_tab.wait_for_url("**/konto-geloescht/")

    page.wait_for_url("**/konto/login/**")
    expect(main_nav(page).get_by_role("link", name="Anmelden")).to_be_visible()
    expect(page.locator("#live-announcer")).to_have_count(0)
    check_page(page, "login-after-the-session-ended")
