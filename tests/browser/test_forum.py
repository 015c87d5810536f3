"""The forum in Chromium: a member's first post, replies, matching and search.

Every page on the way is checked with axe-core for WCAG 2.1 A/AA.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.demo import JENS, KATRIN, SABINE, THOMAS, log_in, seed_demo
from tests.browser.support import check_page, register

DEMO_OFFER = "Wir bieten: Bürgerbus-Konzept mit ehrenamtlichen Fahrern"
DEMO_DISCUSSION = "Gemeindeschwester: Wie finanzieren Sie die Stelle?"
OPENING = """Wir möchten **Mitfahrbänke** aufstellen, und zwar:

- an der Kirche
- am Rathaus

Wer hat damit *Erfahrungen* gesammelt?"""
REPLY = """> Wer hat damit Erfahrungen gesammelt?

Wir! Die Bänke brauchen ein gut lesbares Schild."""


@pytest.fixture(scope="module")
def demo_data(server):
    seed_demo(server)


def main_nav(page):
    return page.get_by_role("navigation", name="Hauptnavigation")


def forum_nav(page):
    return page.get_by_role("navigation", name="Forum")


def composer_ready(page) -> None:
    """Wait for the composer's script (forum-composer.js) to take over."""
    expect(page.locator("#id_source")).to_have_attribute("aria-autocomplete", "list")


def open_space(page, title: str) -> None:
    main_nav(page).get_by_role("link", name="Forum").click()
    page.wait_for_url("**/forum/")
    check_page(page, "forum")
    page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)
    check_page(page, f"space {title}")


def test_a_new_member_starts_a_markdown_discussion_and_replies_both_rendered(
    page, server, demo_data
):
    register(page, server, "mitfahrbank@demo.example", name="Frieda Fahrbank")
    open_space(page, "Mobilität im ländlichen Raum")

    page.get_by_role("link", name="Diskussion beginnen").click()
    page.wait_for_url("**/mobilitaet/neues-thema/")
    check_page(page, "new-thread")
    assert page.locator("#id_kind").input_value() == "discussion"
    page.locator("#id_title").fill("Mitfahrbänke: Wo stellen wir sie auf?")
    page.locator("#id_source").fill(OPENING)
    page.get_by_role("button", name="Veröffentlichen").click()

    page.wait_for_url(re.compile(r"/forum/thema/\d+/$"))
    expect(page.locator("h1")).to_have_text("Mitfahrbänke: Wo stellen wir sie auf?")
    opening = page.locator(".post-body").first
    expect(opening.locator("strong")).to_have_text("Mitfahrbänke")
    expect(opening.locator("em")).to_have_text("Erfahrungen")
    expect(opening.locator("ul > li")).to_have_text(["an der Kirche", "am Rathaus"])
    assert "**" not in opening.inner_text()
    check_page(page, "thread")

    page.locator("#antwort ~ form textarea").fill(REPLY)
    page.get_by_role("button", name="Antwort veröffentlichen").click()

    page.wait_for_load_state("load")
    expect(page.locator(".post")).to_have_count(2)
    answer = page.locator(".post-body").nth(1)
    expect(answer.locator("blockquote")).to_have_text(
        "Wer hat damit Erfahrungen gesammelt?"
    )
    expect(answer).to_contain_text("Die Bänke brauchen ein gut lesbares Schild.")
    check_page(page, "thread-with-reply")


def test_search_finds_a_post_and_leads_to_it(page, server, demo_data):
    log_in(page, JENS)
    open_space(page, "Wohnen im Alter")
    page.get_by_role("link", name="Diskussion beginnen").click()
    page.locator("#id_title").fill("Wohnberatung im Rathaus")
    page.locator("#id_source").fill(
        "Seit März bieten wir eine **Wohnraumanpassungsberatung** an."
    )
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url(re.compile(r"/forum/thema/\d+/$"))
    thread_url = page.url

    main_nav(page).get_by_role("link", name="Forum").click()
    forum_nav(page).get_by_role("link", name="Suche").click()
    page.wait_for_url("**/suche/")
    check_page(page, "search")
    page.get_by_label("Suchen nach").fill("Wohnraumanpassungsberatung")
    page.locator("main form[role=search]").get_by_role("button", name="Suche").click()

    results = page.locator(".search-results > li")
    expect(results).to_have_count(1)
    expect(results.get_by_role("link")).to_have_text("Wohnberatung im Rathaus")
    expect(results.locator(".snippet mark")).to_have_text("Wohnraumanpassungsberatung")
    check_page(page, "search-results")
    results.get_by_role("link").click()
    page.wait_for_url(re.compile(re.escape(thread_url) + r"(\?.*)?#beitrag-\d+$"))
    expect(page.locator("h1")).to_have_text("Wohnberatung im Rathaus")


