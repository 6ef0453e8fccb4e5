"""Evidence that AudioStory learns, on a CPU in minutes.

    python -m engine.audiostory.evidence --minutes 12 [--out DIR]
    python -m engine.audiostory.evidence --config small --device cuda --minutes 12   # on a GPU

Synthetic data of four contrasting sounds (rain, church bell, heartbeat, birds) is made
with the rules planner + procedural renderer; the model (``--config tiny``, the default,
or ``small``) trains stage 1 (VAE, then
DiT + semantic alignment) and stage 2 within the time budget. Then, for every class
caption, audio is generated through the full inference path (timeline -> LM queries ->
fused conditioning -> DiT -> VAE -> Take) and described by spectral descriptors
(engine.analysis). A class passes when its generated audio is nearer to its own class's
procedural audio than to the other three. The same check runs on untrained weights.
Prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CLASSES = {"rain": "Rain falls steadily on the roof.", "bell": "A church bell tolls.",
           "heartbeat": "A heartbeat pounds.", "birds": "Birds sing in the trees."}


def descriptors(audio: np.ndarray, sr: int) -> np.ndarray:
    from .. import analysis as A
    bands = [A.band_energy_fraction(audio, sr, lo, hi) for lo, hi in ((0, 300), (300, 1500), (1500, 4000), (4000, 8000))]
    return np.array([np.log(A.spectral_centroid_hz(audio, sr) + 1.0), A.spectral_flatness(audio, sr, 50, sr / 2),
                     *bands, A.onset_rate_hz(audio, sr), A.tonality_db(audio, sr) / 10.0,
                     A.dominant_period_s(audio, sr)[1]])


def _one_event(caption: str, seed: int, sr: int, duration_s: float):
    import engine
    return engine.Timeline.from_json({"story": caption, "duration_s": duration_s, "sample_rate": sr, "events": [
        {"id": "e1", "caption": caption.rstrip("."), "start_s": 0.0, "duration_s": duration_s, "seed": seed}]})


def class_features(renderer, sr: int, duration_s: float, seeds) -> dict[str, np.ndarray]:
    """(len(seeds), n_descriptors) per class, rendered through ``engine.render``."""
    import engine
    out = {}
    for name, sentence in CLASSES.items():
        rows = []
        for s in seeds:
            tl = _one_event(sentence, s, sr, duration_s)
            take = engine.render(tl, renderer)["e1"]
            rows.append(descriptors(take.audio, take.sample_rate))
        out[name] = np.array(rows)
    return out


def check(generated: dict, reference: dict) -> dict:
    """Nearest reference class (z-scored descriptor distance) of each class's mean generated features."""
    allref = np.concatenate(list(reference.values()))
    scale = allref.std(axis=0) + 1e-6
    centres = {k: v.mean(axis=0) / scale for k, v in reference.items()}
    result = {}
    for name, feats in generated.items():
        g = feats.mean(axis=0) / scale
        dist = {k: round(float(np.linalg.norm(g - c)), 3) for k, c in centres.items()}
        result[name] = {"nearest": min(dist, key=dist.get), "distances": dist}
    passed = sum(v["nearest"] == k for k, v in result.items())
    return {"classes": result, "correct": passed, "passed": passed >= 3}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m engine.audiostory.evidence")
    ap.add_argument("--minutes", type=float, default=12.0, help="total wall-time budget")
    ap.add_argument("--samples", type=int, default=48)
    ap.add_argument("--out", help="model folder (default: a temporary one)")
    ap.add_argument("--config", choices=("tiny", "small"), default="tiny", help="tiny (CPU) or small (GPU)")
    ap.add_argument("--device", help="auto | cpu | cuda | cuda:N | mps (default: STORY_AUDIO_DEVICE, else auto)")
    args = ap.parse_args(argv)
    import torch

    from ..errors import BackendUnavailable, ValidationError
    from . import resolve_device
    from .config import get_config
    from .data import load_folder, make_synthetic
    from .model import AudioStory
    from .renderer import AudioStoryRenderer
    from .train import train
    try:
        device = resolve_device(args.device)
    except (ValidationError, BackendUnavailable) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    t0 = time.monotonic()
    budget = args.minutes * 60
    work = Path(args.out or tempfile.mkdtemp(prefix="audiostory-evidence-"))
    cfg = get_config(args.config)
    sr, dur = cfg.sample_rate, cfg.max_clip_s
    log = lambda msg: print(f"[{time.monotonic() - t0:6.1f} s] {msg}", file=sys.stderr, flush=True)  # noqa: E731
    data = make_synthetic(args.samples, work / "data", sr, sentences=tuple(CLASSES.values()), max_sentences=2,
                          seconds_per_sentence=(1.5, 2.5), seed=0)
    samples = load_folder(data, sr, cfg.audio_channels)
    log(f"{len(samples)} synthetic samples, config {cfg.name}, device {device}")
    reference = class_features("procedural", sr, dur, seeds=range(1000, 1004))
    eval_seeds = range(2000, 2003)

    def evaluate(folder: Path) -> dict:
        return check(class_features(AudioStoryRenderer(model=str(folder), device=device), sr, dur, eval_seeds),
                     reference)

    model = AudioStory.build(cfg)
    model.save_pretrained(work / "untrained")
    untrained = evaluate(work / "untrained")
    log(f"untrained: {untrained['correct']}/4 classes")
    left = budget - (time.monotonic() - t0) - 60  # keep a minute for the final check
    s1 = train(model, samples, 1, 100_000, time_limit_s=0.85 * left, progress=None, device=device)
    log(f"stage 1: {s1['steps_run']} steps {s1['loss_first']} -> {s1['loss_last']}")
    left = budget - (time.monotonic() - t0) - 60
    s2 = train(model, samples, 2, 100_000, time_limit_s=max(10.0, left), progress=None, device=device)
    log(f"stage 2: {s2['steps_run']} steps {s2['loss_first']} -> {s2['loss_last']}")
    model.save_pretrained(work / "trained")
    trained = evaluate(work / "trained")
    summary = {"trained": trained, "untrained": untrained, "stage1": s1, "stage2": s2, "samples": len(samples),
               "config": cfg.name, "device": device, "wall_s": round(time.monotonic() - t0, 1),
               "load_avg_1min": round(os.getloadavg()[0], 2), "threads": torch.get_num_threads(),
               "model": str(work / "trained")}
    print(json.dumps(summary))
    return 0 if trained["passed"] and not untrained["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
