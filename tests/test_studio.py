"""Studio handlers without a browser (plain functions over the project dict)."""
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from engine.paths import sub_dir
from studio import handlers as H
from studio import state as S
from studio.state import StudioError
from tests.conftest import STORM

COL = H.COLUMNS.index
STORY_8 = ("Rain falls on a quiet street at night. Thunder rumbles far away. A car drives past on the wet road. "
           "Then footsteps approach and a door creaks open. A dog barks twice. A phone rings. "
           "Finally a church bell tolls.")  # the rules planner makes 8 events of it


@pytest.fixture(scope="module")
def planned():
    return H.plan(STORM, 20)


@pytest.fixture(scope="module")
def rendered(planned):
    st, rows, _ = H.render_all(planned[0], planned[1])
    return st, rows


def _takes(st):
    store = H.SERVICES.store()
    return {e["id"]: store.get(e["take"]).audio.tobytes() for e in st["events"]}


def test_plan_returns_rows_reasoning_and_autosaves(planned):
    st, rows, reasoning, status = planned
    assert rows and reasoning and "planned" in status
    assert [r[COL("id")] for r in rows] == [e["id"] for e in st["events"]]
    assert all(r[-1] == "not rendered" for r in rows)
    name = st["provenance"]["studio"]["name"]
    saved = json.loads((sub_dir("projects") / f"{name}.json").read_text())
    assert saved == st


def test_plan_errors_are_one_line():
    for story, dur in (("", 10), ("rain", "x"), ("rain", -5), ("rain", float("nan"))):
        with pytest.raises(StudioError) as ei:
            H.plan(story, dur)
        assert "\n" not in str(ei.value)


def test_unknown_planner_is_reported():
    with pytest.raises(StudioError, match="planner"):
        H.plan("rain", 10, "no-such-planner")


@pytest.mark.parametrize("col,value,needle", [
    ("start_s", "abc", "row 1 start_s: must be a number"), ("duration_s", -1, "row 1 duration_s"),
    ("track", "drums", "row 1 track: unknown track"), ("caption", "", "row 1 caption: must not be empty"),
    ("start_s", float("nan"), "row 1 start_s"), ("seed", "", "row 1 seed: must not be empty"),
])
def test_bad_cells_are_reported_inline_not_fixed(planned, col, value, needle):
    st, rows, _, _ = planned
    bad = [list(r) for r in rows]
    bad[0][COL(col)] = value
    new_state, msg = H.edit_table(st, bad)
    assert new_state is st and msg.startswith("⚠") and needle in msg
    with pytest.raises(StudioError, match=needle.split(":")[0]):
        H.render_all(st, bad)


def test_edit_table_applies_a_good_edit(planned):
    st, rows, _, _ = planned
    edited = [list(r) for r in rows]
    edited[0][COL("caption")] = "gentle rain on leaves"
    edited[0][COL("gain_db")] = "-3"
    new_state, msg = H.edit_table(st, edited)
    assert msg == "" and new_state["events"][0]["caption"] == "gentle rain on leaves"
    assert new_state["events"][0]["gain_db"] == -3.0
    assert new_state["events"][1:] == st["events"][1:]


def test_add_duplicate_delete_rows(planned):
    st, rows, _, _ = planned
    n = len(st["events"])
    third = next(e for e in st["events"] if e["start_s"] + e["duration_s"] < st["duration_s"] - 1)
    st2, rows2, _ = H.add_row(st, rows, third["id"])
    assert len(st2["events"]) == n + 1 and st2["events"][-1]["start_s"] == pytest.approx(
        third["start_s"] + third["duration_s"], abs=1e-3)
    st3, rows3, msg = H.duplicate_row(st2, rows2, "e1")
    assert len(st3["events"]) == n + 2 and st3["events"][1]["caption"] == st3["events"][0]["caption"]
    assert st3["events"][1]["id"] not in {e["id"] for e in st2["events"]}
    st4, rows4, _ = H.delete_row(st3, rows3, "e1")
    assert "e1" not in [e["id"] for e in st4["events"]] and len(rows4) == n + 1
    with pytest.raises(StudioError, match="select an event"):
        H.delete_row(st, rows, "")


def test_render_all_then_mix_then_export(rendered):
    st, rows = rendered
    assert all(r[-1] == "rendered" for r in rows)
    st2, mix_path, status = H.mix(st, 0.0, True, -16, -1)
    assert Path(mix_path).resolve().is_relative_to(sub_dir("renders").resolve())
    assert sf.info(mix_path).frames == 20 * 44100 and "LUFS" in status
    assert st2["provenance"]["studio"]["mix"]["loudness_lufs"] == -16.0
    files, status = H.export(st2, "flac", 0.0, True, -16, -1)
    names = [Path(f).name for f in files]
    assert names == ["mix.flac", "stems.zip", "project.json", "timeline.otio", "session.rpp", "bundle.zip"]
    assert all(Path(f).resolve().is_relative_to(sub_dir("exports").resolve()) for f in files)
    import zipfile
    with zipfile.ZipFile(files[1]) as z:
        assert {f"stems/{e['id']}.wav" for e in st["events"]} <= set(z.namelist())


