"""The app's own folders. Outputs are written only below DATA_DIR (or an output
directory the CLI user named explicitly); user-supplied names are never joined onto
paths without validation (see ``safe_child``)."""
from __future__ import annotations

import os
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def data_dir() -> Path:
    """Root of everything the app writes (cache, projects, exports).
    STORY_AUDIO_HOME overrides the default ``<repo>/.studio``."""
    d = Path(os.environ.get("STORY_AUDIO_HOME") or REPO_ROOT / ".studio")
    d.mkdir(parents=True, exist_ok=True)
    return d


def sub_dir(name: str) -> Path:
    d = data_dir() / name
    d.mkdir(parents=True, exist_ok=True)
    return d


def safe_child(parent: Path, name: str) -> Path:
    """parent/name for a plain file name only: no separators, no '..', no hidden files."""
    if not isinstance(name, str) or not _SAFE_NAME.match(name) or ".." in name:
        raise ValueError(f"not a plain file name: {name[:40]!r}" if isinstance(name, str) else "not a file name")
    p = (parent / name).resolve()
    if p.parent != parent.resolve():
        raise ValueError("not a plain file name")
    return p
