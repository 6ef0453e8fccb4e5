"""The timeline view: tracks as lanes, events as labelled bars (stale and unrendered
events marked), the mix waveform and its short-term loudness underneath. matplotlib's
object API (no pyplot): thread-safe and imported only when a picture is drawn."""
from __future__ import annotations

import numpy as np
from scipy import signal

from engine.interchange import lanes
from engine.timeline import Timeline

COLORS = {"ambience": "#4C78A8", "fx": "#F58518", "music": "#54A24B"}
OTHER = ("#B279A2", "#E45756", "#72B7B2", "#9D755D")


def short_term_lufs(audio: np.ndarray, sample_rate: int, *, window_s: float = 3.0,
                    hop_s: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """(times_s, LUFS) of BS.1770 short-term loudness: K-weighted mean square over a
    sliding 3 s window, channels summed; -inf where silent. Times are window ends."""
    from engine.mixing.master import _k_weighting
    a = np.atleast_2d(np.asarray(audio, dtype=np.float64))
    k = signal.sosfilt(_k_weighting(sample_rate), a, axis=-1)
    sq = np.concatenate([[0.0], np.cumsum(np.einsum("cn,cn->n", k, k))])
    n, w, hop = a.shape[-1], int(round(window_s * sample_rate)), max(1, int(round(hop_s * sample_rate)))
    ends = np.arange(min(w, n), n + 1, hop)
    power = (sq[ends] - sq[np.maximum(ends - w, 0)]) / np.minimum(ends, w)
    with np.errstate(divide="ignore"):
        return ends / sample_rate, -0.691 + 10 * np.log10(power)


def _envelope(audio: np.ndarray, bins: int = 1500) -> tuple[np.ndarray, np.ndarray]:
    mono = np.asarray(audio, dtype=np.float32).mean(axis=0)
    bins = max(1, min(bins, mono.size))
    cut = mono[: mono.size - mono.size % bins].reshape(bins, -1) if mono.size >= bins else mono[:, None]
    return cut.min(axis=1), cut.max(axis=1)


def figure(tl: Timeline, status: dict[str, str] | None = None, mix_audio: np.ndarray | None = None,
           mix_current: bool = True):
    """A matplotlib Figure of the timeline. ``status`` maps event id to "rendered",
    "stale" or "not rendered"; ``mix_audio`` (2, n) at the timeline's rate adds the
    waveform and short-term loudness panels."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    status = status or {}
    rows = lanes(tl)
    has_mix = mix_audio is not None and mix_audio.size > 0
    heights = [max(2.0, 0.45 * len(rows))] + ([1.0, 0.8] if has_mix else [])
    fig = Figure(figsize=(11, sum(heights) + 0.8), dpi=90, layout="constrained")
    axes = fig.subplots(len(heights), 1, sharex=True, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
    ax = axes[0]
    palette = dict(COLORS)
    for i, t in enumerate(tl.tracks):
        palette.setdefault(t.id, OTHER[i % len(OTHER)])
    for y, (name, evs) in enumerate(rows):
        track = name.split(" ")[0]
        for e in evs:
            st = status.get(e.id, "")
            stale, missing = st == "stale", st in ("", "not rendered")
            bar = ax.barh(len(rows) - 1 - y, e.duration_s, left=e.start_s, height=0.8, color=palette[track],
                          alpha=0.35 if missing else 0.9, hatch="///" if stale else None,
                          edgecolor="#D62728" if stale else ("#555" if missing else "black"),
                          linewidth=2.0 if stale else 0.8, linestyle="--" if missing else "-").patches[0]
            label = f"{e.id}{' 🔒' if e.locked else ''}{' (stale)' if stale else ''}: {e.caption}"
            text = ax.text(e.start_s + 0.15, len(rows) - 1 - y, label[:70], va="center", ha="left", fontsize=8,
                           color="black")
            text.set_clip_path(bar)  # a label never runs over its neighbours
    ax.set_yticks(range(len(rows)), [n for n, _ in reversed(rows)])
    ax.set_xlim(0, tl.duration_s)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(f"{len(tl.events)} events over {tl.duration_s:g} s", fontsize=10, loc="left")
    ax.legend(handles=[Patch(facecolor="#ccc", edgecolor="black", label="rendered"),
                       Patch(facecolor="#ccc", hatch="///", edgecolor="#D62728", label="stale (edited)"),
                       Patch(facecolor="#eee", edgecolor="#555", linestyle="--", label="not rendered")],
              loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=3, fontsize=7, frameon=False)
    if has_mix:
        sr = tl.sample_rate
        lo, hi = _envelope(mix_audio)
        t = np.linspace(0, mix_audio.shape[-1] / sr, lo.size)
        axes[1].fill_between(t, lo, hi, color="#333", linewidth=0)
        axes[1].set_ylim(-1, 1)
        axes[1].set_ylabel("mix" + ("" if mix_current else "\n(old)"), fontsize=8)
        ts, lufs = short_term_lufs(mix_audio, sr)
        axes[2].plot(ts, np.where(np.isfinite(lufs), lufs, np.nan), color="#1f77b4")
        axes[2].set_ylabel("LUFS (S)", fontsize=8)
        finite = lufs[np.isfinite(lufs)]
        if finite.size:
            axes[2].set_ylim(max(finite.min() - 3, -60), min(finite.max() + 3, 0))
        axes[2].grid(alpha=0.3)
    axes[-1].set_xlabel("time (s)")
    return fig
