"""Project files: load (size-limited, validated) and save (atomic: temp + fsync + rename)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

from .errors import ValidationError
from .timeline import MAX_JSON_BYTES, Timeline


def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> Path:
    """Write a file through ``write(f)`` so that readers see either the old or the new
    content, never half: a temp file in the same folder, fsync, then os.replace."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
        try:  # make the rename itself durable
            dfd = os.open(p.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:
            pass
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return p


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write bytes atomically (see :func:`atomic_write`)."""
    return atomic_write(path, lambda f: f.write(data))


def load_project(path: str | os.PathLike) -> Timeline:
    """Read and validate a project JSON file; every failure is a ValidationError."""
    p = Path(path)
    try:
        if not p.is_file():
            raise ValidationError("project", f"no such file: {p.name}")
        size = p.stat().st_size
        if size > MAX_JSON_BYTES:
            raise ValidationError("project", f"file is too large ({size} bytes, at most {MAX_JSON_BYTES})")
        raw = p.read_bytes()
    except OSError as e:
        raise ValidationError("project", f"cannot read {p.name}: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError("project", "file is not UTF-8 text") from None
    return Timeline.from_json(text)


def save_project(timeline: Timeline, path: str | os.PathLike) -> Path:
    return atomic_write_bytes(path, (timeline.to_json() + "\n").encode("utf-8"))