def test_a_seek_shows_the_fitting_offer_with_the_reasons(page, server, demo_data):
    log_in(page, JENS)
    open_space(page, "Mobilität im ländlichen Raum")

    page.get_by_role("link", name="Suche veröffentlichen").click()
    check_page(page, "new-seek")
    assert page.locator("#id_kind").input_value() == "seek"
    page.locator("#id_title").fill("Suche Erfahrungen mit einem Bürgerbus")
    page.locator("#id_source").fill(
        "Wir planen einen Bürgerbus mit ehrenamtlichen Fahrern. "
        "Wie haben Sie die Versicherung geregelt?"
    )
    page.locator("#id_topic").select_option("mobility")
    page.get_by_role("button", name="Veröffentlichen").click()

    page.wait_for_url(re.compile(r"/forum/thema/\d+/$"))
    matches = page.get_by_role("region", name="Angebote, die zu dieser Suche passen")
    offer = matches.locator(".match-list > li").filter(has_text=DEMO_OFFER)
    expect(offer).to_have_count(1)
    why = offer.locator(".why")
    expect(why).to_contain_text("Gemeinsame Begriffe:")
    expect(why).to_contain_text("Bürgerbus")
    expect(why).to_contain_text("Gleiches Thema: Mobilität")
    check_page(page, "seek-with-matches")

    offer.get_by_role("link", name=DEMO_OFFER).click()
    expect(page.locator("h1")).to_have_text(DEMO_OFFER)
    check_page(page, "offer")


def test_a_reaction_by_keyboard_counts_for_everyone_and_is_pressed_for_the_giver(
    page, second_page, server, demo_data
):
    """The posts' buttons submit the page's one form: real buttons, reached
    and pressed with the keyboard, no script needed."""
    log_in(page, JENS)
    open_space(page, "Pflege und Gesundheit")
    page.get_by_role("link", name=DEMO_DISCUSSION).click()
    expect(page.locator("h1")).to_have_text(DEMO_DISCUSSION)
    opening = page.locator(".post").first
    thanks = opening.get_by_role("button", name=re.compile("^Danke"))
    expect(thanks).to_have_attribute("aria-pressed", "false")
    thread_url = page.url
    thanks.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#beitrag-\d+$"))
    thanks = page.locator(".post").first.get_by_role(
        "button", name=re.compile("^Danke")
    )
    expect(thanks).to_have_attribute("aria-pressed", "true")
    expect(thanks.locator(".count")).to_have_text("1")
    check_page(page, "thread-after-reaction")

    log_in(second_page, KATRIN)
    second_page.goto(thread_url)
    theirs = second_page.locator(".post").first.get_by_role(
        "button", name=re.compile("^Danke")
    )
    expect(theirs).to_have_attribute("aria-pressed", "false")
    expect(theirs.locator(".count")).to_have_text("1")


def test_a_reply_draft_survives_a_reload_and_quotes_go_where_the_cursor_is(
    page, server, demo_data
):
    log_in(page, THOMAS)
    open_space(page, "Mobilität im ländlichen Raum")
    page.get_by_role("link", name=DEMO_OFFER).click()
    composer = page.locator("#id_source")
    status = page.locator("#composer-draft-status")
    composer_ready(page)
    composer.fill("Danke für das Konzept!")
    expect(status).to_have_text("Entwurf gespeichert")

    page.reload()
    composer_ready(page)
    expect(composer).to_have_value("Danke für das Konzept!")
    expect(status).to_have_text("Entwurf wiederhergestellt")
    thread_url = page.url

    # Select the first paragraph of the opening post, put the cursor at the
    # start of the reply, then "Zitieren": only the selection is quoted, there.
    first = page.locator("#posts > li.post").first
    author = first.locator(".post-author").inner_text()
    paragraph = first.locator(".post-body p").first
    selected = paragraph.evaluate(
        """(p) => {
            const range = document.createRange();
            range.selectNodeContents(p);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            return getSelection().toString();
        }"""
    )
    composer.focus()
    composer.press("Control+Home")
    paragraph.evaluate(
        """(p) => {
            const range = document.createRange();
            range.selectNodeContents(p);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }"""
    )
    first.get_by_role("link", name=re.compile("^Zitieren")).click()
    expect(composer).to_have_value(
        f"> **{author}:**\n> {selected.strip()}\n\nDanke für das Konzept!"
    )
    assert page.url == thread_url, "quoting does not reload the page"

    # Without a selection the whole post is quoted, at the cursor (the end).
    composer.press("Control+End")
    first.get_by_role("link", name=re.compile("^Zitieren")).click()
    expect(composer).to_have_value(re.compile(r"Konzept!\n\n> \*\*.+:\*\*\n> "))
    check_page(page, "thread-with-quotes")


