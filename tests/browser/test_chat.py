"""The chat in Chromium: live messages between two members, catching up after
a lost connection, and the keyboard-only way to write.

Chromium's offline emulation (`context.set_offline`) leaves open WebSockets
alone, so a member "goes offline" here through `Link`: their page's socket is
routed through Playwright, which cuts it and refuses reconnects until the
network is back.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.demo import KATRIN, SABINE, THOMAS, log_in, seed_demo
from tests.browser.support import (
    check_page,
)

FOCUS_VISIBLE = """() => {
    const style = getComputedStyle(document.activeElement);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
        || style.boxShadow !== "none";
}"""
# However long the history: its buttons must not stand between keyboard and input.
MOST_TAB_STOPS_TO_THE_INPUT = 6
# Longer than the client's backoff after a few refused reconnects (chat-socket.js).
RECONNECT_TIMEOUT_MS = 20_000
NO_RELOAD_MARK = "window.__stillTheSamePage = true"


@pytest.fixture(scope="module")
def chat_rooms(server):
    seed_demo(server, with_chat_rooms=True)


class Link:
    """The network between one browser context and the server's `/ws/`."""

    def __init__(self, context) -> None:
        self.up = True
        self.sockets = []
        context.route_web_socket("**/ws/", self.route)

    def route(self, socket) -> None:
        if not self.up:
            socket.close(code=1001)
            return
        self.sockets.append((socket, socket.connect_to_server()))

    def cut(self) -> None:
        self.up = False
        for socket, server in self.sockets:
            server.close()
            socket.close(code=1001)
        self.sockets.clear()

    def restore(self) -> None:
        self.up = True


def chat_messages(page):
    return page.locator("#chat-messages")


def announcer(page):
    """The page's one polite live region (templates/base.html)."""
    return page.locator("#live-announcer")


def assert_not_a_live_region(locator) -> None:
    """Neither the element nor anything around it is announced by itself."""
    assert locator.evaluate("node => node.closest('[aria-live], [role=log]')") is None


def stored_messages(page):
    """The messages the page shows as stored (not pending)."""
    return page.locator("#chat-messages .chat-message[data-seq]")


def open_space_room(page, title: str) -> None:
    """Through the main navigation to the chat room of a space, until live."""
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Chat"
    ).click()
    page.wait_for_url("**/chat/")
    check_page(page, "chat-rooms")
    page.locator(".room-list").get_by_role("link", name=title).click()
    expect(page.locator("#chat-title")).to_have_text(title)
    expect(page.locator("#chat")).to_have_attribute("data-status", "live")
    check_page(page, f"chat-room {title}")


def send(page, text: str) -> None:
    """Write `text` and send it with Enter; returns once it is stored."""
    stored = stored_messages(page).count()
    page.locator("#id_body").fill(text)
    page.locator("#id_body").press("Enter")
    expect(stored_messages(page), f"{text!r} is stored").to_have_count(stored + 1)
    expect(page.locator("#chat-messages .is-pending")).to_have_count(0)


def expect_messages_in_order(page, texts: list[str]) -> None:
    """The page shows exactly `texts` as stored, in order, each once."""
    bodies = stored_messages(page).locator(".chat-body")
    expect(bodies).to_have_text(texts)
    seqs = [
        int(s)
        for s in stored_messages(page).evaluate_all(
            "items => items.map((item) => item.dataset.seq)"
        )
    ]
    ids = stored_messages(page).evaluate_all(
        "items => items.map((item) => item.dataset.id)"
    )
    assert seqs == sorted(set(seqs)), f"sequence numbers in order, once: {seqs}"
    assert len(ids) == len(set(ids)), f"no message twice: {ids}"


def test_a_message_reaches_the_other_member_live_without_a_reload(
    page, second_page, chat_rooms
):
    katrin, thomas = page, second_page
    log_in(katrin, KATRIN)
    log_in(thomas, THOMAS)
    open_space_room(katrin, "Mobilität im ländlichen Raum")
    open_space_room(thomas, "Mobilität im ländlichen Raum")
    thomas.evaluate(NO_RELOAD_MARK)

    send(katrin, "Guten Morgen aus Brandenburg! **Bürgerbus** heute ab 9 Uhr.")

    messages = chat_messages(thomas)
    arrived = messages.locator(".chat-message").filter(has_text="Guten Morgen")
    expect(arrived).to_have_count(1)
    expect(arrived.locator(".chat-author")).to_have_text("Katrin Vogel")
    expect(arrived.locator(".chat-body strong")).to_have_text("Bürgerbus")
    # Said once, as plain words with the author's name, not with its buttons.
    expect(announcer(thomas)).to_have_text(
        "Katrin Vogel: Guten Morgen aus Brandenburg! Bürgerbus heute ab 9 Uhr."
    )
    assert_not_a_live_region(messages)
    expect(announcer(katrin)).not_to_contain_text("Guten Morgen")
    assert thomas.evaluate("window.__stillTheSamePage === true"), "no reload"
    check_page(thomas, "chat-room-with-a-live-message")


