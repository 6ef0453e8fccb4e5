"""Export: the mix, per-event stems aligned to timeline zero, and the project JSON
with provenance. Only generated names are written (event ids are validated
identifiers); the output folder is the caller's choice or the app's exports folder."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile as sf

from . import __version__
from .errors import ValidationError
from .mixing import Mixdown
from .project_io import save_project
from .timeline import Timeline

FORMATS = {"wav": ("WAV", "PCM_24"), "wav16": ("WAV", "PCM_16"), "wav32f": ("WAV", "FLOAT"),
           "flac": ("FLAC", "PCM_24"), "ogg": ("OGG", "VORBIS"), "mp3": ("MP3", "MPEG_LAYER_III")}
EXTENSIONS = {"wav": "wav", "wav16": "wav", "wav32f": "wav", "flac": "flac", "ogg": "ogg", "mp3": "mp3"}


def write_audio(path: Path, audio: np.ndarray, sample_rate: int, fmt: str = "wav") -> Path:
    """(channels, samples) float audio to a file; lossy formats only at rates they support."""
    major, subtype = FORMATS[fmt]
    data = np.ascontiguousarray(np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0).T)
    tmp = path.with_name(f".{path.name}.tmp")
    sf.write(str(tmp), data, sample_rate, format=major, subtype=subtype)
    os.replace(tmp, path)
    return path


def _event_stem(seg: tuple[int, np.ndarray], n: int) -> np.ndarray:
    s0, a = seg
    full = np.zeros((a.shape[0], n), dtype=np.float32)
    full[:, s0:s0 + a.shape[-1]] = a
    return full


def export(timeline: Timeline, mixdown: Mixdown, out_dir: str | os.PathLike, *, fmt: str = "wav",
           stems: bool = True, takes: dict | None = None, overwrite: bool = True) -> list[Path]:
    """Write ``mix.<ext>``, ``stems/<event-id>.wav`` (full length, from 0:00) and
    ``project.json`` into out_dir; returns the written paths."""
    if fmt not in FORMATS:
        raise ValidationError("format", f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if mixdown.sample_rate != timeline.sample_rate or mixdown.audio.shape[-1] != timeline.n_samples:
        raise ValidationError("mixdown", "does not match the timeline (mix again after editing)")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ValidationError("out_dir", f"cannot create the output folder: {e.strerror or e}") from None
    mix_path = out / f"mix.{EXTENSIONS[fmt]}"
    if mix_path.exists() and not overwrite:
        raise ValidationError("out_dir", f"{mix_path.name} already exists (choose another folder)")
    written = [write_audio(mix_path, mixdown.audio, timeline.sample_rate, fmt)]
    if stems:
        stem_dir = out / "stems"
        stem_dir.mkdir(exist_ok=True)
        for ev in timeline.events:
            if ev.id in mixdown.event_segments:
                written.append(write_audio(stem_dir / f"{ev.id}.wav", _event_stem(mixdown.event_segments[ev.id],
                                                                                    timeline.n_samples),
                                           timeline.sample_rate, "wav"))
    prov = dict(timeline.provenance)
    prov.update({"engine_version": __version__, "mix": {k: v for k, v in mixdown.info.items()
                                                        if isinstance(v, (int, float, str, list))
                                                        and not (isinstance(v, float) and not np.isfinite(v))}})
    if takes:
        prov["takes"] = {eid: t.provenance for eid, t in takes.items()}
    written.append(save_project(timeline.replace(provenance=prov), out / "project.json"))
    return written
