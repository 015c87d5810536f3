"""Image attachments: checked by decoding them, stored without their metadata.

A PNG, JPEG or GIF is accepted only if Pillow decodes it and it has at most
FORUM_IMAGE_MAX_PIXELS pixels (all frames together): a file of a few
kilobytes can declare 50,000 by 50,000 pixels, which every reader's browser
would try to decode. The stored file is the image encoded again without
EXIF (camera, time, location), XMP, comments or text chunks; the colour
profile and the orientation stay (the orientation applied to the pixels).
Decoding holds up to about four bytes per pixel in memory for a moment.
"""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF"}
# What an image keeps of Pillow's `info`: how it is drawn, nothing about whom.
_KEPT_INFO = ("transparency", "duration", "loop", "background", "disposal")
_ORIENTATION = 0x0112


def _too_many_pixels(upload: UploadedFile) -> ValidationError:
    return ValidationError(
        _(
            "“%(name)s” has too many pixels (at most %(megapixels)d megapixels). "
            "Please reduce the image size."
        )
        % {
            "name": upload.name,
            "megapixels": settings.FORUM_IMAGE_MAX_PIXELS // 1_000_000,
        },
        code="image_too_large",
    )


def clean_image(upload: UploadedFile) -> UploadedFile:
    """The image in `upload` without metadata, as a new upload; or
    ValidationError (German) for an image too large or not decodable.

    `upload.content_type` says the format (checked by its leading bytes).
    """
    fmt = FORMATS[upload.content_type]
    upload.seek(0)
    try:
        with Image.open(upload, formats=[fmt]) as image:
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
            if width * height * frames > settings.FORUM_IMAGE_MAX_PIXELS:
                raise _too_many_pixels(upload)
            image.load()
            cleaned = _encode_without_metadata(image, fmt, upload)
    except Image.DecompressionBombError as bomb:
        raise _too_many_pixels(upload) from bomb
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as e:
        raise ValidationError(
            _("“%(name)s” cannot be read as an image.") % {"name": upload.name},
            code="image_unreadable",
        ) from e
    if cleaned.size > settings.FORUM_ATTACHMENT_MAX_BYTES:
        cleaned.close()
        raise ValidationError(
            _("“%(name)s” is too large (at most %(limit)s).")
            % {
                "name": upload.name,
                "limit": filesizeformat(settings.FORUM_ATTACHMENT_MAX_BYTES),
            },
            code="too_large",
        )
    return cleaned


def _encode_without_metadata(
    image: Image.Image, fmt: str, upload: UploadedFile
) -> UploadedFile:
    options: dict = {}
    if icc_profile := image.info.get("icc_profile"):
        options["icc_profile"] = icc_profile
    frames = getattr(image, "n_frames", 1)
    if fmt == "JPEG":
        orientation = image.getexif().get(_ORIENTATION, 1)
        if orientation in range(2, 9):
            # Turned as the camera meant it; the tag goes with the rest.
            image = ImageOps.exif_transpose(image)
            options["quality"] = 90
        else:
            # The original quantisation: no visible loss from encoding again.
            options["quality"] = "keep"
            options["subsampling"] = "keep"
    elif frames > 1:
        options["save_all"] = True
    image.info = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
    # In memory while small, on disk beyond, as Django keeps uploads.
    output = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (goes with the upload)
        max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        dir=settings.FILE_UPLOAD_TEMP_DIR,
    )
    image.save(output, fmt, **options)
    size = output.tell()
    output.seek(0)
    return UploadedFile(output, upload.name, upload.content_type, size)