def test_a_member_who_was_offline_catches_up_in_order_and_sees_nothing_twice(
    page, second_page, chat_rooms
):
    katrin, thomas = page, second_page
    link = Link(thomas.context)
    log_in(katrin, KATRIN)
    log_in(thomas, THOMAS)
    open_space_room(katrin, "Fachkräfte")
    open_space_room(thomas, "Fachkräfte")
    thomas.evaluate(NO_RELOAD_MARK)
    send(katrin, "Eins: Wer kommt zum Treffen?")
    expect_messages_in_order(thomas, ["Eins: Wer kommt zum Treffen?"])

    thomas.context.set_offline(True)
    link.cut()
    expect(thomas.locator("#chat")).to_have_attribute("data-status", "offline")
    send(katrin, "Zwei: Das Treffen ist am Dienstag.")
    send(katrin, "Drei: Bitte bringen Sie Ihre Zahlen mit.")
    # What Thomas writes meanwhile waits, shown as pending.
    thomas.locator("#id_body").fill("Vier: Ich bin dabei.")
    thomas.locator("#id_body").press("Enter")
    expect(thomas.locator("#chat-messages .is-pending")).to_contain_text("Vier")
    expect_messages_in_order(thomas, ["Eins: Wer kommt zum Treffen?"])

    thomas.context.set_offline(False)
    link.restore()

    # The client retries with growing backoff: give it time, not a fixed sleep.
    expect(thomas.locator("#chat")).to_have_attribute(
        "data-status", "live", timeout=RECONNECT_TIMEOUT_MS
    )
    everything = [
        "Eins: Wer kommt zum Treffen?",
        "Zwei: Das Treffen ist am Dienstag.",
        "Drei: Bitte bringen Sie Ihre Zahlen mit.",
        "Vier: Ich bin dabei.",
    ]
    expect_messages_in_order(thomas, everything)
    expect(thomas.locator("#chat-messages .is-pending")).to_have_count(0)
    assert thomas.evaluate("window.__stillTheSamePage === true"), "no reload"
    expect_messages_in_order(katrin, everything)
    # Live again: the next message arrives once, after the missed ones.
    send(katrin, "Fünf: Bis Dienstag!")
    expect_messages_in_order(thomas, [*everything, "Fünf: Bis Dienstag!"])
    check_page(thomas, "chat-room-after-catching-up")


def tab_to_the_message_input(page) -> None:
    """From the page start: the skip link, then Tab (taking the chat's own
    skip link when it comes) until the message input has the focus."""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    stops = []
    for _ in range(MOST_TAB_STOPS_TO_THE_INPUT):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_VISIBLE), f"focus visible after {stops}"
        stops.append(page.evaluate("document.activeElement.textContent.trim()"))
        if page.evaluate("document.activeElement.id") == "id_body":
            break
        if page.evaluate("document.activeElement.hash") == "#id_body":
            expect(page.locator(".chat-skip")).to_be_visible()
            page.keyboard.press("Enter")
            break
    assert page.evaluate("document.activeElement.id") == "id_body", (
        f"the message input is a few Tab stops from the content, not after {stops}"
    )