def test_render_all_twice_renders_nothing_new(rendered):
    st, rows = rendered
    st2, _, status = H.render_all(st, rows)
    assert status.startswith("rendered 0, reused") and _takes(st2) == _takes(st)


def test_render_one_event_keeps_every_other_take_bit_identical(rendered):
    st, rows = rendered
    before = _takes(st)
    edited = [list(r) for r in rows]
    edited[2][COL("caption")] = "a huge heavy door slams shut"
    st_edit, msg = H.edit_table(st, edited)
    assert msg == "" and H.rows_for(S.load(st_edit))[2][-1] == "stale"
    eid = st["events"][2]["id"]
    st2, rows2, audio, kept, chosen, status = H.render_event(st_edit, None, eid)
    assert "rendered 1, reused 0" in status
    after = _takes(st2)
    assert after[eid] != before[eid]
    assert {k: v for k, v in after.items() if k != eid} == {k: v for k, v in before.items() if k != eid}
    assert [e["take"] for e in st2["events"] if e["id"] != eid] == [e["take"] for e in st["events"] if e["id"] != eid]
    assert st2["provenance"]["studio"]["residual"] == st["provenance"]["studio"]["residual"]
    assert chosen == st2["events"][2]["take"] and kept[-1] == chosen
    a, sr = sf.read(audio, dtype="float32", always_2d=True)
    assert a.T.tobytes() == after[eid]


def test_new_seed_keeps_takes_for_ab_and_choose_restores_seed(rendered):
    st, rows = rendered
    eid = st["events"][3]["id"]
    seed0, take0 = st["events"][3]["seed"], st["events"][3]["take"]
    st2, _, _, kept, chosen, status = H.render_event(st, None, eid, True)
    ev2 = next(e for e in st2["events"] if e["id"] == eid)
    assert ev2["seed"] != seed0 and chosen != take0 and kept[-2:] == [take0, chosen] or take0 in kept
    assert H.preview_take(take0).endswith(f"{take0}.wav")
    st3, rows3, audio, msg = H.choose_take(st2, eid, take0)
    ev3 = next(e for e in st3["events"] if e["id"] == eid)
    assert ev3["take"] == take0 and ev3["seed"] == seed0 and rows3[3][-1] == "rendered"
    with pytest.raises(StudioError, match="not a kept take"):
        H.choose_take(st2, eid, "tdoesnotexist")


def test_locked_event_is_not_rerendered(rendered):
    st, rows = rendered
    eid = st["events"][1]["id"]
    st2, rows2, msg = H.set_locked(st, rows, eid, True)
    assert "locked" in msg and rows2[1][COL("locked")] is True
    with pytest.raises(StudioError, match="locked"):
        H.render_event(st2, None, eid)
    edited = [list(r) for r in rows2]
    edited[1][COL("caption")] = "a completely different sound"
    st3, _, status = H.render_all(st2, edited)
    assert st3["events"][1]["take"] == st["events"][1]["take"] and "rendered 0" in status


def test_cancel_stops_between_events_and_keeps_finished_takes(planned):
    st, rows, _, _ = H.plan(STORY_8, 16)
    calls = []

    def progress(frac, msg):
        calls.append(msg)
        if len(calls) == 2:  # while the second event is rendering
            H.cancel_render(st)

    st2, rows2, status = H.render_all(st, rows, progress=progress)
    done = [e for e in st2["events"] if e["take"]]
    assert status.startswith("cancelled") and len(done) == 2 < len(st2["events"])
    saved = json.loads((sub_dir("projects") / f"{S.name_of(S.load(st2))}.json").read_text())
    assert [e["take"] for e in saved["events"]] == [e["take"] for e in st2["events"]]
    st3, _, status = H.render_all(st2, rows2)
    assert status.startswith(f"rendered {len(st2['events']) - 2}, reused 2")


def test_mix_controls_change_the_mix(rendered):
    st, _ = rendered
    _, p1, _ = H.mix(st, 0.0, True, -16, -1)
    a1, _ = sf.read(p1)
    _, p2, s2 = H.mix(st, 0.0, False, -23, -2)
    a2, _ = sf.read(p2)
    assert "-23.0 LUFS" in s2 and np.abs(a2).max() < np.abs(a1).max()
    with pytest.raises(StudioError, match="loudness_lufs"):
        H.mix(st, 0.0, True, 5, -1)
    with pytest.raises(StudioError, match="crossfade_s"):
        H.mix(st, -1, True, -16, -1)


def test_with_crossfades_sets_minimum_fades_within_duration(planned):
    tl = S.load(planned[0])
    out = H.with_crossfades(tl, 2.0)
    for a, b in zip(tl.events, out.events):
        assert b.fade_in_s + b.fade_out_s <= b.duration_s + 1e-9
        if a.duration_s >= 4.0:
            assert b.fade_in_s >= 2.0 - 1e-9 and b.fade_out_s >= 2.0 - 1e-9
    assert H.with_crossfades(tl, 0.0) is tl


def test_mix_before_render_is_a_one_line_error(planned):
    with pytest.raises(StudioError, match="nothing rendered"):
        H.mix(planned[0])


