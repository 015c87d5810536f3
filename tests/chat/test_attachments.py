"""Files in the chat: uploaded into a room, shown (images) or linked in a
message, served only to those who may open the room; gone with retention,
part of the data export."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chat.actions.personal_data import purge_expired_messages
from chat.models import Attachment
from tests.chat.conftest import send

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2"
    "a3b4710000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, room, name="haltestelle.png", content=PNG):
    return client.post(
        f"/chat/{room.pk}/anhang/",
        {"file": SimpleUploadedFile(name, content, "application/octet-stream")},
    )


def test_an_uploaded_image_is_shown_in_the_message_that_carries_it(
    member_client, member, space_room
):
    answer = upload(member_client, space_room).json()
    attachment = Attachment.objects.get()
    url = f"/chat/anhang/{attachment.pk}/haltestelle.png"
    assert answer == {
        "url": url,
        "name": "haltestelle.png",
        "image": True,
        "markdown": f"![haltestelle.png]({url})",
    }
    message = send(member, space_room, f"Unsere Haltestelle {answer['markdown']}")
    assert f'<img alt="haltestelle.png" src="{url}">' in message.html
    page = member_client.get(f"/chat/{space_room.pk}/").content.decode()
    assert f'src="{url}"' in page
    image = member_client.get(url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    # Images are stored encoded again, without metadata (community.images).
    assert b"".join(image.streaming_content) == attachment_bytes()


def test_other_files_are_linked_and_downloaded(member_client, space_room):
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    answer = upload(member_client, space_room, "Fahrplan.pdf", pdf).json()
    assert answer["markdown"].startswith("[Fahrplan.pdf](/chat/anhang/")
    response = member_client.get(answer["url"])
    assert "attachment" in response["Content-Disposition"]


def test_files_of_a_closed_room_stay_inside(
    client, member, colleague, outsider, invite_only_room
):
    client.force_login(colleague)
    url = upload(client, invite_only_room).json()["url"]
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert upload(client, invite_only_room).status_code == 404


def test_files_of_other_kinds_are_refused_with_a_reason(member_client, space_room):
    response = upload(member_client, space_room, "skript.exe", b"MZ\x90\x00")
    assert response.status_code == 400
    assert "kann nicht angehängt werden" in response.json()["message"]
    assert not Attachment.objects.exists()
    # A PNG name is not enough: the content decides.
    assert (
        upload(member_client, space_room, "fake.png", b"GIF89a...").status_code == 400
    )


def test_retention_removes_old_files_from_the_disk(member_client, space_room):
    upload(member_client, space_room)
    attachment = Attachment.objects.get()
    path = attachment.file.path
    Attachment.objects.update(created_at=timezone.now() - timedelta(days=400))
    purge_expired_messages(days=365)
    assert not Attachment.objects.exists()
    assert not os.path.exists(path)


def attachment_bytes() -> bytes:
    with Attachment.objects.get().file.open("rb") as stored:
        return stored.read()


def test_the_data_export_holds_my_chat_files(member_client, space_room):
    upload(member_client, space_room)
    attachment = Attachment.objects.get()
    response = member_client.get("/meine-daten/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)
                              if response.streaming else response.content))  # fmt: skip
    path = f"files/chat_attachments/{space_room.pk}/{attachment.pk}-haltestelle.png"
    assert archive.read(path) == attachment_bytes()


def test_uploads_are_limited_per_member_with_a_time_to_wait(
    member_client, space_room, monkeypatch
):
    from chat.views import attachments

    monkeypatch.setattr(attachments, "UPLOADS_PER_HOUR", 1)
    assert upload(member_client, space_room).status_code == 200
    refused = upload(member_client, space_room, name="zweites.png")

    assert refused.status_code == 429
    assert refused.json() == {"error": "rate_limited"}
    assert int(refused["Retry-After"]) > 0
    assert Attachment.objects.count() == 1
