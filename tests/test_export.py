"""Export with known answers: formats, stems that sum to the pre-master mix, OTIO and
RPP timelines that load back with every clip at its event's time, one bundle."""
import json
import zipfile

import numpy as np
import pytest
import soundfile as sf

import engine
from engine import Take, Timeline, ValidationError
from engine.interchange import lanes, read_rpp_items

SR = 22050


def _setup():
    evs = [{"id": "bed", "caption": "rain", "start_s": 0, "duration_s": 8, "track": "ambience"},
           {"id": "k1", "caption": "knock", "start_s": 1.25, "duration_s": 2, "track": "fx"},
           {"id": "k2", "caption": "slam", "start_s": 2.5, "duration_s": 3, "track": "fx", "pan": 0.5},
           {"id": "m", "caption": "pad", "start_s": 0.5, "duration_s": 7.5, "track": "music"}]
    tl = Timeline.from_json({"duration_s": 8, "sample_rate": SR, "story": "s", "planner": "rules", "events": evs})
    rng = np.random.default_rng(0)
    takes = {e.id: Take(e.id, (0.2 * rng.standard_normal((2, round(e.duration_s * SR)))).astype(np.float32), SR,
                        {"backend": "test", "model": "noise", "seed": e.seed}) for e in tl.events}
    return tl, takes


def test_full_export_and_stems_sum(tmp_path):
    tl, takes = _setup()
    mixdown = engine.mix(tl, takes)
    paths = engine.export(tl, mixdown, tmp_path, takes=takes)
    names = {p.relative_to(tmp_path).as_posix() for p in paths}
    assert {"mix.wav", "project.json", "timeline.otio", "session.rpp", "bundle.zip", "stems/k1.wav",
            "tracks/fx.wav"} <= names
    total = sum(sf.read(str(tmp_path / "stems" / f"{e.id}.wav"), always_2d=True)[0] for e in tl.events)
    assert total.shape == (8 * SR, 2)
    assert np.allclose(total.T, mixdown.premaster, atol=1e-6)
    tracks = sum(sf.read(str(tmp_path / "tracks" / f"{t.id}.wav"), always_2d=True)[0] for t in tl.tracks)
    assert np.allclose(tracks.T, mixdown.premaster, atol=1e-6)
    with zipfile.ZipFile(tmp_path / "bundle.zip") as z:
        assert set(z.namelist()) == names - {"bundle.zip"}
    doc = json.loads((tmp_path / "project.json").read_text())
    assert doc["provenance"]["takes"]["k1"]["seed"] == tl.event("k1").seed
    assert doc["provenance"]["renderers"] == ["test:noise"] and doc["provenance"]["engine_version"]


@pytest.mark.parametrize("fmt,subtype", [("wav", "PCM_24"), ("wav16", "PCM_16"), ("wav32f", "FLOAT"),
                                         ("flac", "PCM_24"), ("ogg", "VORBIS"), ("mp3", "MPEG_LAYER_III")])
def test_formats(tmp_path, fmt, subtype):
    tl, takes = _setup()
    mixdown = engine.mix(tl, takes)
    p = engine.export(tl, mixdown, tmp_path, fmt=fmt, stems=False, track_stems=False, bundle=False)[0]
    info = sf.info(str(p))
    assert info.subtype == subtype and info.samplerate == SR and info.channels == 2
    a, _ = sf.read(str(p), always_2d=True)
    if fmt.startswith("wav") or fmt == "flac":
        assert a.shape[0] == 8 * SR
        tol = {"wav": 1e-6, "wav16": 1e-4, "wav32f": 1e-7, "flac": 1e-6}[fmt]
        assert np.max(np.abs(a.T - mixdown.audio)) < tol
    else:  # lossy codecs may pad a frame; the content must still be there
        assert abs(a.shape[0] - 8 * SR) < 0.1 * SR and np.abs(a).max() > 0.1


