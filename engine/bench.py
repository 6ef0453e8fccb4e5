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
    for _ in range(9):
        t0 = time.perf_counter()
        tl = engine.plan(story, 300)
        runs.append(time.perf_counter() - t0)
    _emit("rules_planner", words=words, events=len(tl.events), median_ms=round(1000 * float(np.median(runs)), 2),
          min_ms=round(1000 * min(runs), 2))


def _bench_takes(tl, hits: bool = False) -> dict:
    """Noise takes (0.1 rms) for every event; with ``hits``, band-limited clicks every
    ~1.5 s on the fx events, loud enough that the -1 dBTP limiter has work at -16 LUFS."""
    from scipy import signal
    from .rendering.base import Take
    rng = np.random.default_rng(0)
    sr = tl.sample_rate
    sos = signal.butter(4, 0.8, output="sos")
    takes = {}
    for e in tl.events:
        a = 0.1 * rng.standard_normal((2, round(e.duration_s * sr)))
        if hits and e.track == "fx":
            click = signal.sosfilt(sos, np.exp(-np.arange(400) / 60.0) * rng.standard_normal(400))
            for s0 in range(int(0.3 * sr), a.shape[-1] - 400, int(1.5 * sr)):
                a[:, s0:s0 + 400] += 3.0 * click
        takes[e.id] = Take(e.id, a.astype(np.float32), sr)
    return takes


def _medians(fns: dict, runs: int) -> dict:
    """Median wall time of each function, run interleaved (the same machine state for all)."""
    times: dict = {k: [] for k in fns}
    for _ in range(runs):
        for k, fn in fns.items():
            times[k].append(_timed(fn))
    return {k: float(np.median(v)) for k, v in times.items()}


def bench_mix(quick: bool) -> None:
    import engine
    tl = _twelve_event_timeline(60.0 if quick else 120.0)
    takes = _bench_takes(tl)
    engine.mix(tl, takes)
    t = _medians({"unmastered": lambda: engine.mix(tl, takes, loudness_lufs=None, true_peak_db=None),
                  "mastered": lambda: engine.mix(tl, takes)}, 3)
    for label, w in t.items():
        _emit(f"mix_{label}", timeline_s=tl.duration_s, events=len(tl.events), wall_s=round(w, 3),
              realtime_factor=round(tl.duration_s / w, 1), runs=3, stat="median")


def _crossfade_timeline(n_events: int = 18, event_s: float = 10.0, overlap_s: float = 1.0):
    """n events on one track, each overlapping the next by overlap_s, plus a bed."""
    from .timeline import Timeline
    step = event_s - overlap_s
    total = step * (n_events - 1) + event_s
    evs = [{"id": f"c{i}", "caption": "x", "start_s": i * step, "duration_s": event_s, "track": "fx",
            "fade_in_s": 0, "fade_out_s": 0} for i in range(n_events)]
    evs.append({"id": "bed", "caption": "bed", "start_s": 0, "duration_s": total, "track": "ambience"})
    return Timeline.from_json({"duration_s": total, "events": evs}), overlap_s


PYDUB_NOTE = ("same takes for both; pydub gets them as 16-bit AudioSegments (its native format, what "
              "from_wav gives for 16-bit files; conversion not timed) and runs append(crossfade=ms) down the "
              "chain then bed.overlay(chain); ours reads float32 takes and builds per-track stems plus the "
              "pre-master (ducking off, as pydub has none). copy_takes_s: one copy of all take audio into a "
              "fresh buffer, the memory-traffic floor for reading every take once")


