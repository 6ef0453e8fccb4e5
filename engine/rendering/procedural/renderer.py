"""The embedded ``procedural`` renderer: caption -> recipe + parameters -> dry
synthesis -> the timeline's acoustic space -> a finished take."""
from __future__ import annotations

import numpy as np

from ... import __version__
from ...timeline import SoundEvent, Timeline
from ..base import Residual, Take, take_id_for
from . import dsp, matching, space, synth
from .recipes import REGISTRY


class ProceduralRenderer:
    name = "procedural"
    model = "procedural-foley-v1"

    def __init__(self, *, space_override: str = "") -> None:
        self.space_override = space_override

    def residual(self, timeline: Timeline) -> Residual:
        ctx = timeline.context
        sp = space.choose_space(ctx.setting, self.space_override or ctx.space, timeline.story)
        return Residual(sample_rate=timeline.sample_rate, setting=ctx.setting, mood=ctx.mood or "calm",
                        text=ctx.residual, data={"space": sp.name})

    def check(self, timeline: Timeline) -> None:
        """Pinned recipes must exist (the one thing the project schema cannot know)."""
        for i, e in enumerate(timeline.events):
            if e.recipe and e.recipe not in REGISTRY:
                from ...errors import ValidationError
                raise ValidationError(f"events[{i}].recipe", f"unknown recipe {e.recipe!r} (see `python -m engine match --list`)")

    def plan_event(self, event: SoundEvent, residual: Residual) -> dict:
        """What the renderer would do for this event (recipe, params), without audio."""
        m = matching.match(event.caption)
        if event.recipe:
            if event.recipe not in REGISTRY:
                from ...errors import ValidationError
                raise ValidationError(f"events[{event.id}].recipe", f"unknown recipe {event.recipe!r}")
            m = dict(m, recipe=event.recipe, score=1.0, fallback=False, note="recipe pinned by the user")
        params = dict(m["params"])
        params.setdefault("mood", _mood_word(event.tone or residual.mood))
        return dict(m, params=params)

    def render(self, event: SoundEvent, residual: Residual) -> Take:
        sr = residual.sample_rate
        m = self.plan_event(event, residual)
        rec = REGISTRY[m["recipe"]]
        req = synth.make_request(event.duration_s, sr, event.seed, caption=event.caption, **m["params"])
        dry = synth.run_recipe(rec.id, req)
        sp = space.SPACES[residual.data.get("space", "open_air")]
        placed = space.apply_space(dry, sr, sp, distance=req.distance, handles_distance=rec.handles_distance)
        fade_in = 0.005 if not rec.texture else min(0.05, event.duration_s / 4)
        audio = synth.finish(placed, sr, peak_db=synth.level_db(req.intensity, req.distance),
                             fade_in_s=fade_in, fade_out_s=min(0.05, event.duration_s / 4))
        assert audio.shape == (2, dsp.n_samples(event.duration_s, sr))
        prov = {
            "backend": self.name, "model": self.model, "engine_version": __version__,
            "recipe": rec.id, "match_score": m["score"], "fallback": m["fallback"], "note": m.get("note", ""),
            "params": {k: v for k, v in m["params"].items()}, "space": sp.name, "seed": event.seed,
            "caption": event.caption, "duration_s": event.duration_s, "residual_key": residual.key,
            "take_id": take_id_for(self.name, self.model, event, residual, m["params"]),
        }
        return Take(event_id=event.id, audio=audio, sample_rate=sr, provenance=prov)


def _mood_word(text: str) -> str:
    t = (text or "").lower()
    table = (("tense", ("tense", "suspense", "scary", "eerie", "dark", "ominous", "menacing", "haunted", "horror",
                        "thriller", "creepy", "dread", "anxious", "danger")),
             ("sad", ("sad", "melancholy", "melancholic", "sorrow", "grief", "mournful", "lonely", "somber", "sombre")),
             ("epic", ("epic", "heroic", "triumphant", "battle", "grand", "majestic", "action", "war")),
             ("happy", ("happy", "joyful", "cheerful", "playful", "bright", "upbeat", "fun", "cartoon", "festive")),
             ("calm", ("calm", "peaceful", "serene", "gentle", "relaxed", "quiet", "tranquil", "dreamy")))
    for mood, words in table:
        if any(w in t for w in words):
            return mood
    return "calm"
