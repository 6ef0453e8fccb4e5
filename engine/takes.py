"""A content-addressed take store on disk, and "render what is missing".

A take is stored under its take id (``base.take_id_for``: backend, model, caption,
duration, seed, recipe, residual key, parameters), as ``<id>.npy`` (float32
``(channels, samples)``) plus ``<id>.json`` (event id, sample rate, provenance, the
event's render signature). Both are written atomically (temp file + fsync +
os.replace), audio first: the JSON is the commit mark, so a render killed half-way
loses no finished take and never leaves a readable half one.

The residual context travels with the project as JSON (``residual_to_json``), so
re-rendering one event later uses exactly the context the other takes were made with.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from .errors import RenderCancelled, ValidationError
from .paths import sub_dir
from .progress import CancelFlag, ProgressFn, as_progress
from .project_io import atomic_write, atomic_write_bytes
from .rendering import Residual, Take, get_renderer, render, take_id_for
from .timeline import ID_PATTERN, SoundEvent, Timeline

RENDER_FIELDS = ("caption", "duration_s", "seed", "recipe", "tone", "cues")


def event_signature(event: SoundEvent) -> str:
    """Hash of the fields a renderer reads: a take whose signature differs is stale."""
    blob = json.dumps({f: getattr(event, f) for f in RENDER_FIELDS}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def residual_to_json(res: Residual) -> dict:
    return {"sample_rate": res.sample_rate, "setting": res.setting, "mood": res.mood, "text": res.text,
            "data": res.data}


def residual_from_json(d: dict) -> Residual:
    """Rebuild a stored residual; its ``key`` equals the original's (same fields)."""
    try:
        res = Residual(sample_rate=int(d["sample_rate"]), setting=str(d.get("setting", "")),
                       mood=str(d.get("mood", "")), text=str(d.get("text", "")), data=dict(d.get("data", {})))
        json.dumps(res.data)
    except (KeyError, TypeError, ValueError):
        raise ValidationError("residual", "stored residual context is malformed") from None
    return res


def take_key(renderer, event: SoundEvent, residual: Residual) -> str:
    """The take id the renderer will give this event, computed without rendering.
    Renderers may define ``take_id(event, residual)``; ones with ``plan_event`` (the
    procedural renderer) hash its parameters exactly as they do in provenance."""
    if hasattr(renderer, "take_id"):
        return renderer.take_id(event, residual)
    model = str(getattr(renderer, "model", ""))
    if hasattr(renderer, "plan_event"):
        params = renderer.plan_event(event, residual)["params"]
    else:
        params = {"tone": event.tone, "cues": event.cues}
    return take_id_for(renderer.name, model, event, residual, params)


def lookup_key(renderer, event: SoundEvent, residual: Residual) -> str:
    """Index key of (renderer, model, the event's render fields, residual): finds a
    stored take without asking the renderer (no caption matching, no model call)."""
    blob = json.dumps([renderer.name, str(getattr(renderer, "model", "")), event_signature(event), residual.key])
    return "k" + hashlib.sha256(blob.encode()).hexdigest()[:15]