def bench_mix_vs_pydub(quick: bool) -> None:
    """Our un-mastered mix vs the equivalent pydub chain, on the same takes, one run."""
    import engine
    try:
        from pydub import AudioSegment
    except ImportError:
        _emit("mix_vs_pydub", skipped="pydub not installed")
        return
    tl, overlap_s = _crossfade_timeline(8 if quick else 18)
    sr = tl.sample_rate
    takes = _bench_takes(tl)

    def to_seg(a):
        pcm = (np.clip(a.T, -1, 1) * 32767).astype("<i2").tobytes()
        return AudioSegment(data=pcm, sample_width=2, frame_rate=sr, channels=2)

    segs = {k: to_seg(t.audio) for k, t in takes.items()}  # conversion not timed: same input for both
    chain_ids = [e.id for e in tl.events if e.track == "fx"]
    every_take = [t.audio for t in takes.values()]

    def pydub_mix():
        out = segs[chain_ids[0]]
        for cid in chain_ids[1:]:
            out = out.append(segs[cid], crossfade=int(overlap_s * 1000))
        return segs["bed"].overlay(out)

    def ours():
        return engine.mix(tl, takes, loudness_lufs=None, true_peak_db=None, ducking=False)

    def copy_takes():
        out = np.empty((2, sum(a.shape[-1] for a in every_take)), dtype=np.float32)
        np.concatenate(every_take, axis=1, out=out)

    ours(); pydub_mix()
    t = _medians({"ours": ours, "pydub": pydub_mix, "copy": copy_takes}, 5)
    py_frames = int(pydub_mix().frame_count())
    _emit("mix_vs_pydub", events=len(tl.events), timeline_s=tl.duration_s, ours_s=round(t["ours"], 4),
          pydub_s=round(t["pydub"], 4), speedup=round(t["pydub"] / t["ours"], 1),
          copy_takes_s=round(t["copy"], 4), ours_over_copy=round(t["ours"] / t["copy"], 2),
          take_mb=round(sum(a.nbytes for a in every_take) / 1e6, 1), ours_frames=tl.n_samples,
          pydub_frames=py_frames, expected_frames=tl.n_samples, runs=5, stat="median", note=PYDUB_NOTE)
    hit_takes = _bench_takes(tl, hits=True)
    t = _medians({"noise": lambda: engine.mix(tl, takes), "hits": lambda: engine.mix(tl, hit_takes)}, 3)
    for label, w in t.items():
        _emit("mix_mastered_160s", material=label, limiter_active=label == "hits", timeline_s=tl.duration_s,
              wall_s=round(w, 3), realtime_factor=round(tl.duration_s / w, 1), runs=3, stat="median")
    bench_remix(quick)


def bench_remix(quick: bool) -> None:
    """Remix after editing one event: a full mix vs one with a MixCache that already
    holds the mix before the edit (a new gain each round, so the edited track is never
    a hit). Editing an fx event re-places the fx track (18 crossfaded events) and re-ducks
    the bed; editing the bed re-places only the bed. With 48 kHz takes every full mix
    resamples every take; the cache resamples each take once."""
    from scipy import signal

    from .rendering.base import Take
    tl, _ = _crossfade_timeline(8 if quick else 18)
    takes = _bench_takes(tl)
    at48 = {k: Take(k, signal.resample_poly(t.audio, 160, 147, axis=-1).astype(np.float32), 48000,
                    {"take_id": f"{k}@48k"}) for k, t in takes.items()}
    unmastered = {"loudness_lufs": None, "true_peak_db": None}
    for edited, tk, label in (("c5", takes, "unmastered"), ("c5", takes, "mastered"), ("bed", takes, "unmastered"),
                              ("bed", takes, "mastered"), ("c5", at48, "unmastered")):
        _remix_case(tl, tk, edited, label, unmastered if label == "unmastered" else {})


def _remix_case(tl, takes: dict, edited: str, label: str, kw: dict) -> None:
    import dataclasses

    import engine
    from .mixing import MixCache
    cache = MixCache()
    state = {"round": 0, "tl": tl}
    engine.mix(tl, takes, cache=cache, **kw)

    def cached():
        state["round"] += 1
        g = -0.5 * state["round"]
        state["tl"] = tl.replace(events=[dataclasses.replace(e, gain_db=g) if e.id == edited else e
                                         for e in tl.events])
        return engine.mix(state["tl"], takes, cache=cache, **kw)

    def full():
        return engine.mix(state["tl"], takes, **kw)

    t = _medians({"cached": cached, "full": full}, 5)
    before = dict(cache.stats)
    same = bool(np.array_equal(cached().audio, full().audio))
    per_remix = {k: v - before.get(k, 0) for k, v in cache.stats.items() if v - before.get(k, 0)}
    _emit("remix_after_one_edit", edited_event=edited, mix=label, timeline_s=tl.duration_s,
          take_rate=next(iter(takes.values())).sample_rate, full_s=round(t["full"], 4),
          cached_s=round(t["cached"], 4), speedup=round(t["full"] / t["cached"], 2), bit_identical=same,
          cache_per_remix=per_remix, runs=5, stat="median")


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