def test_state_errors_are_one_line():
    for bad in (None, {}, {"duration_s": "x"}, {"duration_s": 5, "events": [{"id": "../x"}]}):
        with pytest.raises(StudioError) as ei:
            H.render_all(bad, None)
        assert "\n" not in str(ei.value)


def test_forged_autosave_name_is_replaced(planned):
    st = json.loads(json.dumps(planned[0]))
    st["provenance"]["studio"]["name"] = "../../evil"
    st2, _, _ = H.add_row(st, None)
    name = st2["provenance"]["studio"]["name"]
    assert S.NAME.match(name) and (sub_dir("projects") / f"{name}.json").is_file()
    assert not (sub_dir("projects").parent.parent / "evil.json").exists()


def test_save_and_load_project(rendered, tmp_path, monkeypatch):
    st, _ = rendered
    path, _ = H.save_project(st)
    assert Path(path).resolve().is_relative_to(sub_dir("exports").resolve())
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path))  # the browser uploads the download again
    upload = tmp_path / "project.json"
    upload.write_bytes(Path(path).read_bytes())
    st2, rows, reasoning, story, dur, status = H.load_project(str(upload))
    assert story == st["story"] and dur == st["duration_s"] and len(rows) == len(st["events"])
    assert st2["events"] == st["events"] and S.name_of(S.load(st2)) != S.name_of(S.load(st))
    assert all(r[-1] == "rendered" for r in rows)


@pytest.mark.parametrize("content,needle", [
    (b"{not json", "not valid JSON"), (b'{"duration_s": -1}', "duration_s"), (b"\xff\xfe", "UTF-8"),
    (b" " * 5_000_001, "too large"), (b'{"duration_s": 5, "events": [{"id": "e1"}]}', "row 1"),
])
def test_bad_uploads_are_one_line_errors(tmp_path, monkeypatch, content, needle):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path))  # where Gradio puts uploads
    p = tmp_path / "up.json"
    p.write_bytes(content)
    with pytest.raises(StudioError, match=needle) as ei:
        H.load_project(str(p))
    assert "\n" not in str(ei.value) and str(tmp_path) not in str(ei.value)


def test_a_file_outside_the_upload_cache_is_never_read(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    outside = tmp_path / "elsewhere.json"
    outside.write_text('{"duration_s": 5}')
    inside_link = tmp_path / "cache" / "link.json"
    inside_link.symlink_to(outside)
    for p in (outside, inside_link, tmp_path / "cache" / ".." / "elsewhere.json"):
        with pytest.raises(StudioError, match="not an uploaded file"):
            H.load_project(str(p))
    (tmp_path / "cache" / "ok.json").write_text('{"duration_s": 5}')
    assert H.load_project(str(tmp_path / "cache" / "ok.json"))


def test_recent_projects_reopen(planned):
    recent = H.recent_projects()
    names = [n for _, n in recent]
    assert S.name_of(S.load(planned[0])) in names or len(names) == 10
    st, rows, *_ = H.open_project(names[0])
    assert S.name_of(S.load(st)) == names[0]
    for bad in ("../etc/passwd", "p-zz", "", None):
        with pytest.raises(StudioError):
            H.open_project(bad)


def test_api_key_never_enters_the_project(monkeypatch):
    import engine.planning as P
    seen = {}

    class Echo:
        name = "echo"

        def __init__(self, **options):
            seen.update(options)

        def plan(self, story, d):
            tl = P.get_planner("rules").plan(story, d)
            return tl.replace(provenance={"planner_options": dict(seen)})

    monkeypatch.setitem(P.PLANNERS, "echo", Echo)
    st, *_ = H.plan("rain on a roof", 10, "echo", "tiny-model", "http://localhost:1/v1", "sk-secret")
    assert seen == {"model": "tiny-model", "base_url": "http://localhost:1/v1", "api_key": "sk-secret"}
    assert "sk-secret" not in json.dumps(st) and st["provenance"]["planner_options"]["model"] == "tiny-model"


def test_timeline_view_marks_stale_events(rendered):
    st, rows = rendered
    edited = [list(r) for r in rows]
    edited[0][COL("seed")] = 12345
    st2, _ = H.edit_table(st, edited)
    fig = H.timeline_view(st2)
    bars = [p for p in fig.axes[0].patches if p.get_width() > 0 and p.get_height() == pytest.approx(0.8)]
    assert len(bars) == len(st2["events"])
    assert sum(1 for b in bars if b.get_hatch()) == 1
    assert H.timeline_view(None) is None


def test_short_term_loudness_of_a_sine_has_the_known_value():
    from studio.plot import short_term_lufs
    sr = 48000
    t = np.arange(6 * sr) / sr
    sine = 0.1 * np.sin(2 * np.pi * 997 * t)   # -20 dBFS peak in both channels -> -20 LUFS (BS.1770)
    ts, lufs = short_term_lufs(np.stack([sine, sine]), sr)
    assert ts[0] == pytest.approx(3.0) and lufs[-1] == pytest.approx(-20.0, abs=0.1)
