"""Attachments: allowed types and sizes, served only after a permission check."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forum.models import Attachment

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_pdf_is_attached_and_downloaded_by_members(
    member_client, make_thread, client, make_member
):
    thread = make_thread()
    member_client.post(
        f"/forum/thema/{thread.pk}/antworten/",
        {"source": "Hier die Satzung", "files": [upload("Satzung Bürgerbus.pdf", PDF)]},
    )
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert "Satzung" not in attachment.file.name  # stored under a random name
    url = f"/forum/anhang/{attachment.pk}/{quote(attachment.original_name)}"
    assert url in member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    response = member_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_a_disguised_file_is_refused_with_a_message(member_client, make_thread):
    thread = make_thread()
    response = member_client.post(
        f"/forum/thema/{thread.pk}/antworten/",
        {
            "source": "Bitte öffnen",
            "files": [upload("rechnung.pdf", b"MZ\x90\x00evil")],
        },
    )
    assert response.status_code == 400
    assert "„rechnung.pdf“ kann nicht angehängt werden" in response.content.decode()
    assert thread.posts.count() == 1 and not Attachment.objects.exists()


def test_html_and_svg_are_never_accepted(member_client, make_thread):
    thread = make_thread()
    for name, content in [("x.html", b"<script>"), ("x.svg", b"<svg onload=1>")]:
        response = member_client.post(
            f"/forum/thema/{thread.pk}/antworten/",
            {"source": "x", "files": [upload(name, content)]},
        )
        assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_too_large_files_are_refused(member_client, make_thread, settings):
    settings.FORUM_ATTACHMENT_MAX_BYTES = 100
    thread = make_thread()
    response = member_client.post(
        f"/forum/thema/{thread.pk}/antworten/",
        {"source": "x", "files": [upload("gross.pdf", PDF + b"0" * 200)]},
    )
    assert "ist zu groß (höchstens 100\xa0Bytes)" in response.content.decode()
    assert not Attachment.objects.exists()


def test_attachments_of_restricted_spaces_stay_inside(
    client, make_member, make_space, make_thread
):
    project = make_space(is_restricted=True)
    insider = make_member()
    project.members.add(insider)
    thread = make_thread(
        author=insider, in_space=project, files=[upload("intern.pdf", PDF)]
    )
    attachment = thread.posts.get().attachments.get()
    client.force_login(make_member())
    url = f"/forum/anhang/{attachment.pk}/intern.pdf"
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


# A real 1x1 PNG: browsers must be able to draw it.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2"
    "a3b4710000000049454e44ae426082"
)


def test_attached_images_show_in_the_post_behind_the_permission_check(
    member_client, make_thread, make_space, make_member
):
    from django.test import Client

    thread = make_thread()
    member_client.post(
        f"/forum/thema/{thread.pk}/antworten/",
        {"source": "So sieht es aus", "files": [upload("haltestelle.png", PNG)]},
    )
    attachment = Attachment.objects.get()
    url = f"/forum/anhang/{attachment.pk}/haltestelle.png"
    html = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert f'<img src="{url}" alt="Bild: haltestelle.png" loading="lazy">' in html
    response = member_client.get(url)
    assert response["Content-Type"] == "image/png"
    assert "attachment" not in response.get("Content-Disposition", "")

    closed = make_space(title="Projekt", slug="projekt", is_restricted=True)
    insider = make_member()
    closed.members.add(insider)
    inside_client = Client()
    inside_client.force_login(insider)
    secret = make_thread(insider, in_space=closed)
    inside_client.post(
        f"/forum/thema/{secret.pk}/antworten/",
        {"source": "Intern", "files": [upload("intern.png", PNG)]},
    )
    inside = Attachment.objects.get(original_name="intern.png")
    assert member_client.get(f"/forum/anhang/{inside.pk}/intern.png").status_code == 404