def test_forum_mentions_are_chosen_by_keyboard_and_typed_text_is_not_lost(
    page, server, demo_data
):
    log_in(page, SABINE)
    open_space(page, "Mobilität im ländlichen Raum")
    page.get_by_role("link", name=DEMO_OFFER).click()
    composer = page.locator("#id_source")
    composer_ready(page)
    composer.press_sequentially("Frage an @Kat")

    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(composer).to_have_attribute("aria-activedescendant", re.compile(".+"))
    expect(composer).to_have_attribute("aria-autocomplete", "list")
    check_page(page, "thread-with-mention-suggestions")
    composer.press("Enter")
    expect(composer).to_have_value("Frage an @**Katrin Vogel** ")
    expect(listbox).to_be_hidden()

    # Leaving before the draft is saved asks first.
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    composer.press_sequentially("kennen Sie das?")
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_thread_shortcuts_move_between_posts_quote_and_reply(page, server, demo_data):
    log_in(page, JENS)
    open_space(page, "Mobilität im ländlichen Raum")
    page.get_by_role("link", name=DEMO_OFFER).click()
    composer_ready(page)
    composer = page.locator("#id_source")
    posts = page.locator("#posts > li.post")

    page.keyboard.press("j")
    expect(posts.nth(0)).to_be_focused()
    page.keyboard.press("j")
    expect(posts.nth(1)).to_be_focused()
    page.keyboard.press("k")
    expect(posts.nth(0)).to_be_focused()

    page.keyboard.press("q")  # quotes the post with the focus, into the reply
    expect(composer).to_be_focused()
    expect(composer).to_have_value(re.compile(r"^> \*\*Katrin Vogel:\*\*\n> "))
    page.keyboard.type("jk")  # typing is never taken for a shortcut
    expect(composer).to_have_value(re.compile(r"jk$"))

    page.locator("h1").click()
    page.keyboard.press("r")
    expect(composer).to_be_focused()

    page.locator("h1").click()
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog")
    expect(help_dialog).to_contain_text("Nächster Beitrag")
    expect(help_dialog).to_contain_text("Auf das Thema antworten")
    check_page(page, "thread-shortcuts-help")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()


PNG_HEX = (
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2"
    "a3b4710000000049454e44ae426082"
)


def test_a_pasted_image_is_attached_and_shown_in_the_post(page, server, demo_data):
    log_in(page, KATRIN)
    open_space(page, "Mobilität im ländlichen Raum")
    page.get_by_role("link", name=DEMO_OFFER).click()
    composer_ready(page)
    composer = page.locator("#id_source")
    composer.fill("So sieht unsere Haltestelle aus:")
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
    expect(page.locator("#composer-attached")).to_contain_text("Angehängt: bild-")
    expect(composer).to_have_value("So sieht unsere Haltestelle aus:")
    page.locator("#composer button[type=submit]").click()

    image = page.locator("#posts > li.post").last.locator(".attachment-image img")
    expect(image).to_have_attribute("src", re.compile(r"^/forum/anhang/\d+/bild-"))
    expect(image).to_have_attribute("alt", re.compile(r"^Bild: bild-"))
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 1", arg=image.element_handle()
    )
    check_page(page, "thread-with-image")


def test_leaving_an_unsaved_edit_asks_first(page, server, demo_data):
    log_in(page, KATRIN)
    open_space(page, "Mobilität im ländlichen Raum")
    page.get_by_role("link", name=DEMO_OFFER).click()
    page.locator("#posts > li.post").first.get_by_role(
        "link", name="Bearbeiten"
    ).click()
    page.wait_for_url(re.compile(r"/bearbeiten/$"))
    check_page(page, "post-edit")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator("#id_source").press("End")
    page.locator("#id_source").press_sequentially(" Ergänzung")
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
