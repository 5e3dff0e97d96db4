"""What an upload really is, from its content (the `filetype` library reads its signature, never
the name or the browser's word), and photos without their EXIF data — the location a phone
writes into every picture, the camera, the time — before anyone else can see them (ADR 0055)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

import filetype
from PIL import Image, ImageOps

#: What the person may send: photos, recordings, documents. The MIME type `filetype` gives → (the
#: extension we store and offer, and whether it is a photo we re-save without its metadata). Not
#: HEIC: Pillow cannot re-save it, so its location could not be removed (a phone shares a JPEG
#: when a web page asks for a file).
ALLOWED: dict[str, tuple[str, bool]] = {
    "image/jpeg": ("jpg", True),
    "image/png": ("png", True),
    "image/webp": ("webp", True),
    "audio/mpeg": ("mp3", False),
    "audio/x-wav": ("wav", False),
    "audio/ogg": ("ogg", False),
    "audio/mp4": ("m4a", False),
    "audio/x-m4a": ("m4a", False),
    "video/mp4": ("mp4", False),
    "video/quicktime": ("mov", False),
    "application/pdf": ("pdf", False),
}


@dataclass(frozen=True)
class Checked:
    content: bytes
    content_type: str
    extension: str
    location_removed: bool


class NotAllowed(ValueError):
    pass


def check(content: bytes) -> Checked:
    """The upload as stored: its real type, and a photo re-saved without metadata. Raises
    NotAllowed for anything else (a renamed program, a web page, an unreadable image)."""
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED:
        raise NotAllowed(kind.mime if kind else "unknown")
    extension, photo = ALLOWED[kind.mime]
    if not photo:
        return Checked(content, kind.mime, extension, False)
    return Checked(strip_metadata(content, kind.mime), kind.mime, extension, True)


def strip_metadata(content: bytes, mime: str) -> bytes:
    """The photo's pixels only, turned the way the camera meant (EXIF orientation applied before the
    EXIF goes), saved again without EXIF, XMP, ICC comments or text chunks."""
    try:
        with Image.open(BytesIO(content)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            if upright.mode not in ("RGB", "RGBA", "L", "LA"):
                upright = upright.convert("RGBA")
            # A new image of the pixels alone: nothing of the original's info travels with it.
            clean = Image.new(upright.mode, upright.size)
            clean.paste(upright)
    except Exception as exc:  # noqa: BLE001 - any unreadable image is refused, whatever Pillow raised
        raise NotAllowed("unreadable image") from exc
    out = BytesIO()
    form = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}[mime]
    options = {"quality": 90} if form in ("JPEG", "WEBP") else {}
    if form == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    clean.save(out, format=form, **options)
    return out.getvalue()
