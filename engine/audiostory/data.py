"""Training data: a folder of JSONL samples, or synthetic samples made offline with the
rules planner and the procedural renderer.

One JSONL line::

    {"instruction": "Rain falls. Then a bell tolls.", "duration": 6.0, "reasoning": "...",   # optional
     "events": [{"caption": "rain falls", "start": 0.0, "duration": 3.0, "audio": "audio/0_e1.wav"}, ...]}

Audio paths are relative to the JSONL file. Audio is read with soundfile, mixed or
duplicated to the model's channel count and resampled with ``resample_poly``.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..errors import ValidationError

SENTENCES = (
    "Rain falls steadily on the roof.", "A church bell tolls.", "A heartbeat pounds.",
    "Birds sing in the trees.", "Thunder rumbles in the distance.", "A dog barks twice.",
    "Waves crash on the shore.", "A door creaks open.", "Footsteps walk on gravel.",
    "Wind howls through the trees.", "A fire crackles.", "A clock ticks.", "An owl hoots at night.",
    "A car engine starts.", "Glass shatters.", "Three knocks on an oak door.",
)
_DURATION_TAIL = re.compile(r"\s*The total duration is [\d.]+ seconds\.?\s*$")


@dataclass
class Event:
    caption: str
    start_s: float
    duration_s: float
    audio: np.ndarray  # float32 (channels, samples) at the model's rate


@dataclass
class Sample:
    story: str
    duration_s: float
    events: list
    reasoning: str | None = None


def resample(audio: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    """float32 (channels, samples) resampled with a polyphase filter."""
    if sr_in == sr_out:
        return np.asarray(audio, np.float32)
    from scipy.signal import resample_poly
    f = Fraction(sr_out, sr_in).limit_denominator(1000)
    return resample_poly(audio, f.numerator, f.denominator, axis=-1).astype(np.float32)


def fit_channels(audio: np.ndarray, channels: int) -> np.ndarray:
    audio = np.atleast_2d(audio)
    if audio.shape[0] == channels:
        return audio
    mono = audio.mean(axis=0, keepdims=True)
    return np.repeat(mono, channels, axis=0).astype(np.float32)


def read_audio(path: Path, sample_rate: int, channels: int) -> np.ndarray:
    import soundfile as sf
    x, sr = sf.read(str(path), dtype="float32", always_2d=True)
    return resample(fit_channels(x.T, channels), sr, sample_rate)


def peak_normalise(audio: np.ndarray, peak: float = 0.5) -> np.ndarray:
    """Every training clip at the same peak: levels belong to the mixer, not the model."""
    m = float(np.max(np.abs(audio))) if audio.size else 0.0
    return (audio * (peak / m)).astype(np.float32) if m > 1e-6 else audio


def _number(value, where: str, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value \
            or value in (float("inf"), float("-inf")):
        raise ValidationError(where, f"must be a finite number (got {value!r})"[:120])
    if positive and value <= 0:
        raise ValidationError(where, f"must be > 0 (got {value!r})")
    if value < 0:
        raise ValidationError(where, f"must be >= 0 (got {value!r})")
    return float(value)


def _text(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(where, "must be a non-empty string")
    return value.strip()


def parse_line(line: str, where: str, base: Path, sample_rate: int, channels: int) -> Sample:
    """One JSONL sample, checked field by field; every problem is a one-line
    ValidationError such as ``train.jsonl:3 events[1].audio: no such file (a.wav)``."""
    try:
        d = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValidationError(where, f"not valid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(d, dict):
        raise ValidationError(where, f"must be a JSON object (got {type(d).__name__})")
    story = _DURATION_TAIL.sub("", _text(d.get("instruction"), f"{where} instruction"))
    raw = d.get("events")
    if not isinstance(raw, list) or not raw:
        raise ValidationError(f"{where} events", "must be a non-empty list")
    events = []
    for k, e in enumerate(raw):
        at = f"{where} events[{k}]"
        if not isinstance(e, dict):
            raise ValidationError(at, "must be an object with caption, start, duration, audio")
        caption = _text(e.get("caption"), f"{at}.caption")
        start = _number(e.get("start"), f"{at}.start", positive=False)
        dur = _number(e.get("duration"), f"{at}.duration", positive=True)
        rel = _text(e.get("audio"), f"{at}.audio")
        path = (base / rel)
        if not path.is_file():
            raise ValidationError(f"{at}.audio", f"no such file ({rel})")
        try:
            audio = read_audio(path, sample_rate, channels)
        except Exception as err:  # unreadable / not audio: soundfile raises its own error types
            raise ValidationError(f"{at}.audio", f"cannot read {rel} ({type(err).__name__})") from None
        if audio.shape[-1] == 0 or not np.isfinite(audio).all():
            raise ValidationError(f"{at}.audio", f"{rel} is empty or holds non-finite samples")
        events.append(Event(caption, start, dur, peak_normalise(audio)))
    end = max(e.start_s + e.duration_s for e in events)
    total = _number(d["duration"], f"{where} duration", positive=True) if d.get("duration") is not None else end
    reasoning = d.get("reasoning")
    if reasoning is not None and not isinstance(reasoning, str):
        raise ValidationError(f"{where} reasoning", "must be a string when given")
    return Sample(story, total, events, reasoning)


def load_folder(folder: str | Path, sample_rate: int, channels: int) -> list[Sample]:
    """Every sample of every ``*.jsonl`` file under ``folder`` (clips peak-normalised)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValidationError("data", f"no such folder: {folder}")
    files = sorted(folder.rglob("*.jsonl"))
    if not files:
        raise ValidationError("data", f"no .jsonl files under {folder}")
    out = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ValidationError(f.name, f"cannot read ({type(e).__name__})") from None
        for n, line in enumerate(text.splitlines()):
            if line.strip():
                out.append(parse_line(line, f"{f.name}:{n + 1}", f.parent, sample_rate, channels))
    if not out:
        raise ValidationError("data", f"the .jsonl files under {folder} hold no samples")
    return out


