"""Render every procedural recipe and draw a contact sheet of spectrograms.

    python -m engine.contact_sheet -o assets/contact_sheet.png [--wav-dir DIR] [--duration 6]

Also prints one line of descriptors per recipe (centroid, flatness, onset rate,
tonality, decay) so recipes can be compared by numbers as well as by eye."""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m engine.contact_sheet")
    ap.add_argument("-o", "--output", default="assets/contact_sheet.png")
    ap.add_argument("--wav-dir", help="also write each recipe as a WAV here")
    ap.add_argument("--duration", type=float, default=6.0)
    ap.add_argument("--sample-rate", type=int, default=22050)
    args = ap.parse_args(argv)

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from scipy import signal

    from . import analysis
    from .export import write_audio
    from .rendering.procedural.recipes import catalog
    from .rendering.procedural.synth import synthesize

    sr = args.sample_rate
    ids = list(catalog())
    cols = 6
    rows = math.ceil(len(ids) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 3.0, rows * 2.0), constrained_layout=True)
    if args.wav_dir:
        Path(args.wav_dir).mkdir(parents=True, exist_ok=True)
    for ax, rid in zip(axes.flat, ids):
        y = synthesize(rid, args.duration, sr, seed=1)
        mono = analysis.to_mono(y)
        f, t, s = signal.spectrogram(mono, fs=sr, nperseg=1024, noverlap=768)
        ax.pcolormesh(t, f / 1000, 10 * np.log10(s + 1e-12), shading="auto", cmap="magma", vmin=-110, vmax=-30)
        ax.set_title(rid, fontsize=9)
        ax.set_ylim(0, min(11, sr / 2000))
        ax.tick_params(labelsize=6)
        print(json.dumps({"recipe": rid, "centroid_hz": round(analysis.spectral_centroid_hz(y, sr)),
                          "flatness": round(analysis.spectral_flatness(y, sr), 3),
                          "onset_rate_hz": round(analysis.onset_rate_hz(y, sr), 2),
                          "tonality_db": round(analysis.tonality_db(y, sr), 1),
                          "decay_s": round(analysis.decay_time_s(y, sr), 2)}))
        if args.wav_dir:
            write_audio(Path(args.wav_dir) / f"{rid}.wav", y, sr, "wav16")
    for ax in list(axes.flat)[len(ids):]:
        ax.axis("off")
    fig.suptitle(f"Procedural catalog: {len(ids)} recipes, {args.duration:g} s each, seed 1 (kHz vs s)")
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.output, dpi=80)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
