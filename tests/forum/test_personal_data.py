"""The forum's part of the data export and of account deletion."""

import io
import json
import zipfile

from community.markup import mention_token
from community.models import Notification
from forum.actions.posts import reply
from forum.models import Follow, Post


def export(client) -> dict:
    response = client.get("/meine-daten/export/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)
                              if response.streaming else response.content))  # fmt: skip
    return json.loads(archive.read("data.json"))["parts"]


def test_the_export_holds_my_posts_reactions_follows_and_notifications(
    member, member_client, make_thread, make_member
):
    thread = make_thread(source="Meine Frage zum Bürgerbus")
    other = make_member()
    reply(other, thread, source="Antwort")
    member_client.post(
        f"/forum/beitrag/{thread.posts.last().pk}/reaktion/", {"kind": "thanks"}
    )
    parts = export(member_client)
    assert [p["text"] for p in parts["forum_posts"]] == ["Meine Frage zum Bürgerbus"]
    assert parts["forum_reactions"][0]["reaction"] == "thanks"
    assert parts["forum_follows"][0]["thread"] == thread.title
    assert parts["notifications"][0]["kind"] == "reply"
    assert "Antwort" not in json.dumps(parts["forum_posts"])  # not other people's


def test_deleting_the_account_keeps_posts_as_former_member(
    member, member_client, make_thread, make_member, password
):
    thread = make_thread(source="Mein Beitrag bleibt lesbar")
    colleague = make_member(name="Jonas Peer")
    reply(colleague, thread, source=f"Danke {mention_token(member)}!")
    response = member_client.post(
        "/meine-daten/konto-loeschen/", {"password": password, "confirm": "on"}
    )
    assert response.status_code == 302
    assert not Follow.objects.filter(user=member).exists()
    assert not Notification.objects.filter(recipient=member).exists()
    mention = Post.objects.get(author=colleague)
    assert "Anna Beispiel" not in mention.source + mention.html
    assert "@Ehemaliges Mitglied" in mention.source
    for revision in mention.revisions.all():
        assert "Anna Beispiel" not in revision.source
    member_client.force_login(colleague)
    html = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert "Mein Beitrag bleibt lesbar" in html
    assert "Ehemaliges Mitglied" in html
    assert "Anna Beispiel" not in html
