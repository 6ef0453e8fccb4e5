"""``python -m engine bench``: speed figures measured in one run on this machine.

Prints one JSON object per measurement; the figures in BENCHMARKS.md come from here.
No assertions: a benchmark reports, the tests judge behaviour."""
from __future__ import annotations

import json
import platform
import sys
import time

import numpy as np

BENCH_STORY = ("At dawn in the forest, birds sing while a stream trickles over stones. A woodpecker knocks "
               "three times, then footsteps crunch on gravel. Suddenly thunder rumbles in the distance and "
               "rain begins to fall. A dog barks twice as a door slams. Later the rain softens, church bells "
               "toll in the valley, and a kettle whistles in the cabin.")


def _machine() -> dict:
    import os
    return {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine()}


def _emit(name: str, **fields) -> None:
    print(json.dumps({"bench": name, **fields}), flush=True)


def _twelve_event_timeline(duration_s: float = 120.0):
    from .rendering.procedural.recipes import catalog
    from .timeline import Timeline
    ids = ["rain", "wind", "birds", "thunder", "footsteps", "door_knock", "dog_bark", "church_bell",
           "car_passby", "fire", "clock_tick", "music_pad"]
    ids = [i for i in ids if i in catalog()]
    events = []
    for k, rid in enumerate(ids):
        if rid in ("rain", "wind", "music_pad"):
            events.append({"id": f"b{k}", "caption": rid.replace("_", " "), "start_s": 0, "duration_s": duration_s,
                           "track": "music" if rid == "music_pad" else "ambience", "recipe": rid})
        else:
            start = (k * 11.0) % (duration_s - 10)
            events.append({"id": f"f{k}", "caption": rid.replace("_", " "), "start_s": start, "duration_s": 8.0,
                           "track": "fx", "recipe": rid})
    return Timeline.from_json({"duration_s": duration_s, "story": "bench", "context": {"setting": "forest"},
                               "events": events})


def bench_procedural(quick: bool) -> None:
    import engine
    from .rendering.procedural.recipes import catalog
    from .rendering.procedural.synth import synthesize
    tl = _twelve_event_timeline(60.0 if quick else 120.0)
    r = engine.get_renderer("procedural")
    engine.render(tl, r)  # warm-up: embedder, description vectors, impulse responses
    t0 = time.perf_counter()
    engine.render(tl, r)
    wall = time.perf_counter() - t0
    audio_s = sum(e.duration_s for e in tl.events)
    _emit("procedural_timeline", events=len(tl.events), timeline_s=tl.duration_s, event_audio_s=audio_s,
          wall_s=round(wall, 3), realtime_factor=round(audio_s / wall, 1))
    dur = 5.0 if quick else 20.0
    for rid in catalog():
        synthesize(rid, 1.0, 44100, 0)
        t0 = time.perf_counter()
        synthesize(rid, dur, 44100, 1)
        w = time.perf_counter() - t0
        _emit("procedural_recipe", recipe=rid, audio_s=dur, wall_s=round(w, 4), realtime_factor=round(dur / w, 1))


def bench_planner() -> None:
    import engine
    story = " ".join([BENCH_STORY] * 5)
    words = len(story.split())
    engine.plan(story, 300)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        engine.plan(story, 300)
        runs.append(time.perf_counter() - t0)
    _emit("rules_planner", words=words, median_ms=round(1000 * float(np.median(runs)), 2))


def bench_mix(quick: bool) -> None:
    import engine
    from .rendering.base import Take
    tl = _twelve_event_timeline(60.0 if quick else 120.0)
    rng = np.random.default_rng(0)
    takes = {e.id: Take(e.id, (0.1 * rng.standard_normal((2, round(e.duration_s * tl.sample_rate)))).astype(np.float32),
                        tl.sample_rate) for e in tl.events}
    engine.mix(tl, takes)
    for label, kw in (("unmastered", {"loudness_lufs": None, "true_peak_db": None}), ("mastered", {})):
        t0 = time.perf_counter()
        engine.mix(tl, takes, **kw)
        w = time.perf_counter() - t0
        _emit(f"mix_{label}", timeline_s=tl.duration_s, events=len(tl.events), wall_s=round(w, 3),
              realtime_factor=round(tl.duration_s / w, 1))


def _crossfade_timeline(n_events: int = 18, event_s: float = 10.0, overlap_s: float = 1.0):
    """n events on one track, each overlapping the next by overlap_s, plus a bed."""
    from .timeline import Timeline
    step = event_s - overlap_s
    total = step * (n_events - 1) + event_s
    evs = [{"id": f"c{i}", "caption": "x", "start_s": i * step, "duration_s": event_s, "track": "fx",
            "fade_in_s": 0, "fade_out_s": 0} for i in range(n_events)]
    evs.append({"id": "bed", "caption": "bed", "start_s": 0, "duration_s": total, "track": "ambience"})
    return Timeline.from_json({"duration_s": total, "events": evs}), overlap_s


def bench_mix_vs_pydub(quick: bool) -> None:
    """Our un-mastered mix vs the equivalent pydub chain, on the same takes, one run."""
    import engine
    from .rendering.base import Take
    try:
        from pydub import AudioSegment
    except ImportError:
        _emit("mix_vs_pydub", skipped="pydub not installed")
        return
    tl, overlap_s = _crossfade_timeline(8 if quick else 18)
    sr = tl.sample_rate
    rng = np.random.default_rng(0)
    takes = {e.id: Take(e.id, (0.1 * rng.standard_normal((2, round(e.duration_s * sr)))).astype(np.float32), sr)
             for e in tl.events}

    def to_seg(a):
        pcm = (np.clip(a.T, -1, 1) * 32767).astype("<i2").tobytes()
        return AudioSegment(data=pcm, sample_width=2, frame_rate=sr, channels=2)

    segs = {k: to_seg(t.audio) for k, t in takes.items()}  # conversion not timed: same input for both
    chain_ids = [e.id for e in tl.events if e.track == "fx"]

    def pydub_mix():
        out = segs[chain_ids[0]]
        for cid in chain_ids[1:]:
            out = out.append(segs[cid], crossfade=int(overlap_s * 1000))
        return segs["bed"].overlay(out)

    def ours():
        return engine.mix(tl, takes, loudness_lufs=None, true_peak_db=None, ducking=False)

    ours(); pydub_mix()
    t_ours = min(_timed(ours) for _ in range(3))
    t_pydub = min(_timed(pydub_mix) for _ in range(3))
    py_frames = int(pydub_mix().frame_count())
    _emit("mix_vs_pydub", events=len(tl.events), timeline_s=tl.duration_s, ours_s=round(t_ours, 3),
          pydub_s=round(t_pydub, 3), speedup=round(t_pydub / t_ours, 1), ours_frames=tl.n_samples,
          pydub_frames=py_frames, expected_frames=tl.n_samples)
    t_master = min(_timed(lambda: engine.mix(tl, takes)) for _ in range(2))
    _emit("mix_mastered_160s", timeline_s=tl.duration_s, wall_s=round(t_master, 3),
          realtime_factor=round(tl.duration_s / t_master, 1))


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run_bench(quick: bool = False, gpu: bool = False) -> int:
    _emit("machine", **_machine())
    if gpu:
        print("error: --gpu needs a neural backend (not built yet)", file=sys.stderr)
        return 2
    bench_planner()
    bench_mix(quick)
    bench_mix_vs_pydub(quick)
    bench_procedural(quick)
    return 0
