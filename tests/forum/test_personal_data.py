"""The forum's part of the data export and of account deletion."""

import io
import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

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


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_the_export_holds_the_files_i_attached(
    member, member_client, make_thread, make_member, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    thread = make_thread(source="Unser Plan")
    mine = reply(
        member,
        thread,
        source="Im Anhang",
        files=[SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")],
    )
    reply(
        make_member(),
        thread,
        source="Nicht meins",
        files=[SimpleUploadedFile("fremd.pdf", PDF, content_type="application/pdf")],
    )
    attachment = mine.attachments.get()

    response = member_client.get("/meine-daten/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)
                              if response.streaming else response.content))  # fmt: skip

    path = f"files/forum_attachments/{mine.pk}/{attachment.pk}-plan.pdf"
    assert archive.read(path) == PDF
    assert [name for name in archive.namelist() if name.startswith("files/")] == [path]
    assert json.loads(archive.read("data.json"))["files"] == [path]


def test_a_deleted_members_open_seek_is_done_and_matches_no_more(
    member, member_client, make_thread, make_member, password
):
    seek = make_thread(
        kind="seek", topic="mobility", title="Suche Bürgerbus-Fahrplan", source="Hilfe"
    )
    discussion = make_thread(title="Nur eine Frage")
    member_client.post(
        "/meine-daten/konto-loeschen/", {"password": password, "confirm": "on"}
    )
    seek.refresh_from_db()
    discussion.refresh_from_db()
    assert seek.status == "done"
    assert discussion.status == ""

    offerer = make_member()
    member_client.force_login(offerer)
    response = member_client.post(
        f"/forum/{seek.space.slug}/neues-thema/",
        {
            "kind": "offer",
            "topic": "mobility",
            "title": "Biete Bürgerbus-Fahrplan",
            "source": "Unser Fahrplan für den Bürgerbus",
        },
    )
    offer_url = response.url
    html = member_client.get(offer_url).content.decode()
    assert "Suche Bürgerbus-Fahrplan" not in html
