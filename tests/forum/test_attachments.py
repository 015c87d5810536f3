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


# --- Images: decoded size checked, metadata removed -----------------------------


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def photo_with_location(orientation: int = 1) -> bytes:
    """A JPEG as phones write them: EXIF with camera, time and GPS position."""
    from io import BytesIO

    from PIL import Image

    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Telefonhersteller"  # Make
    exif[0x0132] = "2026:03:02 07:15:00"  # DateTime
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (47.0, 51.0, 30.0), 3: "E", 4: (12.0, 0.0, 15.0)}
    output = BytesIO()
    image.save(output, "JPEG", exif=exif, comment=b"Zuhause")
    return output.getvalue()


def test_an_image_declaring_fifty_thousand_pixels_square_is_refused(
    member_client, make_thread
):
    thread = make_thread()
    response = member_client.post(
        f"/forum/thema/{thread.pk}/antworten/",
        {
            "source": "Plan",
            "files": [upload("plan.png", png_declaring(50_000, 50_000))],
        },
    )
    assert response.status_code == 400
    assert "„plan.png“ hat zu viele Pixel (höchstens 40 Megapixel)" in (
        response.content.decode()
    )
    assert not Attachment.objects.exists()


def test_the_megapixel_limit_is_a_setting(member_client, make_thread, settings):
    settings.FORUM_IMAGE_MAX_PIXELS = 1_000_000
    thread = make_thread()
    response = member_client.post(
        f"/forum/thema/{thread.pk}/antworten/",
        {"source": "Plan", "files": [upload("plan.png", png_declaring(1001, 1000))]},
    )
    assert "höchstens 1 Megapixel" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_image_that_does_not_decode_is_refused(member_client, make_thread):
    thread = make_thread()
    response = member_client.post(
        f"/forum/thema/{thread.pk}/antworten/",
        {"source": "x", "files": [upload("bild.png", b"\x89PNG\r\n\x1a\nkaputt")]},
    )
    assert "„bild.png“ lässt sich nicht als Bild lesen." in response.content.decode()
    assert not Attachment.objects.exists()


def test_photos_are_stored_without_their_location_and_camera_data(
    member_client, make_thread
):
    from PIL import Image

    thread = make_thread()
    member_client.post(
        f"/forum/thema/{thread.pk}/antworten/",
        {"source": "Unser Bus", "files": [upload("bus.jpg", photo_with_location())]},
    )
    attachment = Attachment.objects.get()
    assert attachment.is_image
    url = f"/forum/anhang/{attachment.pk}/bus.jpg"
    served = b"".join(member_client.get(url).streaming_content)
    assert b"Exif" not in served and b"Zuhause" not in served
    assert b"Telefonhersteller" not in served
    with Image.open(attachment.file.open("rb")) as stored:
        assert stored.size == (40, 20)
        assert dict(stored.getexif()) == {}
    assert attachment.size == attachment.file.size


def test_a_photo_taken_sideways_keeps_its_orientation(member_client, make_thread):
    from PIL import Image

    thread = make_thread()
    member_client.post(
        f"/forum/thema/{thread.pk}/antworten/",
        {"source": "Hochkant", "files": [upload("hoch.jpg", photo_with_location(6))]},
    )
    with Image.open(Attachment.objects.get().file.open("rb")) as stored:
        # Orientation 6: turned 90 degrees, now in the pixels, not in a tag.
        assert stored.size == (20, 40)
        assert dict(stored.getexif()) == {}


def test_png_text_chunks_are_removed(member_client, make_thread):
    from io import BytesIO

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Anna Beispiel, Musterstraße 1")
    output = BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(output, "PNG", pnginfo=info)
    thread = make_thread()
    member_client.post(
        f"/forum/thema/{thread.pk}/antworten/",
        {"source": "Logo", "files": [upload("logo.png", output.getvalue())]},
    )
    stored = Attachment.objects.get().file.open("rb").read()
    assert b"Musterstra" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert image.mode == "RGBA"


def test_an_animated_gif_keeps_its_frames_and_loses_its_comment(
    member_client, make_thread
):
    from io import BytesIO

    from PIL import Image

    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    frames = [Image.new("RGB", (8, 8), colour) for colour in colours]
    output = BytesIO()
    frames[0].save(
        output,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=200,
        loop=0,
        comment=b"Aufgenommen in der Musterstrasse",
    )
    thread = make_thread()
    member_client.post(
        f"/forum/thema/{thread.pk}/antworten/",
        {"source": "Animation", "files": [upload("ablauf.gif", output.getvalue())]},
    )
    stored = Attachment.objects.get().file.open("rb").read()
    assert b"Musterstrasse" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert image.n_frames == 3


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
