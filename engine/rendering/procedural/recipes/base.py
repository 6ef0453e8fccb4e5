"""The recipe contract: a registered function that turns a SynthRequest into dry audio.

A recipe returns the *dry, close-miked* sound: mono ``(n,)`` or stereo ``(2, n)``
float64/float32 of exactly ``req.n`` samples, any scale. The renderer then applies the
event's distance and the timeline's acoustic space, removes DC, fades the edges and
sets the level (intensity/distance) with a peak at or below -1 dBFS. So a recipe
never normalises, never adds room reverb (unless the reverberation *is* the sound,
e.g. thunder rolling or a cave), and never reads files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .. import dsp


@dataclass(frozen=True)
class SynthRequest:
    duration_s: float
    sample_rate: int
    rng: np.random.Generator
    intensity: float = 0.5          # 0 = faint/gentle/light, 1 = violent/heavy/loud
    distance: str = "medium"        # "close" | "medium" | "far"
    count: int | None = None        # exact number of discrete events ("three knocks"); honour it exactly
    rate: float = 1.0               # speed multiplier: 0.5 "slowly", 1.8 "rapid"
    surface: str | None = None      # wood, metal, gravel, snow, grass, concrete, carpet, glass, water, tin, mud, sand
    size: float = 0.5               # 0 = tiny/small, 1 = huge/large
    indoor: bool | None = None      # None: unknown
    mood: str = "calm"              # calm | tense | happy | sad | epic (music_pad, others may colour by it)
    caption: str = ""               # the raw caption, lower-cased, for recipe-specific cues
    words: frozenset[str] = frozenset()  # caption tokens, for cheap cue checks ("tin" in req.words)
    params: dict = field(default_factory=dict)  # recipe-specific extras

    @property
    def n(self) -> int:
        return dsp.n_samples(self.duration_s, self.sample_rate)

    def has(self, *cues: str) -> bool:
        """True if any cue word (or multi-word phrase) occurs in the caption."""
        return any((c in self.words) if " " not in c else (c in self.caption) for c in cues)


SynthFn = Callable[[SynthRequest], np.ndarray]


@dataclass(frozen=True)
class Recipe:
    id: str
    synth: SynthFn
    descriptions: tuple[str, ...]   # several plain-language descriptions, for embedding match
    keywords: tuple[str, ...]       # lexical cues: nouns/verbs that name this sound
    track: str = "fx"               # suggested track: ambience | fx | music
    texture: bool = False           # continuous bed (True) vs discrete events (False)
    stereo_width: float = 0.0       # how the renderer spreads a mono result (0 point .. 1 diffuse)
    handles_distance: bool = False  # the recipe models distance itself (e.g. thunder, pass-by)
    default_duration_s: float = 4.0


REGISTRY: dict[str, Recipe] = {}


def recipe(id: str, *, descriptions, keywords, track="fx", texture=False, stereo_width=0.0,
           handles_distance=False, default_duration_s=4.0) -> Callable[[SynthFn], SynthFn]:
    """Register a synthesis function under a recipe id."""
    def deco(fn: SynthFn) -> SynthFn:
        if id in REGISTRY:
            raise RuntimeError(f"recipe {id!r} registered twice")
        REGISTRY[id] = Recipe(id=id, synth=fn, descriptions=tuple(descriptions), keywords=tuple(keywords),
                              track=track, texture=texture, stereo_width=stereo_width,
                              handles_distance=handles_distance, default_duration_s=default_duration_s)
        return fn
    return deco


def sub_request(req: SynthRequest, **changes) -> SynthRequest:
    """A request for a layer of a composite (e.g. the birds inside forest_ambience):
    same timing and caption, its own independent-but-deterministic random stream."""
    from dataclasses import replace
    rng = np.random.default_rng(req.rng.integers(2**63))
    return replace(req, rng=rng, **changes)


def layer(recipe_id: str, req: SynthRequest, **changes) -> np.ndarray:
    """Render another recipe dry as a layer of this one, always as (2, n)."""
    y = np.asarray(REGISTRY[recipe_id].synth(sub_request(req, **changes)), dtype=np.float64)
    return np.stack([y, y]) if y.ndim == 1 else y