def test_the_keyboard_alone_reaches_the_message_input_and_sends(page, chat_rooms):
    log_in(page, SABINE)
    open_space_room(page, "Ehrenamt")
    # A history whose buttons (reply, react, edit, delete) are all Tab stops.
    for number in range(1, 9):
        send(page, f"Notiz {number} zum Sommerfest")
    page.reload()
    expect(page.locator("#chat")).to_have_attribute("data-status", "live")
    expect(page.locator("#chat-older")).to_be_hidden()
    expect(page.locator("#chat-replying")).to_be_hidden()

    tab_to_the_message_input(page)
    page.keyboard.type("Wer hilft beim Sommerfest?")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("Wir brauchen noch Hände.")
    page.keyboard.press("Enter")

    sent = stored_messages(page).filter(has_text="Wer hilft beim Sommerfest?")
    expect(sent).to_have_count(1)
    expect(sent.locator(".chat-body")).to_contain_text("Wir brauchen noch Hände.")
    # One's own message is not read out again: a short "sent" is.
    expect(announcer(page)).to_have_text(
        page.locator("#chat-form").get_attribute("data-sent")
    )
    assert_not_a_live_region(sent)
    expect(announcer(page)).not_to_contain_text("Sommerfest")
    assert page.evaluate("document.activeElement.id") == "id_body", "focus stays"
    expect(page.locator("#id_body")).to_have_value("")
    page.keyboard.type("Danke!")
    page.keyboard.press("Enter")
    expect(stored_messages(page).filter(has_text="Danke!")).to_have_count(1)
    assert page.evaluate("document.activeElement.id") == "id_body"
    check_page(page, "chat-room-after-keyboard-sends")


# The structure of a message as the member's browser shows it: tags, classes,
# attributes and text, without whitespace between elements, with times as
# instants (the server writes local ISO times, live events UTC ones), and
# without the buttons the script adds to every message either way.
MESSAGE_STRUCTURE = """(item) => {
    const times = new Set(["data-created", "datetime"]);
    function shape(node) {
        if (node.nodeType === Node.TEXT_NODE) {
            const text = node.textContent.replace(/\\s+/g, " ").trim();
            return text ? text : null;
        }
        if (node.nodeType !== Node.ELEMENT_NODE) return null;
        if (node.classList.contains("chat-tools")) return null;
        const attributes = [...node.attributes]
            .map((a) => [a.name, times.has(a.name) ? Date.parse(a.value) : a.value])
            .sort();
        const children = [...node.childNodes].map(shape).filter((c) => c !== null);
        return [node.tagName, attributes, children];
    }
    return shape(item);
}"""


def test_a_live_message_looks_exactly_as_after_a_reload(page, second_page, chat_rooms):
    """The chat has two renderers of a message (templates/chat/partials/
    message.html for the history, static/js/chat.js for live events): they
    must not drift apart."""
    katrin, thomas = page, second_page
    log_in(katrin, KATRIN)
    log_in(thomas, THOMAS)
    open_space_room(katrin, "Jugend und Familie")
    open_space_room(thomas, "Jugend und Familie")
    send(katrin, "Wer kennt **gute** Beispiele für _Jugendbeteiligung_?")
    first = stored_messages(katrin).last
    first.hover()
    first.get_by_role("button", name="Antworten").click()
    send(katrin, "Zum Beispiel ein Jugendparlament.")
    expect(stored_messages(thomas)).to_have_count(2)
    live = stored_messages(thomas).evaluate_all(
        f"items => items.map({MESSAGE_STRUCTURE})"
    )

    thomas.reload()
    expect(thomas.locator("#chat")).to_have_attribute("data-status", "live")
    expect(stored_messages(thomas)).to_have_count(2)
    history = stored_messages(thomas).evaluate_all(
        f"items => items.map({MESSAGE_STRUCTURE})"
    )

    assert live == history


def test_a_direct_message_arrives_live_in_the_other_members_header(
    page, second_page, chat_rooms
):
    katrin, thomas = page, second_page
    log_in(katrin, KATRIN)
    log_in(thomas, THOMAS)
    thomas.evaluate(NO_RELOAD_MARK)
    expect(thomas.locator("html")).to_have_attribute("data-socket", "live")
    nav = thomas.get_by_role("navigation", name="Hauptnavigation")
    expect(nav.get_by_role("link", name="Chat", exact=True)).to_be_visible()

    katrin.goto("/mitglieder/")
    katrin.locator(".member-list").get_by_role("link", name="Thomas Berger").click()
    check_page(katrin, "profile-with-send-a-message")
    katrin.get_by_role("button", name="Nachricht senden").click()
    expect(katrin.locator("#chat")).to_have_attribute("data-status", "live")
    send(katrin, "Hallo Herr Berger, haben Sie kurz Zeit?")

    chat_link = nav.get_by_role("link", name="Chat 1 ungelesene Direktnachrichten")
    expect(chat_link).to_be_visible()
    expect(announcer(thomas)).to_contain_text(
        "Katrin Vogel hat Ihnen eine Direktnachricht geschickt"
    )
    assert thomas.evaluate("window.__stillTheSamePage === true"), "no reload"
    check_page(thomas, "header-with-a-direct-message")

    chat_link.click()
    conversation = thomas.locator(".room-list").get_by_role("link", name="Katrin Vogel")
    conversation.click()
    expect(stored_messages(thomas).locator(".chat-body")).to_have_text(
        ["Hallo Herr Berger, haben Sie kurz Zeit?"]
    )
    # Read: the badge is gone, here and after a reload.
    expect(nav.get_by_role("link", name="Chat", exact=True)).to_be_visible()
    thomas.reload()
    expect(nav.get_by_role("link", name="Chat", exact=True)).to_be_visible()


