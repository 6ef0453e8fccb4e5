"""Story presets from ``presets/*.json``: ``{"title", "story", "duration_s",
"order"?, "timeline"?}`` where ``timeline`` is an optional hand-tuned project
document. Every preset is validated when read; a bad file is an error, not skipped."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from engine.errors import ValidationError
from engine.paths import REPO_ROOT
from engine.planning import check_request
from engine.timeline import Timeline

PRESET_DIR = REPO_ROOT / "presets"
FIELDS = {"title", "story", "duration_s", "order", "timeline"}


@dataclass(frozen=True)
class Preset:
    title: str
    story: str
    duration_s: float
    timeline: Optional[Timeline] = None
    order: int = 100


def read_preset(path: Path) -> Preset:
    try:
        d = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise ValidationError(path.name, f"not a readable JSON preset ({str(e)[:80]})") from None
    if not isinstance(d, dict) or set(d) - FIELDS or not {"title", "story", "duration_s"} <= set(d):
        raise ValidationError(path.name, f"a preset has title, story, duration_s and optionally order, timeline")
    story, dur = check_request(d["story"], d["duration_s"])
    tl = None
    if d.get("timeline") is not None:
        tl = Timeline.from_json(dict(d["timeline"], story=story, duration_s=dur))
    return Preset(title=str(d["title"])[:60], story=story, duration_s=dur, timeline=tl, order=int(d.get("order", 100)))


@lru_cache(maxsize=1)
def PRESETS() -> tuple[Preset, ...]:  # noqa: N802 - reads like the constant it caches
    return tuple(sorted((read_preset(p) for p in PRESET_DIR.glob("*.json")), key=lambda p: (p.order, p.title)))
