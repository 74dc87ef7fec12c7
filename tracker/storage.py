"""Files kept by their content: `put` returns the SHA-256 of the bytes, which is also their name, so the
same file is stored once however often it is uploaded. A `StoredFile` row (tracker.models) describes each
one; this module only holds the bytes. Certificates' logos and signatures live here, and documents.
"""

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from starlette.requests import Request

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class FileStore(Protocol):
    """Where file contents live, by their SHA-256 (hex)."""

    def put(self, data: bytes) -> str: ...

    def read(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...


def sha256_of(data: bytes) -> str:
    """The name a file's bytes are stored under."""
    return hashlib.sha256(data).hexdigest()


class LocalFileStore:
    """A folder on this machine: `ab/cdef…` for the file whose SHA-256 is `abcdef…`."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, sha256: str) -> Path:
        # Only a SHA-256 names a file: nothing from outside can point anywhere else on the disk.
        if not isinstance(sha256, str) or not _SHA256.match(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:]

    def put(self, data: bytes) -> str:
        """Store the bytes (unless they already are) and return their SHA-256."""
        sha256 = sha256_of(data)
        path = self._path(sha256)
        if path.exists():
            return sha256
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside its final place, then renamed: a reader never sees half a file, and two
        # writers of the same bytes both end with the same whole file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return sha256

    def read(self, sha256: str) -> bytes:
        """The bytes stored under this SHA-256 (FileNotFoundError when there are none)."""
        return self._path(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        """Whether bytes are stored under this SHA-256."""
        try:
            return self._path(sha256).is_file()
        except ValueError:
            return False


def file_store(request: Request) -> FileStore:
    """The app's file store (TRACKER_FILES_DIR), made on first use."""
    state = request.app.state
    store = getattr(state, "file_store", None)
    if store is None:
        store = state.file_store = LocalFileStore(state.settings.files_dir)
    return store