def test_going_offline_shows_at_once_and_live_returns_by_itself(page, chat_rooms):
    log_in(page, SABINE)
    open_space_room(page, "Integration")

    page.context.set_offline(True)  # the browser's "offline" event

    expect(page.locator("#chat")).to_have_attribute(
        "data-status", "offline", timeout=2_000
    )
    expect(page.locator("#chat-status")).to_have_text(
        "Verbindung unterbrochen. Neuer Verbindungsversuch …"
    )
    page.context.set_offline(False)
    expect(page.locator("#chat")).to_have_attribute("data-status", "live")


class BlackHole:
    """A link that stops carrying frames without closing: the socket looks open
    to the browser, nothing gets through (a dead Wi-Fi, a lost NAT entry)."""

    def __init__(self, context) -> None:
        self.dead = False
        context.route_web_socket("**/ws/", self.route)

    def route(self, socket) -> None:
        server = socket.connect_to_server()
        socket.on_message(lambda message: None if self.dead else server.send(message))
        server.on_message(lambda message: None if self.dead else socket.send(message))


def test_a_link_that_silently_died_shows_as_offline_within_the_heartbeat(
    page, chat_rooms
):
    hole = BlackHole(page.context)
    log_in(page, SABINE)
    open_space_room(page, "Wohnen im Alter")

    hole.dead = True

    # The client pings every half heartbeat (12.5 s) and waits 10 s for the
    # pong: the link shows as dead well within two heartbeats (50 s), not
    # after the 78 s it took before.
    expect(page.locator("#chat")).to_have_attribute(
        "data-status", "offline", timeout=24_000
    )


def test_the_rooms_list_counts_unread_messages_live(page, second_page, chat_rooms):
    katrin, thomas = page, second_page
    log_in(katrin, KATRIN)
    log_in(thomas, THOMAS)
    open_space_room(katrin, "Digitale Verwaltung")
    open_space_room(thomas, "Digitale Verwaltung")
    thomas.goto("/chat/")
    expect(thomas.locator("html")).to_have_attribute("data-socket", "live")
    thomas.evaluate(NO_RELOAD_MARK)
    row = thomas.locator(".room-row").filter(has_text="Digitale Verwaltung")
    expect(row.locator(".badge-unread")).to_be_hidden()

    send(katrin, "Wer nutzt schon das Onlinezugangsgesetz-Portal?")
    send(katrin, "Und wie sind die Erfahrungen?")

    expect(row.locator(".badge-unread")).to_have_text("2 ungelesene Nachrichten")
    expect(thomas.locator(".room-row").first).to_contain_text("Digitale Verwaltung")
    assert thomas.evaluate("window.__stillTheSamePage === true"), "no reload"
    # Following the rooms for their counts does not show Thomas online there.
    expect(katrin.locator("#chat-online")).not_to_contain_text("Thomas Berger")
    check_page(thomas, "chat-rooms-with-live-counts")


def test_messages_of_one_author_form_a_block_and_tools_show_on_focus(page, chat_rooms):
    log_in(page, SABINE)
    open_space_room(page, "Pflege und Gesundheit")
    send(page, "Erste Zeile")
    send(page, "Zweite Zeile")
    messages = stored_messages(page)
    first, second = messages.nth(-2), messages.last

    expect(first).not_to_have_class(re.compile("is-continuation"))
    expect(second).to_have_class(re.compile("is-continuation"))
    # The name is there for screen readers in both.
    expect(second.locator(".chat-author")).to_have_text("Sabine Krause")
    tools = second.locator(".chat-tools")
    assert tools.evaluate("node => getComputedStyle(node).opacity") == "0"
    second.get_by_role("button", name="Antworten").focus()
    assert tools.evaluate("node => getComputedStyle(node).opacity") == "1"
    # One message takes a line, not a stack of buttons.
    assert second.bounding_box()["height"] < 45

    page.reload()
    expect(stored_messages(page).last).to_have_class(re.compile("is-continuation"))


