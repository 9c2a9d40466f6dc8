"""Images for the photo tests, made here with Pillow: a camera's JPEG with its EXIF data."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

CAMERA_MAKE, CAMERA_MODEL = "Canon", "EOS 5D"


def jpeg_with_exif(size=(3200, 2400), *, orientation: int = 1) -> bytes:
    """A JPEG as a phone or camera writes it: its make and model, where it was taken (GPS) and
    which way up it was held."""
    image = Image.new("RGB", size, "#2a7f62")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    exif[ExifTags.Base.Model] = CAMERA_MODEL
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (53.0, 24.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 58.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(content: bytes, name: str = "IMG_0042.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims to be width × height: a decompression bomb's disguise."""
    import struct
    import zlib

    out = io.BytesIO()
    Image.new("L", (1, 1)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    data[16:24] = struct.pack(">II", width, height)  # the IHDR chunk's width and height
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def png_with_exif() -> bytes:
    """A PNG carrying EXIF (camera make, GPS) and a text chunk, as some editors write them."""
    from PIL import PngImagePlugin

    image = Image.new("RGBA", (800, 600), (200, 120, 40, 255))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", f"Shot on a {CAMERA_MAKE}")
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif, pnginfo=text)
    return out.getvalue()