class TakeStore:
    """Takes on disk by take id. Takes are immutable: a stored id is never rewritten.
    A small index (``index/<lookup key>`` -> take id) finds the take of an already
    rendered event without computing its take id."""

    def __init__(self, root: str | os.PathLike | None = None) -> None:
        self.root = Path(root) if root is not None else sub_dir("takes")
        self.root.mkdir(parents=True, exist_ok=True)

    def _paths(self, take_id: str) -> tuple[Path, Path]:
        if not isinstance(take_id, str) or not ID_PATTERN.match(take_id):
            raise ValidationError("take", f"not a take id: {str(take_id)[:40]!r}")
        return self.root / f"{take_id}.npy", self.root / f"{take_id}.json"

    def has(self, take_id: str) -> bool:
        audio, meta = self._paths(take_id)
        return meta.is_file() and audio.is_file()

    def meta(self, take_id: str) -> dict:
        """{event_id, sample_rate, provenance, signature} of a stored take."""
        _, meta = self._paths(take_id)
        try:
            d = json.loads(meta.read_text("utf-8"))
        except (OSError, ValueError, RecursionError):
            raise ValidationError("take", f"take {take_id} is not in the store") from None
        if not (isinstance(d, dict) and isinstance(d.get("provenance"), dict)
                and isinstance(d.get("sample_rate"), int) and isinstance(d.get("event_id"), str)):
            raise ValidationError("take", f"take {take_id} has malformed metadata")
        return d

    def put(self, take: Take, take_id: str | None = None, *, signature: str = "") -> str:
        tid = take_id or take.take_id
        audio_path, meta_path = self._paths(tid)
        if self.intact(tid):
            return tid  # immutable; only a damaged take (unreadable files) is written again
        audio = np.ascontiguousarray(take.audio, dtype=np.float32)
        atomic_write(audio_path, lambda f: np.save(f, audio, allow_pickle=False))
        meta = {"event_id": take.event_id, "sample_rate": take.sample_rate, "signature": signature,
                "provenance": dict(take.provenance, take_id=tid)}
        atomic_write_bytes(meta_path, json.dumps(meta, default=str).encode("utf-8"))
        return tid

    def find(self, key: str) -> str:
        """The take id indexed under ``key`` if that take is stored, else ""."""
        try:
            tid = (self.root / "index" / key).read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            return ""
        return tid if ID_PATTERN.match(tid) and self.has(tid) else ""

    def link(self, key: str, take_id: str) -> None:
        if not ID_PATTERN.match(key):
            raise ValidationError("take", f"not an index key: {key[:40]!r}")
        atomic_write_bytes(self.root / "index" / key, take_id.encode("ascii"))

    def intact_meta(self, take_id: str) -> dict | None:
        """The metadata of a whole stored take (valid metadata, and an audio file whose
        header says (channels, samples) float32 with exactly that many bytes after it),
        or None when it is missing or damaged. Cheap: reads the header, not the audio."""
        audio_path, _ = self._paths(take_id)
        try:
            meta = self.meta(take_id)
            with open(audio_path, "rb") as f:
                version = np.lib.format.read_magic(f)
                if version != (1, 0):
                    return None
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
                offset = f.tell()
            size = audio_path.stat().st_size
        except (ValidationError, OSError, ValueError, EOFError):
            return None
        whole = dtype == np.float32 and len(shape) == 2 and not fortran and size == offset + int(np.prod(shape)) * 4
        return meta if whole else None

    def intact(self, take_id: str) -> bool:
        """True when the stored take is whole (see ``intact_meta``)."""
        return self.intact_meta(take_id) is not None

    def get(self, take_id: str, event_id: str | None = None) -> Take:
        audio_path, _ = self._paths(take_id)
        meta = self.meta(take_id)
        try:
            audio = np.load(audio_path, allow_pickle=False)
        except (OSError, ValueError, EOFError):
            raise ValidationError("take", f"take {take_id} is unreadable") from None
        if not (isinstance(audio, np.ndarray) and audio.dtype == np.float32 and audio.ndim == 2):
            raise ValidationError("take", f"take {take_id} is not (channels, samples) float32 audio")
        return Take(event_id=event_id or meta["event_id"], audio=audio, sample_rate=int(meta["sample_rate"]),
                    provenance=meta["provenance"])


@dataclass
class RenderResult:
    """What ``render_missing`` did: the takes by event id, the take id now chosen per
    event, which events were rendered and which reused from the store."""
    takes: dict[str, Take] = field(default_factory=dict)
    take_ids: dict[str, str] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    cancelled: bool = False


def render_missing(timeline: Timeline, renderer, store: TakeStore, residual: Residual, *,
                   only: Optional[Iterable[str]] = None, progress: Optional[ProgressFn] = None,
                   cancel: Optional[CancelFlag] = None, on_take=None) -> RenderResult:
    """Give every event (or the ids in ``only``) a take, rendering only those whose take
    is not in the store (found through the lookup index, so reusing costs no caption
    matching). A locked event keeps its chosen take when the store has it.
    Each new take is stored before the next event starts and ``on_take(event_id,
    take_id)`` is called, so a cancelled or killed render keeps what it finished.
    Cancellation (checked between events) returns with ``cancelled=True``."""
    r = get_renderer(renderer) if isinstance(renderer, str) else renderer
    report = as_progress(progress)
    if hasattr(r, "check"):
        r.check(timeline)
    wanted = set(only) if only is not None else None
    events = [e for e in timeline.events if wanted is None or e.id in wanted]
    if wanted is not None and len(events) != len(wanted):
        missing = sorted(wanted - {e.id for e in events})[0]
        raise ValidationError("event", f"no event with id {missing!r}")
    out = RenderResult()
    for i, ev in enumerate(events):
        if cancel is not None and cancel.is_set():
            out.cancelled = True
            break
        key = lookup_key(r, ev, residual)
        tid = ev.take if ev.locked and ev.take and store.has(ev.take) else store.find(key)
        if tid:
            try:
                out.takes[ev.id] = store.get(tid, ev.id)
                out.reused.append(ev.id)
            except ValidationError:  # a damaged take on disk: render it again
                tid = ""
        if not tid:
            report(i / max(len(events), 1), f"rendering {ev.id} ({i + 1}/{len(events)}): {ev.caption[:50]}")
            try:
                take = render(timeline, r, only=[ev.id], residual=residual)[ev.id]
            except RenderCancelled:
                out.cancelled = True
                break
            tid = take.take_id or take_key(r, ev, residual)
            store.put(take, tid, signature=event_signature(ev))
            store.link(key, tid)
            out.takes[ev.id] = take
            out.rendered.append(ev.id)
        out.take_ids[ev.id] = tid
        if on_take is not None:
            on_take(ev.id, tid)
    report(1.0, f"rendered {len(out.rendered)}, reused {len(out.reused)}")
    return out
