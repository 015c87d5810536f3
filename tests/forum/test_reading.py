"""Reading: constant queries per page, read positions, Neu and Ungelesen."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.actions.reading import toggle_reaction
from forum.models import Attachment, ReactionKind, Thread


def queries_for(client, url: str, *, cold: bool = False) -> int:
    """Queries of one request; `cold`: with the cache emptied first (post
    cards, header counts: everything is fetched and rendered again)."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def busy_thread(make_thread, add_posts, make_member, member):
    """A thread with many authors, reactions and an attachment on every page."""
    thread = make_thread()
    authors = [make_member() for _ in range(5)]
    for author in authors:
        add_posts(thread, author, 13)  # 66 posts: four pages
    for post in thread.posts.all()[::3]:
        toggle_reaction(authors[0], post, kind=ReactionKind.THANKS)
        toggle_reaction(member, post, kind=ReactionKind.HELPFUL)
        Attachment.objects.create(
            post=post, file="attachments/x.pdf", original_name="Plan.pdf",
            content_type="application/pdf", size=10,
        )  # fmt: skip
    thread.refresh_from_db()
    return thread


@pytest.mark.parametrize("cold", [False, True], ids=["warm cache", "cold cache"])
def test_queries_per_page_do_not_grow_with_thread_length(
    member_client, member, busy_thread, make_thread, cold
):
    """One post or twenty, first page or last, cards cached or rendered."""
    short = make_thread(title="Kurz")
    # Reactions, as on every page of the busy thread (who reacted is read
    # for the posts that have any).
    toggle_reaction(member, short.posts.get(), kind=ReactionKind.THANKS)
    url = "/forum/thema/{}/?seite={}"
    pages = [(short, 1), (busy_thread, 1), (busy_thread, 2), (busy_thread, 4)]
    # Reading moves the stored read position; measure once it is at the end.
    for thread, page in reversed(pages):
        member_client.get(url.format(thread.pk, page))
    counts = [
        queries_for(member_client, url.format(thread.pk, page), cold=cold)
        for thread, page in pages
    ]
    assert len(set(counts)) == 1, counts


def test_thread_page_pinned_query_count(
    member_client, busy_thread, django_assert_max_num_queries
):
    member_client.get(f"/forum/thema/{busy_thread.pk}/?seite=4")  # read to the end
    url = f"/forum/thema/{busy_thread.pk}/?seite=3"
    member_client.get(url)
    # The session, the member, the thread with the reader's position, the
    # page's posts with their reactions.
    with django_assert_max_num_queries(4):
        member_client.get(url)
    cache.clear()
    # With nothing cached, also: whether the member moderates anything, the
    # unread counts, the posts in full, their files and who reacted to them.
    with django_assert_max_num_queries(9):
        member_client.get(url)


def warm_and_cold(client, url: str) -> tuple[int, int]:
    """Queries of the page with its cards cached, and with nothing cached."""
    client.get(url)
    return queries_for(client, url), queries_for(client, url, cold=True)


def test_hidden_and_pending_posts_cost_no_extra_queries(
    client, member, member_client, busy_thread, make_member, make_space
):
    """Readers, authors and moderators alike: the page's queries stay constant."""
    from forum.cards import posts_changed
    from forum.models import Post
    from moderation.models import Visibility

    url = f"/forum/thema/{busy_thread.pk}/?seite={{}}"
    member_client.get(url.format(4))
    baseline = warm_and_cold(member_client, url.format(2))
    page_two = busy_thread.posts.filter(position__gt=20, position__lte=40)
    ids = list(page_two.values_list("pk", flat=True))
    Post.objects.filter(pk__in=ids[::4]).update(visibility=Visibility.HIDDEN)
    Post.objects.filter(pk__in=ids[1::4]).update(visibility=Visibility.PENDING)
    Post.objects.filter(pk__in=ids[2::4]).update(visibility=Visibility.REMOVED)
    posts_changed(page_two)  # what the moderation actions do
    assert warm_and_cold(member_client, url.format(2)) == baseline

    moderator = make_member()
    busy_thread.space.moderators.add(moderator)
    client.force_login(moderator)
    client.get(url.format(4))
    moderated = warm_and_cold(client, url.format(2))
    Post.objects.filter(pk__in=ids[3::4]).update(visibility=Visibility.PENDING)
    posts_changed(page_two)
    assert warm_and_cold(client, url.format(2)) == moderated
    # The moderation panel's forms.
    assert moderated[0] <= baseline[0] + 3 and moderated[1] <= baseline[1] + 3