def test_otio_clips_at_event_times(tmp_path):
    import opentimelineio as otio
    tl, takes = _setup()
    engine.export(tl, engine.mix(tl, takes), tmp_path, takes=takes)
    ot = otio.adapters.read_from_file(str(tmp_path / "timeline.otio"))
    seen = {}
    for track in ot.tracks:
        for clip in track.find_clips():
            ev = clip.metadata["narrative_audio"]["event"]
            start = clip.range_in_parent().start_time
            seen[ev["id"]] = (start.value / start.rate, clip.source_range.duration.to_seconds(), track.name,
                              clip.media_reference.target_url)
    assert set(seen) == {e.id for e in tl.events}
    for e in tl.events:
        start, dur, track, url = seen[e.id]
        assert start == pytest.approx(e.start_s, abs=1 / SR) and dur == pytest.approx(e.duration_s, abs=1 / SR)
        assert track.split(" ")[0] == e.track and url == f"stems/{e.id}.wav"
    assert {t.name for t in ot.tracks} >= {"fx", "fx 2"}  # overlapping fx events need two lanes


def test_rpp_parses_back_to_item_positions(tmp_path):
    tl, takes = _setup()
    engine.export(tl, engine.mix(tl, takes), tmp_path)
    items = read_rpp_items((tmp_path / "session.rpp").read_text())
    by_id = {i["name"].split(":")[0]: i for i in items}
    assert set(by_id) == {e.id for e in tl.events}
    for e in tl.events:
        it = by_id[e.id]
        assert it["position_s"] == pytest.approx(e.start_s, abs=1e-9)
        assert it["length_s"] == pytest.approx(e.duration_s, abs=1e-9)
        assert it["offset_s"] == pytest.approx(e.start_s, abs=1e-9) and it["file"] == f"stems/{e.id}.wav"


def test_lanes_never_overlap():
    tl, _ = _setup()
    for _, evs in lanes(tl):
        for a, b in zip(evs, evs[1:]):
            assert a.end_s <= b.start_s + 1e-9


def test_no_silent_overwrite_and_bad_format(tmp_path):
    tl, takes = _setup()
    m = engine.mix(tl, takes)
    engine.export(tl, m, tmp_path)
    with pytest.raises(ValidationError, match="already exists"):
        engine.export(tl, m, tmp_path, overwrite=False)
    with pytest.raises(ValidationError, match="format"):
        engine.export(tl, m, tmp_path / "x", fmt="aiff")


def test_ducking_dips_beds_under_fx_and_can_be_off():
    tl, takes = _setup()
    on = engine.mix(tl, takes, loudness_lufs=None, true_peak_db=None)
    off = engine.mix(tl, takes, loudness_lufs=None, true_peak_db=None, ducking=False)
    amb_on, amb_off = on.stems["ambience"][0].astype(float), off.stems["ambience"][0].astype(float)
    seg = slice(int(2.0 * SR), int(3.0 * SR))  # inside the fx events
    ratio_db = 10 * np.log10(np.mean(amb_on[seg] ** 2) / np.mean(amb_off[seg] ** 2))
    assert -6.5 < ratio_db < -4.5
    quiet = slice(int(0.2 * SR), int(0.6 * SR))  # before any fx (attack look-ahead is 30 ms)
    assert np.allclose(amb_on[quiet], amb_off[quiet], rtol=1e-3, atol=1e-6)
    assert np.allclose(on.stems["fx"], off.stems["fx"])
    assert np.allclose(sum(on.stems.values()), on.premaster, atol=1e-5)


@pytest.mark.parametrize("preset,lufs", [("broadcast", -23.0), ("default", -16.0), ("streaming", -14.0)])
def test_loudness_presets(preset, lufs):
    from engine.mixing.master import integrated_lufs, true_peak_db
    tl, takes = _setup()
    m = engine.mix(tl, takes, preset=preset)
    assert integrated_lufs(m.audio, SR) == pytest.approx(lufs, abs=0.5) and true_peak_db(m.audio) <= -1.0 + 1e-3