GPU_STORY_EVENTS = (("rain drums on a tin roof", 0.0, 20.0, "ambience"), ("wind howls around the house", 0.0, 60.0, "ambience"),
                    ("thunder rumbles in the distance", 6.0, 8.0, "fx"), ("an old door creaks open", 15.0, 4.0, "fx"),
                    ("a dog barks twice", 20.0, 3.0, "fx"), ("footsteps on a wooden floor", 25.0, 10.0, "fx"),
                    ("a kettle whistles", 40.0, 6.0, "fx"), ("a tense string drone", 30.0, 30.0, "music"))


def _gpu_story(sample_rate: int = 44100):
    """60 s, 8 events: six fit Stable Audio Open's 47.55 s window, one is 60 s (two chunks)."""
    from .timeline import Timeline
    return Timeline.from_json({"duration_s": 60.0, "sample_rate": sample_rate, "story": "bench",
                               "context": {"setting": "farmhouse at night", "mood": "tense"},
                               "events": [{"id": f"g{i}", "caption": c, "start_s": s, "duration_s": d, "track": t,
                                           "seed": i} for i, (c, s, d, t) in enumerate(GPU_STORY_EVENTS)]})


def time_story(pipe, gpu_name: str, *, steps_list=(50, 100), batch_sizes=(8, 1), timeline=None) -> None:
    """Render one story per (steps, batching) with an already-built pipeline; one JSON line each."""
    import engine
    tl = timeline if timeline is not None else _gpu_story()
    audio_s = sum(e.duration_s for e in tl.events)
    dtype = str(pipe.dtype).replace("torch.", "")
    for steps in steps_list:
        for bs in batch_sizes:
            r = engine.get_renderer("diffusers", pipe=pipe, model=f"random-{type(pipe).__name__}", steps=steps,
                                    batch_size=bs)
            _sync()
            t0 = time.perf_counter()
            engine.render(tl, r)
            _sync()
            wall = time.perf_counter() - t0
            _emit("diffusers_story", gpu=gpu_name, dtype=dtype, steps=steps, batch_size=bs,
                  batched=bs > 1, events=len(tl.events), timeline_s=tl.duration_s, event_audio_s=audio_s,
                  pipeline_calls=r.stats["pipeline_calls"], wall_s=round(wall, 2),
                  realtime_factor=round(audio_s / wall, 2))


def _sync() -> None:
    import torch
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def bench_gpu(quick: bool) -> int:
    """Stable Audio Open 1.0 geometry with random weights (no downloads): fp32 vs the GPU's
    half type, batched vs one by one, 50 and 100 steps, on a 60 s 8-event story."""
    try:
        import torch
    except ImportError:
        print("no GPU: torch is not installed; nothing to measure")
        return 0
    if not torch.cuda.is_available():
        print("no GPU: CUDA is not available on this machine; the --gpu figures need one")
        return 0
    _emit("machine", **_machine())
    from .rendering.neural.loading import pick_dtype
    from .rendering.neural.random_pipelines import stable_audio_open_random
    name = torch.cuda.get_device_name(0)
    _emit("gpu", gpu=name, torch=torch.__version__, cuda=torch.version.cuda)
    pipe = stable_audio_open_random()
    for dtype in (torch.float32, pick_dtype("cuda")):
        pipe = pipe.to("cuda", dtype)
        time_story(pipe, name, steps_list=(1,), batch_sizes=(8,), timeline=_gpu_story())  # warm-up (kernels, cuDNN)
        time_story(pipe, name, steps_list=(50,) if quick else (50, 100))
        _emit("gpu_memory", gpu=name, dtype=str(dtype).replace("torch.", ""),
              max_allocated_gib=round(torch.cuda.max_memory_allocated() / 2**30, 2))
    return 0


def run_bench(quick: bool = False, gpu: bool = False) -> int:
    if gpu:
        return bench_gpu(quick)
    _emit("machine", **_machine())
    bench_planner()
    bench_mix(quick)
    bench_mix_vs_pydub(quick)
    bench_procedural(quick)
    return 0
