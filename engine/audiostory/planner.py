"""The ``audiostory`` planner: the model's LM decomposes the instruction ("… The total
duration is N seconds.") into reasoning and (caption, duration) events. Events are laid
end to end and scaled to the total; each event's residual query tokens are stored in the
timeline's provenance so the renderer holds them fixed. A plan the LM cannot produce
falls back to the rules planner with a visible warning."""
from __future__ import annotations

import os

from ..timeline import Timeline
from . import MODEL_ENV
from . import inference as I
from .renderer import PROVENANCE_KEY

MAX_STORED_BYTES = 150_000  # provenance is capped at 200 kB per project


class AudioStoryPlanner:
    name = "audiostory"

    def __init__(self, model: str | None = None, *, max_new_tokens: int | None = None, track: str = "fx",
                 device: str | None = None) -> None:
        """``device``: auto | cpu | cuda | cuda:N | mps (None: STORY_AUDIO_DEVICE, else auto)."""
        self.model, self.net = I.load(model or os.environ.get(MODEL_ENV), device)
        self.max_new_tokens, self.track = max_new_tokens, track

    def plan(self, story: str, duration_s: float) -> Timeline:
        parsed, seq = I.generate_plan(self.net, story, duration_s, max_new_tokens=self.max_new_tokens)
        if not parsed.events:
            from ..planning import get_planner
            tl = get_planner("rules").plan(story, duration_s)
            return tl.replace(planner=self.name, warnings=list(tl.warnings) + [
                "audiostory: the model produced no parsable events; the rules planner made this plan"])
        scale = duration_s / sum(d for _, d in parsed.events)
        events, t = [], 0.0
        for k, (caption, d) in enumerate(parsed.events):
            dur = min(d * scale, duration_s - t) if k < len(parsed.events) - 1 else duration_s - t
            if dur <= 1e-3:
                break
            events.append({"id": f"e{k + 1}", "caption": caption[:500], "start_s": round(t, 6),
                           "duration_s": round(dur, 6), "track": self.track,
                           "fade_in_s": min(0.05, dur / 4), "fade_out_s": min(0.05, dur / 4)})
            t += round(dur, 6)
        warnings = [] if parsed.complete else ["audiostory: some generated events were malformed and skipped"]
        _, res = I.event_features(self.net, seq)
        stored = {e["id"]: I.pack(res[parsed.runs[k]], "float16") for k, e in enumerate(events)
                  if parsed.runs[k] < len(res)}
        if sum(len(v["b64"]) for v in stored.values()) > MAX_STORED_BYTES:
            stored = {}
            warnings.append("audiostory: residual tokens too large to store; the renderer recomputes them")
        prov = {PROVENANCE_KEY: {"model": self.model, "residual": stored}}
        return Timeline.from_json({"story": story, "duration_s": duration_s, "events": events,
                                   "reasoning": parsed.reasoning[:20_000], "planner": self.name,
                                   "warnings": warnings, "provenance": prov})
