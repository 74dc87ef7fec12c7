"""The archive file: written under a temporary name and renamed once complete, so a half-written backup
never looks like one; read back whole into a staging folder, every member checked, before anything is
restored."""

import gzip
import hashlib
import io
import os
import re
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tracker.backups import BackupError
from tracker.backups.manifest import MANIFEST, Manifest

FILE_MEMBER = re.compile(r"^files/([0-9a-f]{2})/([0-9a-f]{62})$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"


def sha256_of_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def member_name(sha256: str) -> str:
    """Where a stored file goes in the archive: the file store's own layout."""
    return f"files/{sha256[:2]}/{sha256[2:]}"


def _fsync_folder(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # Restored by the tracker's own user, whoever made the backup.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


@contextmanager
def writing(path: Path) -> Iterator[tarfile.TarFile]:
    """A gzipped tar written beside `path` under a temporary name (readable by its owner only, like the
    data it holds), renamed to `path` once complete and on disk; removed if anything fails."""
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as file:
            with gzip.GzipFile(filename=path.name, mode="wb", compresslevel=6, fileobj=file) as compressed:
                with tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive:
                    yield archive
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
        _fsync_folder(path.parent)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def add_path(archive: tarfile.TarFile, source: Path, name: str) -> None:
    """Add a file under `name`."""
    archive.add(source, arcname=name, recursive=False, filter=_anonymous)


def add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    """Add bytes as a file under `name`."""
    info = _anonymous(tarfile.TarInfo(name))
    info.size, info.mtime = len(data), int(time.time())
    archive.addfile(info, io.BytesIO(data))


def add_stored_files(archive: tarfile.TarFile, files_dir: Path, files) -> tuple[list[dict], list[str]]:
    """Add each stored file (sha256, size) from the file store; those absent, or whose bytes are not
    their SHA-256, are left out and listed."""
    added, missing = [], []
    for sha256, _size in files:
        source = Path(files_dir) / sha256[:2] / sha256[2:]
        try:
            whole = SHA256.match(sha256) is not None and sha256_of_file(source) == sha256
        except OSError:
            whole = False
        if not whole:
            missing.append(sha256)
            continue
        add_path(archive, source, member_name(sha256))
        added.append({"sha256": sha256, "size": source.stat().st_size})
    return added, missing


@dataclass(frozen=True)
class Unpacked:
    """An archive read into a staging folder, each member checked against its manifest."""

    manifest: Manifest
    database: Path
    files: dict[str, Path]  # SHA-256 → the staged copy


def _extract(source, target: Path) -> str:
    """Copy a member's bytes to `target` (owner-only, on disk); their SHA-256."""
    digest = hashlib.sha256()
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            file.write(chunk)
        file.flush()
        os.fsync(file.fileno())
    return digest.hexdigest()


def unpack(path: Path, staging: Path, dump_names: frozenset[str]) -> Unpacked:
    """Read the whole archive into `staging`, refusing one that is cut short, altered or not a backup."""
    manifest_data, dumps, files, hashes = None, {}, {}, {}
    (staging / "files").mkdir()
    try:
        tar = tarfile.open(path, mode="r:gz")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        with open(path, "rb") as file:
            if file.read(2) != GZIP_MAGIC:
                raise BackupError(f"{path} is not a tracker backup (not a gzipped tar archive)") from None
        raise BackupError(f"{path} is cut short or damaged ({exc})") from None
    try:
        with tar:
            for member in tar:
                source = tar.extractfile(member) if member.isfile() else None
                match = FILE_MEMBER.match(member.name)
                if source is None or not (member.name == MANIFEST or member.name in dump_names or match):
                    raise BackupError(f"{path} holds {member.name!r}, which no tracker backup has")
                if member.name == MANIFEST:
                    manifest_data = source.read()
                elif match:
                    sha256 = match[1] + match[2]
                    files[sha256] = staging / "files" / sha256
                    hashes[member.name] = _extract(source, files[sha256])
                else:
                    dumps[member.name] = staging / member.name
                    hashes[member.name] = _extract(source, dumps[member.name])
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(f"{path} is cut short or damaged ({exc})") from None
    if manifest_data is None:
        raise BackupError(f"{path} has no manifest: it is damaged, cut short or not a tracker backup")
    manifest = Manifest.from_json(manifest_data)
    name = manifest.database.get("name")
    if name not in dumps or hashes[name] != manifest.database.get("sha256"):
        raise BackupError(f"the database in {path} is missing or damaged")
    damaged = sorted(sha256 for sha256 in files if hashes[member_name(sha256)] != sha256)
    absent = sorted({item["sha256"] for item in manifest.files} - files.keys())
    if damaged or absent:
        raise BackupError(f"{path} is damaged: {len(damaged)} stored files altered, {len(absent)} missing")
    return Unpacked(manifest=manifest, database=dumps[name], files=files)