def make_synthetic(n: int, folder: str | Path, sample_rate: int, *, sentences=SENTENCES, max_sentences: int = 3,
                   seconds_per_sentence: tuple = (1.5, 3.0), seed: int = 0, progress=None) -> Path:
    """Write ``n`` multi-event samples (rules planner + procedural renderer) as WAV + JSONL
    under ``folder``; returns the folder. Reuses a complete earlier run."""
    import soundfile as sf

    import engine
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValidationError("synthetic", f"must be a whole number >= 1 (got {n!r})")
    folder = Path(folder)
    index = folder / "synthetic.jsonl"
    if index.exists() and len(index.read_text().splitlines()) == n:
        return folder
    (folder / "audio").mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        k = rng.randint(1, min(max_sentences, len(sentences)))
        picked = rng.sample(list(sentences), k)
        story = " Then ".join(p if j == 0 else p[0].lower() + p[1:] for j, p in enumerate(picked))
        total = max(1.0, round(sum(rng.uniform(*seconds_per_sentence) for _ in picked), 1))
        tl = engine.plan(story, total)
        tl = tl.replace(sample_rate=sample_rate,
                        events=[dict(e.to_json(), seed=rng.randrange(2**32)) for e in tl.events])
        takes = engine.render(tl, "procedural")
        events = []
        for e in tl.events:
            rel = f"audio/{i:05d}_{e.id}.wav"
            sf.write(str(folder / rel), takes[e.id].audio.T, sample_rate, subtype="FLOAT")
            events.append({"caption": e.caption, "start": e.start_s, "duration": e.duration_s, "audio": rel})
        lines.append(json.dumps({"instruction": story, "duration": total, "events": events}))
        if progress:
            progress((i + 1) / n, f"synthetic sample {i + 1}/{n}")
    index.write_text("\n".join(lines) + "\n")
    return folder


def window(audio: np.ndarray, n_samples: int) -> np.ndarray:
    """The first n_samples of a clip, zero-padded."""
    out = np.zeros((audio.shape[0], n_samples), np.float32)
    k = min(n_samples, audio.shape[-1])
    out[:, :k] = audio[:, :k]
    return out
