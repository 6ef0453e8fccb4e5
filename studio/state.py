"""The studio's state is the project document (a Timeline as a JSON dict) and nothing
else. Studio bookkeeping rides in ``provenance["studio"]``: the autosave name, the
residual context the takes were rendered with, kept takes per event, mix settings.

Every change is autosaved atomically to ``<data dir>/projects/<name>.json`` where the
name is generated here (``p-`` + 16 hex digits) and re-validated whenever it comes
back from a client: no user-supplied path is ever opened or echoed."""
from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from engine.errors import ValidationError, one_line
from engine.paths import sub_dir
from engine.project_io import save_project
from engine.timeline import MAX_JSON_BYTES, Timeline

KEY = "studio"
NAME = re.compile(r"^p-[0-9a-f]{16}$")
MAX_KEPT = 12


class StudioError(Exception):
    """A one-line message for the user; the state is left as it was."""


def fail(e: Exception) -> StudioError:
    """One line, no traceback; field paths of table rows read as rows."""
    msg = str(e).splitlines()[0] if str(e) else type(e).__name__
    msg = re.sub(r"events\[(\d+)\]\.?", lambda m: f"row {int(m.group(1)) + 1} ", msg)
    return StudioError(msg[:300])


def load(state: Any) -> Timeline:
    """The Timeline in a state dict (or JSON text), validated."""
    if not state:
        raise StudioError("plan a story or load a project first")
    try:
        return Timeline.from_json(state if not isinstance(state, dict) else dict(state))
    except ValidationError as e:
        raise fail(e) from None


def meta(tl: Timeline) -> dict:
    m = tl.provenance.get(KEY)
    return json.loads(json.dumps(m)) if isinstance(m, dict) else {}


def with_meta(tl: Timeline, **changes) -> Timeline:
    m = meta(tl)
    m.update(changes)
    return tl.replace(provenance=dict(tl.provenance, **{KEY: m}))


def name_of(tl: Timeline) -> str:
    """The project's autosave name, or "" if it has none (or a forged one)."""
    n = meta(tl).get("name", "")
    return n if isinstance(n, str) and NAME.match(n) else ""


def new_name() -> str:
    return "p-" + secrets.token_hex(8)


def fresh(tl: Timeline) -> Timeline:
    """The same project under a new autosave name (a planned, loaded or opened project)."""
    return with_meta(tl, name=new_name())


def commit(tl: Timeline) -> dict:
    """Autosave (atomic) and return the state dict."""
    if not name_of(tl):
        tl = fresh(tl)
    save_project(tl, sub_dir("projects") / f"{name_of(tl)}.json")
    return tl.to_dict()


def recent(limit: int = 10) -> list[tuple[str, str]]:
    """(label, name) of the most recently saved projects, newest first."""
    files = [p for p in sub_dir("projects").glob("p-*.json") if NAME.match(p.stem)]
    files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    out = []
    for p in files[:limit]:
        try:
            if p.stat().st_size > MAX_JSON_BYTES:
                continue
            story = json.loads(p.read_text("utf-8")).get("story", "")
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(p.stat().st_mtime))
        except (OSError, ValueError, AttributeError, RecursionError):
            continue
        story = one_line(story, 60) if isinstance(story, str) and story.strip() else "(no story)"
        out.append((f"{when} — {story}", p.stem))
    return out


def open_recent(name: Any) -> Timeline:
    if not isinstance(name, str) or not NAME.match(name):
        raise StudioError("choose a project from the recent list")
    p = sub_dir("projects") / f"{name}.json"
    try:
        with open(p, "rb") as f:
            raw = f.read(MAX_JSON_BYTES + 1)
    except OSError:
        raise StudioError("that project is no longer in the projects folder") from None
    return parse_bytes(raw)


def parse_bytes(raw: bytes) -> Timeline:
    """An uploaded or stored project: size limit, UTF-8, JSON, Timeline.from_json."""
    if len(raw) > MAX_JSON_BYTES:
        raise StudioError(f"project: file is too large ({len(raw)} bytes, at most {MAX_JSON_BYTES})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StudioError("project: file is not UTF-8 text") from None
    try:
        return Timeline.from_json(text)
    except ValidationError as e:
        raise fail(e) from None


def upload_roots() -> list[Path]:
    """Where an uploaded file may lie: Gradio's upload cache (GRADIO_TEMP_DIR, else
    <system temp>/gradio, as gradio.utils.get_upload_folder). Nothing else is ever
    opened as an upload: not the rest of the temp dir, not the app's folders."""
    return [Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio").resolve()]


def read_upload(path: Any) -> Timeline:
    """A file the browser uploaded (Gradio's temp copy): checked to be a regular file
    inside ``upload_roots()`` (symlinks resolved), read at most MAX_JSON_BYTES + 1
    bytes, never echoed back (messages name no path)."""
    if not path:
        raise StudioError("choose a project file to load")
    if not isinstance(path, (str, os.PathLike)) or "\x00" in str(path):
        raise StudioError("project: not an uploaded file")
    try:
        p = Path(path).resolve(strict=True)
        allowed = p.is_file() and any(p.is_relative_to(r) for r in upload_roots())
    except (OSError, RuntimeError, ValueError):
        allowed = False
    if not allowed:
        raise StudioError("project: not an uploaded file")
    try:
        with open(p, "rb") as f:
            raw = f.read(MAX_JSON_BYTES + 1)
    except OSError:
        raise StudioError("project: the uploaded file cannot be read") from None
    return parse_bytes(raw)
