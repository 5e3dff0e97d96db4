"""`casereview backup` and `casereview restore`: the database and the files, together (ADR 0017).

One archive holds a consistent copy of both: the database as Django's own JSON (`dumpdata`, so the
same archive restores on SQLite or PostgreSQL, and on a later version of the product after its
migrations), read in one snapshot (REPEATABLE READ on PostgreSQL, one read transaction on SQLite),
and every letter and evidence file **that snapshot refers to**, with its SHA-256. A file written
after the snapshot belongs to no record in it (`casereview orphan-files` finds those); a file the
snapshot refers to but that is gone is listed as missing in the manifest, and the command says so.

Where the deployment sets `CASEREVIEW_BACKUP_KEY` the archive is encrypted (Fernet: AES-128-CBC
with an HMAC-SHA256, from `cryptography`); the database part holds special category data in clear
(the field encryption's key is not in the archive), so an archive without a key must be asked for
(`--no-encryption`).

A restore goes into an empty database and files directory: it migrates, loads the data, writes the
files back checking each one's hash, checks every table's count against the manifest, and then
replays the deletion log (privacy.deletion_log), so erasures and retention deletions made after the
backup was taken are made again.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
#: Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions).
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "admin.logentry")
GZIP_MAGIC = b"\x1f\x8b"


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    encrypted: bool
    taken_at: str
    counts: dict[str, int]
    files: int
    missing: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    taken_at: str
    counts: dict[str, int]
    files: int
    missing: list[str]
    reapplied: int


def _fernet(keys: list[str]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise BackupError(
            "CASEREVIEW_BACKUP_KEY is not a Fernet key: make one with "
            '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`'
        ) from error


def _backed_up_models() -> list:
    """Every concrete model the archive holds, in the order dumpdata writes them."""
    models = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.auto_created:
            continue
        if meta.app_label in EXCLUDED or meta.label_lower in EXCLUDED:
            continue
        models.append(model)
    return models


def _counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in _backed_up_models()}


def _referenced_files() -> list[str]:
    """The files under MEDIA_ROOT the database refers to: every FileField's value (letters' PDFs)
    and every evidence file (held under its random stored name)."""
    names: set[str] = set()
    for model in _backed_up_models():
        for model_field in model._meta.get_fields():
            if getattr(model_field, "get_internal_type", lambda: "")() == "FileField":
                values = model._base_manager.exclude(**{model_field.name: ""}).values_list(
                    model_field.name, flat=True
                )
                names.update(value for value in values if value)
    evidence = apps.get_model("privacy", "EvidenceFile")
    names.update(f"evidence/{name}" for name in evidence._base_manager.values_list("stored_name", flat=True))
    return sorted(names)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_create(*, path: Path, keys: list[str], allow_unencrypted: bool = False) -> BackupResult:
    """Write one archive of the database and its files to `path` (see the module's docstring)."""
    if not keys and not allow_unencrypted:
        raise BackupError(
            "Set CASEREVIEW_BACKUP_KEY to encrypt the backup (it holds special category data), or pass "
            "--no-encryption if the archive is stored encrypted some other way."
        )
    fernet = _fernet(keys) if keys else None
    root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="casereview-backup-") as work:
        work = Path(work)
        database = work / "database.json"
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            taken_at = timezone.now().isoformat()
            counts = _counts()
            call_command(
                "dumpdata",
                exclude=list(EXCLUDED),
                natural_foreign=True,
                use_base_manager=True,
                output=str(database),
                verbosity=0,
            )
            referenced = _referenced_files()
        files, missing = [], []
        bundle = work / "archive.tar.gz"
        with tarfile.open(bundle, "w:gz") as tar:
            tar.add(database, arcname="database.json")
            for name in referenced:
                source = root / name
                if not source.is_file():
                    missing.append(name)
                    continue
                files.append({"name": name, "sha256": _sha256(source), "size": source.stat().st_size})
                tar.add(source, arcname=f"files/{name}", recursive=False)
            manifest = {
                "format": FORMAT,
                "taken_at": taken_at,
                "database_vendor": connection.vendor,
                "database_sha256": _sha256(database),
                "counts": counts,
                "files": files,
                "missing": missing,
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        path.parent.mkdir(parents=True, exist_ok=True)
        if fernet is not None:
            path.write_bytes(fernet.encrypt(bundle.read_bytes()))
        else:
            shutil.copyfile(bundle, path)
        path.chmod(0o600)
    return BackupResult(path, fernet is not None, taken_at, counts, len(files), missing)


def _open_archive(path: Path, keys: list[str]) -> bytes:
    data = path.read_bytes()
    if data[:2] == GZIP_MAGIC:
        return data
    if not keys:
        raise BackupError(
            "This archive is encrypted: set CASEREVIEW_BACKUP_KEY to the key it was made with, then run "
            "the restore again."
        )
    try:
        return _fernet(keys).decrypt(data)
    except InvalidToken as error:
        raise BackupError(
            "This archive cannot be decrypted with CASEREVIEW_BACKUP_KEY: set the key it was made with "
            "(several keys may be given, comma separated)."
        ) from error


def _extract(data: bytes, into: Path) -> dict:
    """Unpack the archive's regular files only, each inside `into` (no links, no ../ names)."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar.getmembers():
                name = PurePosixPath(member.name)
                if not member.isfile() or name.is_absolute() or ".." in name.parts:
                    raise BackupError(
                        f"The archive holds an unexpected entry ({member.name!r}): not restored."
                    )
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"The archive cannot be read ({error}): is it a casereview backup?") from error
    manifest_path = into / "manifest.json"
    if not manifest_path.is_file() or not (into / "database.json").is_file():
        raise BackupError("The archive has no manifest or no database: it is not a casereview backup.")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"The archive is in format {manifest.get('format')!r}; this version reads {FORMAT}."
        )
    if _sha256(into / "database.json") != manifest.get("database_sha256"):
        raise BackupError("The archive's database does not match its manifest: it is damaged.")
    return manifest


def _require_empty(root: Path, names: list[str]) -> None:
    user = apps.get_model(settings.AUTH_USER_MODEL)
    partnership = apps.get_model("accounts", "Partnership")
    application = apps.get_model("applications", "Application")
    if any(model._base_manager.exists() for model in (user, partnership, application)):
        raise BackupError(
            "The database is not empty: restore into a new, empty database (create it, point "
            "DATABASE_URL at it, and run the restore again). Nothing was changed."
        )
    clashes = [name for name in names if (root / name).exists()]
    if clashes:
        raise BackupError(
            f"The files directory already holds {len(clashes)} of the archive's files: restore into an "
            "empty CASEREVIEW_FILES_DIR. Nothing was changed."
        )


def backup_restore(*, path: Path, keys: list[str], deletion_log: Path | None = None) -> RestoreResult:
    """Restore an archive into an empty database and files directory, then re-apply the deletion
    log (see the module's docstring)."""
    from casereview.privacy.deletion_log import deletion_log_entries, deletion_log_replay

    root = Path(settings.MEDIA_ROOT)
    entries = deletion_log_entries(deletion_log)  # read first: a bad log stops before any change
    with tempfile.TemporaryDirectory(prefix="casereview-restore-") as work:
        work = Path(work)
        manifest = _extract(_open_archive(path, keys), work)
        names = [item["name"] for item in manifest["files"]]
        call_command("migrate", interactive=False, verbosity=0)
        _require_empty(root, names)
        with transaction.atomic():
            call_command("loaddata", str(work / "database.json"), verbosity=0)
            counts = _counts()
            wrong = {
                label: (expected, counts.get(label, 0))
                for label, expected in manifest["counts"].items()
                if counts.get(label, 0) != expected
            }
            if wrong:
                raise BackupError(f"The restored database does not match the archive's counts: {wrong}")
        written = []
        try:
            for item in manifest["files"]:
                source, target = work / "files" / item["name"], root / item["name"]
                if _sha256(source) != item["sha256"]:
                    raise BackupError(
                        f"{item['name']} in the archive does not match its hash: it is damaged."
                    )
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                shutil.copyfile(source, target)
                target.chmod(0o600)
                written.append(target)
        except BackupError:
            for target in written:
                target.unlink(missing_ok=True)
            raise
    reapplied = deletion_log_replay(entries)
    return RestoreResult(manifest["taken_at"], counts, len(written), manifest.get("missing", []), reapplied)
