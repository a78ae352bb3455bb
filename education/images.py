"""Images for articles (hero images and images in the body), checked by content with Pillow.

An upload is accepted when Pillow reads it as JPEG, PNG, WebP or GIF, within
``IMAGE_MAX_BYTES`` and ``IMAGE_MAX_PIXELS``. It is turned the right way up (EXIF
orientation), flattened onto white, stripped of metadata (camera, GPS) and saved as JPEG
at the widths in ``WEB_WIDTHS`` (never upscaled).
"""

import io
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
#: Widths in pixels of the web copies; the largest is the one shared on social media.
WEB_WIDTHS = (480, 960, 1600)
JPEG_QUALITY = 82


@dataclass(frozen=True)
class WebImage:
    """Storage names of the saved copies by width (px), and the largest copy's size (px)."""

    sizes: dict[int, str]
    width: int
    height: int

    @property
    def largest(self) -> str:
        return self.sizes[max(self.sizes)]


def image_read(upload: UploadedFile) -> Image.Image:
    """The upload as a Pillow image, upright. Raises ValidationError (code ``too_large``,
    ``not_an_image``) with a message the writer can act on."""
    limit_mb = IMAGE_MAX_BYTES // (1024 * 1024)
    if upload.size is not None and upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(
            f"This file is {upload.size / (1024 * 1024):.1f} MB; images can be up to "
            f"{limit_mb} MB. Save it smaller (for example 2000 pixels wide) and try again.",
            code="too_large",
        )
    data = upload.read()
    not_image = ValidationError(
        "This file is not an image we can use: upload a JPEG, PNG, WebP or GIF picture.",
        code="not_an_image",
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise not_image
            if probe.width * probe.height > IMAGE_MAX_PIXELS:
                raise ValidationError(
                    f"This image is {probe.width} by {probe.height} pixels; images can have up "
                    f"to {IMAGE_MAX_PIXELS // 1_000_000} million pixels.",
                    code="too_large",
                )
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_image from None
    return ImageOps.exif_transpose(image) or image


def image_save_web(image: Image.Image, *, folder: str) -> WebImage:
    """Save ``image`` as JPEG copies at ``WEB_WIDTHS`` under ``folder`` in the default storage."""
    flat = _flatten(image)
    stem = secrets.token_hex(8)
    sizes: dict[int, str] = {}
    widths = sorted({min(width, flat.width) for width in WEB_WIDTHS})
    for width in widths:
        copy = flat if width == flat.width else _scaled(flat, width)
        buffer = io.BytesIO()
        copy.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        name = default_storage.save(f"{folder}/{stem}-{width}.jpg", ContentFile(buffer.getvalue()))
        sizes[width] = name
    largest = max(widths)
    return WebImage(sizes=sizes, width=largest, height=round(flat.height * largest / flat.width))


def images_delete(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _scaled(image: Image.Image, width: int) -> Image.Image:
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)
