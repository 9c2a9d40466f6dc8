"""Photos for case studies: read as images by their content, resized, and written afresh so no
location (GPS), camera or other metadata from the original file survives."""

from __future__ import annotations

import io
import warnings

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

# The longest side a stored photo keeps: enough for a page, a PDF and a press pack.
LONGEST_SIDE = 1600
# Refuse decompression bombs well before Pillow's own limit: a photo, not a poster.
MOST_PIXELS = 40_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
TOO_LARGE = "This photo is too large; a photo up to 40 megapixels is accepted."


class PhotoError(ValueError):
    """A file that cannot be taken as a photo; the message says why and what would be."""


def cleaned_photo(upload: UploadedFile) -> tuple[ContentFile, int, int]:
    """The upload as a new JPEG or PNG no larger than LONGEST_SIDE, with no metadata at all."""
    image = _opened(upload)
    # Turn the pixels the way the camera's orientation tag says, before the tag is dropped.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    keeps_transparency = image.mode in ("RGBA", "LA", "P")
    # Only the pixels are copied into a new image: no EXIF, GPS, XMP, ICC or comments.
    fresh = Image.new("RGBA" if keeps_transparency else "RGB", image.size)
    fresh.paste(image.convert(fresh.mode))
    out = io.BytesIO()
    if keeps_transparency:
        fresh.save(out, format="PNG", optimize=True)
        name = "photo.png"
    else:
        fresh.save(out, format="JPEG", quality=85, optimize=True)
        name = "photo.jpg"
    return ContentFile(out.getvalue(), name=name), fresh.width, fresh.height


def _opened(upload: UploadedFile) -> Image.Image:
    """The upload as an image, refused before its pixels are read if it claims too many."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # MOST_PIXELS below is the limit; Pillow's own warning and error come later.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload)
    except Image.DecompressionBombError:
        raise PhotoError(TOO_LARGE) from None
    except (UnidentifiedImageError, OSError):
        raise PhotoError(_refusal("not an image")) from None
    if image.format not in FORMATS:
        raise PhotoError(_refusal(f"a {image.format} image"))
    if image.width * image.height > MOST_PIXELS:
        raise PhotoError(TOO_LARGE)
    try:
        image.load()
    except (OSError, Image.DecompressionBombError):
        raise PhotoError(_refusal("a damaged or incomplete image")) from None
    return image


def _refusal(found: str) -> str:
    return f"This file is {found}; a photo must be a JPEG, PNG or WebP image."
