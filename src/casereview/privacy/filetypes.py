"""What an evidence file really is, from its first bytes (never trusting its name or the browser's
Content-Type), and a safe name to offer when it is downloaded."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO


@dataclass(frozen=True)
class Kind:
    family: str
    label: str
    content_type: str
    extension: str


JPEG = Kind("jpeg", "JPG image", "image/jpeg", "jpg")
PNG = Kind("png", "PNG image", "image/png", "png")
GIF = Kind("gif", "GIF image", "image/gif", "gif")
WEBP = Kind("webp", "WEBP image", "image/webp", "webp")
PDF = Kind("pdf", "PDF document", "application/pdf", "pdf")
MP3 = Kind("mp3", "MP3 recording", "audio/mpeg", "mp3")
M4A = Kind("m4a", "M4A recording", "audio/mp4", "m4a")
WAV = Kind("wav", "WAV recording", "audio/wav", "wav")
OGG = Kind("ogg", "OGG recording", "audio/ogg", "ogg")
DOCX = Kind(
    "docx", "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
)
ODT = Kind("odt", "OpenDocument text", "application/vnd.oasis.opendocument.text", "odt")

ALL = (JPEG, PNG, GIF, WEBP, PDF, MP3, M4A, WAV, OGG, DOCX, ODT)
_BY_EXTENSION = {k.extension: k for k in ALL} | {"jpeg": JPEG, "mp4a": M4A}


def detect(content: bytes) -> Kind | None:
    head = content[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return MP3
    if head[4:8] == b"ftyp" and head[8:12] in (b"M4A ", b"M4B "):
        return M4A
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(content)) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return DOCX
                if "mimetype" in names and archive.read("mimetype").strip() == ODT.content_type.encode():
                    return ODT
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
    return None


def kind_for_name(name: str) -> Kind | None:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _BY_EXTENSION.get(extension)


def safe_filename(name: str, kind: Kind) -> str:
    """The name without any path, control characters or quotes, with the extension of what the
    file really is."""
    base = re.split(r"[\\/]", name)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^A-Za-z0-9 _().-]", "_", stem).strip(" .")[:100] or "evidence"
    return f"{stem}.{kind.extension}"
