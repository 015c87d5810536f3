"""German full-text search: stemming, ranking, phrases, filters, snippets."""

import pytest

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
    response = client.get("/forum/suche/", {"q": query, **filters})
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
