"""A remix cache: per-track buffers reused when remixing after an edit.

A track's buffer depends only on its events' placement (start, length, fades,
per-channel gain) and on their takes' content, so that is its key; a take's content is
its ``take_id`` (the renderer's content address) or, for takes without one, a hash of
its audio. Editing one event re-places only the tracks whose key changed; a ducked
track is re-ducked (one multiply) when the key tracks changed. Buffers handed out
from the cache are read-only, so no caller can change what a later mix reuses."""
from __future__ import annotations

import hashlib
import weakref
from collections import Counter
from typing import Callable

import numpy as np


class MixCache:
    """Pass one instance to every ``engine.mix(..., cache=...)`` of a session.
    Entries not used by the last ``keep`` mixes are dropped, so it holds at most
    ``keep`` mixes' worth of track buffers. ``stats`` counts builds and reuses."""

    def __init__(self, keep: int = 2):
        self.keep = max(1, int(keep))
        self._entries: dict[tuple, tuple[int, object]] = {}
        self._hashes: dict[int, tuple[weakref.ref, str]] = {}
        self._generation = 0
        self.stats: Counter = Counter()

    def take_key(self, take) -> tuple:
        """What a take's audio is, for a cache key: its take_id, else a content hash
        (computed once per audio array)."""
        audio = take.audio
        shape = (tuple(np.shape(audio)), str(np.asarray(audio).dtype), int(take.sample_rate))
        if take.take_id:
            return ("id", take.take_id) + shape
        got = self._hashes.get(id(audio))
        if got is None or got[0]() is not audio:
            digest = hashlib.blake2b(np.ascontiguousarray(audio).view(np.uint8), digest_size=16).hexdigest()
            try:
                got = (weakref.ref(audio), digest)
                self._hashes[id(audio)] = got
            except TypeError:  # not weak-referenceable: hash every time
                return ("hash", digest) + shape
        return ("hash", got[1]) + shape

    def get(self, kind: str, key: tuple, build: Callable[[], np.ndarray]) -> np.ndarray:
        """The cached buffer for (kind, key), built (and frozen) on a miss."""
        k = (kind, key)
        hit = self._entries.get(k)
        if hit is not None:
            self.stats[f"{kind}_reused"] += 1
            value = hit[1]
        else:
            self.stats[f"{kind}_built"] += 1
            value = build()
            for v in value if isinstance(value, tuple) else (value,):
                if isinstance(v, np.ndarray):
                    v.setflags(write=False)
        self._entries[k] = (self._generation, value)
        return value

    def end_mix(self) -> None:
        """Called by mix() when it is done: forget entries unused for ``keep`` mixes."""
        self._generation += 1
        old = self._generation - self.keep
        self._entries = {k: v for k, v in self._entries.items() if v[0] >= old}
        self._hashes = {k: v for k, v in self._hashes.items() if v[0]() is not None}

    def clear(self) -> None:
        self._entries.clear()
        self._hashes.clear()
