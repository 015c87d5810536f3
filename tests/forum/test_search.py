"""German full-text search: stemming, ranking, phrases, filters, snippets."""

from datetime import datetime

import pytest
from django.utils import timezone

from forum.actions.posts import edit_post, reply


@pytest.fixture
def corpus(make_thread, make_member, member):
    other = make_member()
    bus = make_thread(
        title="Bürgerbus im Landkreis",
        source="Unser Bürgerbus fährt dienstags zum Arzt.",
    )
    reply(other, bus, source="Wie versichern Sie die ehrenamtlichen Fahrer?")
    care = make_thread(
        other, title="Gemeindeschwester", source="Pflege zu Hause, auch mit dem Bus."
    )
    return {"bus": bus, "care": care}


def search(client, query: str, **filters) -> str:
    """The results part of the search page (the form repeats the query)."""
    response = client.get("/suche/", {"q": query, "bereich": "forum", **filters})
    assert response.status_code == 200
    html = response.content.decode()
    if '<ol class="search-results">' not in html:
        return ""
    return html.split('<ol class="search-results">', 1)[1].split("</ol>", 1)[0]


def test_german_word_forms_find_each_other(member_client, corpus):
    html = search(member_client, "Bürgerbusse")
    assert "Bürgerbus im Landkreis" in html
    assert "Gemeindeschwester" not in html


def test_title_matches_rank_above_body_matches(member, corpus, make_thread):
    from forum.fulltext import search_posts
    from forum.models import Post

    make_thread(title="Pflege", source="Ein Wort über den Landkreis am Rande.")
    hits = search_posts(Post.objects.all(), "Landkreis")
    assert hits[0].post.thread == corpus["bus"]


def test_snippets_highlight_the_words_and_escape_the_rest(member_client, make_thread):
    make_thread(title="Sicherheit", source="Der <b>Fahrplan</b> für Rufbusse")
    html = search(member_client, "Fahrplan")
    assert "<mark>Fahrplan</mark>" in html
    assert "<b>" not in html  # the member's markup is escaped or dropped, never HTML


def test_phrases_and_exclusions(member_client, corpus):
    assert "Gemeindeschwester" in search(member_client, '"Pflege zu Hause"')
    assert "Gemeindeschwester" not in search(member_client, "Bus -Pflege")


def test_filters_by_kind(member_client, corpus, make_thread):
    make_thread(
        kind="offer", topic="mobility", title="Bürgerbus-Satzung", source="Vorlage"
    )
    html = search(member_client, "Bürgerbus", kind="offer")
    assert "Bürgerbus-Satzung" in html and "Bürgerbus im Landkreis" not in html


def test_restricted_spaces_never_appear_in_results(
    member_client, make_space, make_member, make_thread
):
    project = make_space(is_restricted=True)
    insider = make_member()
    project.members.add(insider)
    make_thread(insider, in_space=project, title="Geheimprojekt Bürgerbus")
    assert "Geheimprojekt" not in search(member_client, "Bürgerbus")


def test_edits_and_new_titles_are_found(member, member_client, corpus):
    post = corpus["care"].posts.get()
    edit_post(post.author, post, source="Jetzt über Telemedizin", title="Telemedizin")
    assert "Telemedizin" in search(member_client, "Telemedizin")
    assert "Gemeindeschwester" not in search(member_client, "Gemeindeschwester")


def test_an_empty_or_odd_query_is_harmless(member_client, corpus):
    for query in ["", '"', "-", "OR", "AND NOT", "*", "(((", "Bus OR"]:
        search(member_client, query)


# --- issue 16, item 12: spellings, threads, snippets, filters -----------------


@pytest.mark.parametrize("query", ["buergerbus", "Burgerbus", "BÜRGERBUS"])
def test_umlauts_written_out_or_left_off_find_the_word(member_client, corpus, query):
    assert "Bürgerbus im Landkreis" in search(member_client, query)


def test_ss_finds_sharp_s_and_back(member_client, make_thread):
    make_thread(title="Dorfstraße", source="Die Hauptstrasse wird saniert.")
    assert "Dorfstraße" in search(member_client, "Dorfstrasse")
    assert "Dorfstraße" in search(member_client, "Hauptstraße")


def test_a_thread_is_listed_once_with_its_matching_posts_counted(
    member_client, make_thread, make_member
):
    thread = make_thread(title="Rufbus", source="Der Rufbus fährt stündlich.")
    other = make_member()
    reply(other, thread, source="Unser Rufbus fährt nur morgens.")
    reply(other, thread, source="Wie buchen Sie den Rufbus?")
    html = search(member_client, "Rufbus")
    assert html.count("<li>") == 1
    assert "3 passende Beiträge" in html


def test_snippets_show_the_words_without_markdown(member_client, make_thread):
    make_thread(
        title="Satzung",
        source="Die **Satzung** für den [Bürgerbus](https://example.org/s) "
        "steht im `Amtsblatt`.",
    )
    html = search(member_client, "Amtsblatt")
    snippet = html.split('class="snippet">', 1)[1].split("</p>", 1)[0]
    assert "<mark>Amtsblatt</mark>" in snippet
    assert "Satzung für den Bürgerbus steht" in snippet
    for markdown in ("**", "](", "`"):
        assert markdown not in snippet


def test_a_near_miss_offers_the_word_it_probably_meant(member_client, corpus):
    response = member_client.get("/suche/", {"q": "Bürgerbsu", "bereich": "forum"})
    html = response.content.decode()
    assert "Meinten Sie:" in html
    assert "Bürgerbus</a>?" in html
    assert "q=B%C3%BCrgerbus" in html


def test_results_filter_by_author(member_client, corpus):
    mine = search(member_client, "Arzt OR Pflege", author="Beispiel")
    assert "Bürgerbus im Landkreis" in mine and "Gemeindeschwester" not in mine
    theirs = search(member_client, "Arzt OR Pflege", author="mitglied")
    assert "Gemeindeschwester" in theirs and "Bürgerbus im Landkreis" not in theirs


def test_results_filter_by_date(member_client, corpus):
    from forum.models import Post

    Post.objects.filter(thread=corpus["care"]).update(
        created_at=timezone.make_aware(datetime(2024, 3, 5, 10))
    )
    found = search(member_client, "Arzt OR Pflege", von="2024-03-01", bis="2024-03-05")
    assert "Gemeindeschwester" in found and "Bürgerbus im Landkreis" not in found
    found = search(member_client, "Arzt OR Pflege", von="2024-03-06")
    assert "Gemeindeschwester" not in found and "Bürgerbus im Landkreis" in found


def test_results_sort_by_newest_or_oldest(member_client, corpus):
    from forum.models import Post

    Post.objects.filter(thread=corpus["bus"]).update(
        created_at=timezone.make_aware(datetime(2024, 1, 1, 10))
    )
    newest = search(member_client, "Arzt OR Pflege", sort="newest")
    oldest = search(member_client, "Arzt OR Pflege", sort="oldest")
    assert newest.index("Gemeindeschwester") < newest.index("Bürgerbus im Landkreis")
    assert oldest.index("Bürgerbus im Landkreis") < oldest.index("Gemeindeschwester")


def test_every_page_has_the_search_field_in_its_header(member_client, corpus):
    html = member_client.get("/forum/").content.decode()
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert 'action="/suche/"' in header and 'name="q"' in header


def test_the_old_forum_search_address_leads_to_the_search(member_client):
    response = member_client.get("/forum/suche/", {"q": "Bürgerbus"})
    assert response.status_code == 302
    assert response["Location"] == "/suche/?q=B%C3%BCrgerbus"