def test_reading_past_pending_posts_at_the_end_leaves_nothing_unread(
    member_client, member, make_thread, add_posts, make_member
):
    from forum.models import Post
    from forum.queries.threads import read_position
    from moderation.models import Visibility

    other = make_member()
    thread = make_thread(author=other)
    [held] = add_posts(thread, other, 1)
    Post.objects.filter(pk=held.pk).update(visibility=Visibility.PENDING)
    member_client.get(f"/forum/thema/{thread.pk}/")
    assert read_position(member, thread) == 2
    assert thread.title not in member_client.get("/forum/ungelesen/").content.decode()


def test_reading_a_page_moves_the_read_position_forward_only(
    member, member_client, busy_thread
):
    from forum.queries.threads import read_position

    member_client.get(f"/forum/thema/{busy_thread.pk}/?seite=2")
    assert read_position(member, busy_thread) == 40
    member_client.get(f"/forum/thema/{busy_thread.pk}/?seite=1")
    assert read_position(member, busy_thread) == 40


def test_new_posts_since_the_last_visit_are_marked(
    member_client, make_thread, add_posts, make_member
):
    thread = make_thread()
    member_client.get(f"/forum/thema/{thread.pk}/")
    add_posts(thread, make_member(), 2)
    html = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    divider = html.index("Neu seit Ihrem letzten Besuch")
    assert html.index("Beitrag Nummer 0") > divider


def test_neu_lists_recent_threads_i_have_not_opened(
    member_client, make_thread, make_member
):
    theirs = make_thread(author=make_member(), title="Noch nie geöffnet")
    opened = make_thread(author=make_member(), title="Schon gelesen")
    member_client.get(f"/forum/thema/{opened.pk}/")
    html = member_client.get("/forum/neu/").content.decode()
    assert theirs.title in html
    assert opened.title not in html


def test_ungelesen_lists_read_threads_with_new_posts_and_counts_them(
    member_client, make_thread, add_posts, make_member
):
    other = make_member()
    active = make_thread(author=other, title="Es geht weiter")
    quiet = make_thread(author=other, title="Alles gelesen")
    member_client.get(f"/forum/thema/{active.pk}/")
    member_client.get(f"/forum/thema/{quiet.pk}/")
    add_posts(active, other, 3)
    html = member_client.get("/forum/ungelesen/").content.decode()
    assert "Es geht weiter" in html and "3 ungelesen" in html
    assert "Alles gelesen" not in html


def test_space_list_marks_unread_threads(
    member_client, make_thread, add_posts, make_member, space
):
    other = make_member()
    thread = make_thread(author=other)
    member_client.get(f"/forum/thema/{thread.pk}/")
    add_posts(thread, other, 2)
    html = member_client.get(f"/forum/{space.slug}/").content.decode()
    assert "2 ungelesen" in html


def test_reactions_toggle_and_are_counted(
    member_client, member, make_thread, make_member
):
    thread = make_thread(author=make_member())
    post = thread.posts.get()
    url = f"/forum/beitrag/{post.pk}/reaktion/"
    member_client.post(url, {"kind": "thanks"})
    html = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert 'aria-pressed="true" title="Anna Beispiel"' in html
    assert (
        '>Danke<span class="visually-hidden">,</span> <span class="count">1</span>'
        in html
    )
    member_client.post(url, {"kind": "thanks"})
    assert not post.reactions.exists()
    member_client.post(url, {"kind": "<script>"})
    assert not post.reactions.exists()


def test_the_seeker_marks_the_solution(member_client, member, make_thread, make_member):
    thread = make_thread(kind="seek", title="Suche Vorlage", topic="mobility")
    answer = thread.posts.create(
        position=2, author=make_member(), source="So geht es", html="<p>So geht es</p>"
    )
    Thread.objects.filter(pk=thread.pk).update(last_position=2)
    member_client.post(f"/forum/beitrag/{answer.pk}/loesung/")
    thread.refresh_from_db()
    assert thread.solution == answer
    html = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert "badge-solution" in html


def test_others_cannot_mark_a_solution(client, make_member, make_thread):
    thread = make_thread(kind="seek", title="Suche", topic="mobility")
    stranger = make_member()
    client.force_login(stranger)
    response = client.post(f"/forum/beitrag/{thread.posts.get().pk}/loesung/")
    assert response.status_code == 403