def test_enter_saves_an_edit_and_a_reaction_keeps_the_focus(page, chat_rooms):
    log_in(page, SABINE)
    open_space_room(page, "Ehrenamt")
    send(page, "Treffen am Montag")
    message = stored_messages(page).last

    message.get_by_role("button", name="Bearbeiten").focus()
    page.keyboard.press("Enter")
    editor = message.locator("textarea")
    expect(editor).to_be_focused()
    editor.fill("Treffen am Dienstag")
    editor.press("Enter")
    expect(message.locator(".chat-body")).to_have_text("Treffen am Dienstag")
    expect(message.locator(".chat-edited")).to_be_visible()

    message.get_by_text("Reagieren").focus()
    page.keyboard.press("Enter")
    message.get_by_role("button", name="Reagieren: 👍").focus()
    page.keyboard.press("Enter")
    reaction = message.locator(".chat-reaction")
    expect(reaction).to_have_attribute("aria-pressed", "true")
    expect(reaction).to_contain_text("Sabine Krause")
    focused = page.evaluate("document.activeElement.closest('.chat-message')?.id")
    assert focused == message.get_attribute("id"), "the focus stays on the message"

    reaction.focus()
    page.keyboard.press("Enter")
    expect(message.locator(".chat-reaction")).to_have_count(0)


def test_a_chat_draft_survives_a_reload(page, chat_rooms):
    log_in(page, SABINE)
    open_space_room(page, "Jugend und Familie")
    page.locator("#id_body").fill("Halb geschriebene Frage zum")
    expect(page.locator("#chat-draft-status")).to_have_text("Entwurf gespeichert")

    page.reload()

    expect(page.locator("#id_body")).to_have_value("Halb geschriebene Frage zum")
    page.locator("#id_body").press("End")
    page.locator("#id_body").press_sequentially(" Kita-Ausbau")
    page.locator("#id_body").press("Enter")
    expect(stored_messages(page).last.locator(".chat-body")).to_have_text(
        "Halb geschriebene Frage zum Kita-Ausbau"
    )
    page.reload()
    expect(page.locator("#id_body")).to_have_value("")


def test_at_mentions_are_offered_and_chosen_with_the_keyboard(page, chat_rooms):
    log_in(page, SABINE)
    open_space_room(page, "Fachkräfte")
    composer = page.locator("#id_body")
    composer.press_sequentially("Frage an @Kat")

    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(composer).to_have_attribute("aria-activedescendant", re.compile(".+"))
    expect(composer).to_have_attribute("aria-autocomplete", "list")
    expect(announcer(page)).to_contain_text("1 Mitglied gefunden")
    check_page(page, "chat-with-mention-suggestions")
    composer.press("Enter")  # chooses, does not send

    expect(composer).to_have_value("Frage an @**Katrin Vogel** ")
    expect(listbox).to_be_hidden()
    composer.press_sequentially("kennen Sie das?")
    composer.press("Enter")
    sent = stored_messages(page).last
    expect(sent.locator(".chat-body .mention")).to_have_text("@Katrin Vogel")


PNG_HEX = (
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2"
    "a3b4710000000049454e44ae426082"
)


def test_an_image_pasted_into_the_chat_is_sent_and_shown(page, chat_rooms):
    log_in(page, THOMAS)
    open_space_room(page, "Fachkräfte")
    expect(page.locator("#chat-attach")).to_be_visible()
    composer = page.locator("#id_body")
    composer.fill("Unser Aushang:")
    composer.evaluate(
        """(textarea, hex) => {
            const bytes = new Uint8Array(hex.match(/../g).map((h) => parseInt(h, 16)));
            const data = new DataTransfer();
            data.items.add(new File([bytes], "image.png", { type: "image/png" }));
            textarea.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }));
        }""",
        PNG_HEX,
    )
    expect(composer).to_have_value(
        re.compile(
            r"^Unser Aushang: !\[bild-\d+\.png\]\(/chat/anhang/\d+/bild-\d+\.png\)$"
        )
    )
    expect(page.locator("#chat-attach-status")).to_contain_text("ist angehängt")
    composer.press("Enter")

    image = stored_messages(page).last.locator(".chat-body img")
    expect(image).to_have_attribute("src", re.compile(r"^/chat/anhang/\d+/bild-"))
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 1", arg=image.element_handle()
    )
    check_page(page, "chat-with-image")
