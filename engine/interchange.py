"""DAW / editorial interchange: an OpenTimelineIO timeline and a Reaper session whose
clips reference the per-event stems (full length, aligned to zero) at their events'
start times, with the event's caption, seed and provenance as metadata.

Overlapping events on one track (crossfades, layers) cannot share one editorial lane,
so each timeline track becomes as many lanes as it needs ("fx", "fx 2", ...)."""
from __future__ import annotations

import re
from pathlib import Path

from .project_io import atomic_write_bytes
from .timeline import SoundEvent, Timeline


def lanes(timeline: Timeline) -> list[tuple[str, list[SoundEvent]]]:
    """Per track, greedy interval partitioning into non-overlapping lanes, in track order."""
    out: list[tuple[str, list[SoundEvent]]] = []
    for tr in timeline.tracks:
        evs = sorted((e for e in timeline.events if e.track == tr.id), key=lambda e: (e.start_s, e.id))
        tr_lanes: list[list[SoundEvent]] = []
        for e in evs:
            for lane in tr_lanes:
                if lane[-1].end_s <= e.start_s + 1e-9:
                    lane.append(e)
                    break
            else:
                tr_lanes.append([e])
        for i, lane in enumerate(tr_lanes or [[]]):
            out.append((tr.id if i == 0 else f"{tr.id} {i + 1}", lane))
    return out


def write_otio(timeline: Timeline, path: Path, *, stem_dir: str = "stems", takes: dict | None = None) -> Path:
    import opentimelineio as otio
    sr = timeline.sample_rate
    rt = lambda s: otio.opentime.RationalTime(round(s * sr), sr)  # noqa: E731 - sample-exact times
    tl = otio.schema.Timeline(name=(timeline.story[:60] or "narrative audio"))
    tl.global_start_time = rt(0)
    full = otio.opentime.TimeRange(rt(0), rt(timeline.duration_s))
    for name, evs in lanes(timeline):
        track = otio.schema.Track(name=name, kind=otio.schema.TrackKind.Audio)
        cursor = 0.0
        for e in evs:
            if e.start_s > cursor:
                track.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(rt(0), rt(e.start_s) - rt(cursor))))
            ref = otio.schema.ExternalReference(target_url=f"{stem_dir}/{e.id}.wav", available_range=full)
            clip = otio.schema.Clip(name=f"{e.id}: {e.caption[:60]}", media_reference=ref,
                                    source_range=otio.opentime.TimeRange(rt(e.start_s), rt(e.end_s) - rt(e.start_s)))
            meta = {"event": e.to_json()}
            if takes and e.id in takes:
                meta["take"] = {k: v for k, v in takes[e.id].provenance.items() if isinstance(v, (str, int, float, bool))}
            clip.metadata["narrative_audio"] = meta
            track.append(clip)
            cursor = e.end_s
        tl.tracks.append(track)
    tl.metadata["narrative_audio"] = {"story": timeline.story, "duration_s": timeline.duration_s,
                                      "sample_rate": sr, "context": dict(timeline.context.__dict__)}
    return atomic_write_bytes(path, otio.adapters.write_to_string(tl, "otio_json").encode("utf-8"))


def _rpp_str(s: str) -> str:
    """A Reaper string token: quotes and line breaks cannot appear inside one."""
    return '"' + re.sub(r'["\r\n\t]', " ", s)[:120] + '"'


def write_rpp(timeline: Timeline, path: Path, *, stem_dir: str = "stems") -> Path:
    """A minimal REAPER project: one track per lane, one item per event whose source is
    the full-length stem, offset (SOFFS) to the event's start."""
    lines = ['<REAPER_PROJECT 0.1 "7.0" 0', f"  SAMPLERATE {timeline.sample_rate} 0 0",
             f"  LENGTH {timeline.duration_s:.9f}"]
    for name, evs in lanes(timeline):
        lines += ["  <TRACK", f"    NAME {_rpp_str(name)}"]
        for e in evs:
            lines += ["    <ITEM", f"      POSITION {e.start_s:.9f}", f"      LENGTH {e.duration_s:.9f}",
                      f"      SOFFS {e.start_s:.9f}", f"      NAME {_rpp_str(e.id + ': ' + e.caption)}",
                      "      <SOURCE WAVE", f"        FILE {_rpp_str(f'{stem_dir}/{e.id}.wav')}", "      >", "    >"]
        lines.append("  >")
    lines.append(">")
    return atomic_write_bytes(path, ("\n".join(lines) + "\n").encode("utf-8"))


def read_rpp_items(text: str) -> list[dict]:
    """Items of a REAPER project as {track, name, position_s, length_s, offset_s, file}."""
    items, track, item = [], None, None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("<TRACK"):
            track = ""
        elif line.startswith("<ITEM"):
            item = {"track": track}
        elif line == ">" and item is not None and "file" in item and "closed_source" in item:
            items.append({k: v for k, v in item.items() if k != "closed_source"})
            item = None
        elif line == ">" and item is not None and "file" in item:
            item["closed_source"] = True
        elif item is None and track == "" and line.startswith("NAME "):
            track = line[5:].strip('"')
        elif item is not None:
            key, _, val = line.partition(" ")
            if key == "POSITION":
                item["position_s"] = float(val)
            elif key == "LENGTH":
                item["length_s"] = float(val)
            elif key == "SOFFS":
                item["offset_s"] = float(val)
            elif key == "NAME":
                item["name"] = val.strip('"')
            elif key == "FILE":
                item["file"] = val.strip('"')
    return items
