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
    """(channels, samples) float audio to a file. Float WAV keeps values beyond full
    scale (pre-master stems may exceed it); integer and lossy formats are clipped."""
    major, subtype = FORMATS[fmt]
    data = np.asarray(audio, dtype=np.float32)
    if subtype != "FLOAT":
        data = np.clip(data, -1.0, 1.0)
    data = np.ascontiguousarray(data.T)
    tmp = path.with_name(f".{path.name}.tmp")
    sf.write(str(tmp), data, sample_rate, format=major, subtype=subtype)
    os.replace(tmp, path)
    return path


OUTPUT_NAMES = ("project.json", "timeline.otio", "session.rpp", "bundle.zip", "stems", "tracks")


def check_out_dir(out_dir: str | os.PathLike, fmt: str = "wav", *, overwrite: bool = False) -> Path:
    """The output folder as a Path. Unless ``overwrite``, an earlier export there (its
    mix, project, bundle or stem folders) is a ValidationError: nothing is replaced
    silently. A path that exists but is not a folder is always an error."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ValidationError("out_dir", f"{out.name} exists and is not a folder")
    for parent in out.absolute().parents:  # the first existing ancestor must be a folder too
        if parent.exists():
            if not parent.is_dir():
                raise ValidationError("out_dir", f"{parent.name} is not a folder")
            break
    if not overwrite and out.is_dir():
        for name in (f"mix.{EXTENSIONS.get(fmt, fmt)}", *OUTPUT_NAMES):
            if (out / name).exists():
                raise ValidationError("out_dir", f"{name} already exists there (choose another folder or overwrite)")
    return out


def _event_stem(seg: tuple[int, np.ndarray], n: int) -> np.ndarray:
    s0, a = seg
    full = np.zeros((a.shape[0], n), dtype=np.float32)
    full[:, s0:s0 + a.shape[-1]] = a
    return full


def export(timeline: Timeline, mixdown: Mixdown, out_dir: str | os.PathLike, *, fmt: str = "wav",
           stems: bool = True, track_stems: bool = True, otio: bool = True, rpp: bool = True,
           bundle: bool = True, takes: dict | None = None, overwrite: bool = False) -> list[Path]:
    """Write into out_dir: ``mix.<ext>``; ``stems/<event-id>.wav`` and
    ``tracks/<track-id>.wav`` (pre-master, full length from 0:00, summing to the
    pre-master mix); ``project.json`` with provenance; ``timeline.otio`` and
    ``session.rpp`` referencing the stems; ``bundle.zip`` with all of it. Returns the
    written paths, mix first. An earlier export in out_dir (mix, project, bundle, stem
    folders) is a ValidationError unless ``overwrite=True``: nothing is replaced silently."""
    if fmt not in FORMATS:
        raise ValidationError("format", f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if mixdown.sample_rate != timeline.sample_rate or mixdown.audio.shape[-1] != timeline.n_samples:
        raise ValidationError("mixdown", "does not match the timeline (mix again after editing)")
    if fmt in ("mp3", "ogg") and timeline.sample_rate not in (8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000):
        raise ValidationError("format", f"{fmt} cannot store {timeline.sample_rate} Hz audio (choose wav or flac)")
    out = check_out_dir(out_dir, fmt, overwrite=overwrite)
    mix_path = out / f"mix.{EXTENSIONS[fmt]}"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ValidationError("out_dir", f"cannot create the output folder: {e.strerror or e}") from None
    n = timeline.n_samples
    written = [write_audio(mix_path, mixdown.audio, timeline.sample_rate, fmt)]
    if stems:
        stem_dir = out / "stems"
        stem_dir.mkdir(exist_ok=True)
        for ev in timeline.events:
            if ev.id in mixdown.event_segments:
                written.append(write_audio(stem_dir / f"{ev.id}.wav", _event_stem(mixdown.event_segments[ev.id], n),
                                           timeline.sample_rate, "wav32f"))
    if track_stems:
        track_dir = out / "tracks"
        track_dir.mkdir(exist_ok=True)
        for tid, audio in mixdown.stems.items():
            written.append(write_audio(track_dir / f"{tid}.wav", audio, timeline.sample_rate, "wav32f"))
    prov = dict(timeline.provenance)
    prov.update({"engine_version": __version__, "planner": timeline.planner,
                 "mix": {k: v for k, v in mixdown.info.items() if isinstance(v, (int, float, str, list))
                         and not (isinstance(v, float) and not np.isfinite(v))}})
    if takes:
        prov["takes"] = {eid: t.provenance for eid, t in takes.items()}
        prov["renderers"] = sorted({f"{t.provenance.get('backend', '?')}:{t.provenance.get('model', '?')}"
                                    for t in takes.values()})
    final = timeline.replace(provenance=prov)
    written.append(save_project(final, out / "project.json"))
    if otio and stems:
        from .interchange import write_otio
        written.append(write_otio(final, out / "timeline.otio", takes=takes))
    if rpp and stems:
        from .interchange import write_rpp
        written.append(write_rpp(final, out / "session.rpp"))
    if bundle:
        written.append(_bundle(out, written))
    return written


def _bundle(out: Path, files: list[Path]) -> Path:
    """One zip of everything written, paths relative to out_dir (stored: audio does not
    compress well and WAV stays readable by every tool)."""
    import zipfile
    target = out / "bundle.zip"
    tmp = out / ".bundle.zip.tmp"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as z:
        for f in files:
            z.write(f, f.relative_to(out).as_posix())
    os.replace(tmp, target)
    return target
