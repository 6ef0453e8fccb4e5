"""Issue 9, bad input where it enters (in process, no server): exports that would
replace an earlier one, damaged takes in the store, the app's host/port flags, table
rows and cells, and the studio's named numeric fields."""
import json
import math
import os

import numpy as np
import pytest

import engine
from engine.errors import ValidationError
from engine.export import check_out_dir
from engine.rendering import Take
from engine.takes import TakeStore, render_missing
from engine.timeline import MAX_EVENTS, Timeline
from studio import table as T
from studio.state import StudioError
from tests.conftest import project


def _mixed(duration=2.0):
    """A tiny timeline with synthetic takes (no renderer needed) and its mix."""
    tl = Timeline.from_json(project(duration_s=duration, events=[
        {"id": "e1", "caption": "a low hum", "start_s": 0.0, "duration_s": duration, "track": "ambience"},
        {"id": "e2", "caption": "a click", "start_s": 0.5, "duration_s": 0.5, "track": "fx"}]))
    rng = np.random.default_rng(9)
    takes = {e.id: Take(e.id, (0.1 * rng.standard_normal((2, round(e.duration_s * tl.sample_rate)))).astype(np.float32),
                        tl.sample_rate, {"backend": "test"}) for e in tl.events}
    return tl, takes, engine.mix(tl, takes)


# -- exports never overwrite silently --------------------------------------------------
def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_refuses_to_replace_an_earlier_export_by_default(tmp_path):
    tl, takes, m = _mixed()
    out = tmp_path / "out"
    engine.export(tl, m, out, takes=takes)
    before = _snapshot(out)
    for fmt in ("wav", "flac"):  # another format still finds the earlier project/bundle
        with pytest.raises(ValidationError, match="out_dir: .* already exists"):
            engine.export(tl, m, out, fmt=fmt, takes=takes)
    assert _snapshot(out) == before  # not one byte touched
    paths = engine.export(tl, m, out, takes=takes, overwrite=True)
    assert paths[0] == out / "mix.wav" and _snapshot(out).keys() == before.keys()


@pytest.mark.parametrize("existing", ["project.json", "bundle.zip", "mix.wav", "stems", "tracks"])
def test_any_earlier_output_blocks_the_export(tmp_path, existing):
    (tmp_path / existing).mkdir() if existing in ("stems", "tracks") else (tmp_path / existing).write_text("mine")
    with pytest.raises(ValidationError, match=existing):
        check_out_dir(tmp_path, "wav")
    assert check_out_dir(tmp_path, "wav", overwrite=True) == tmp_path
    assert check_out_dir(tmp_path / "new", "wav") == tmp_path / "new"  # a fresh folder is fine


def test_an_unrelated_file_in_the_folder_is_no_obstacle_and_a_file_is_no_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    tl, takes, m = _mixed()
    engine.export(tl, m, tmp_path, takes=takes, bundle=False)
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    with pytest.raises(ValidationError, match="not a folder"):
        check_out_dir(tmp_path / "notes.txt", overwrite=True)


# -- damaged takes are errors, never crashes ---------------------------------------------
@pytest.fixture
def store(tmp_path):
    s = TakeStore(tmp_path / "takes")
    s.put(Take("e1", np.ones((2, 100), np.float32), 22050, {"seed": 1}), "tgood")
    return s


META_DAMAGE = {
    "not json": b"{\"event_id\": ",
    "empty": b"",
    "a list": b"[1, 2]",
    "no provenance": json.dumps({"event_id": "e1", "sample_rate": 22050}).encode(),
    "string rate": json.dumps({"event_id": "e1", "sample_rate": "22050", "provenance": {}}).encode(),
    "numeric event": json.dumps({"event_id": 5, "sample_rate": 22050, "provenance": {}}).encode(),
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "not utf-8": b"\xff\xfe\x00",
}


@pytest.mark.parametrize("damage", sorted(META_DAMAGE))
def test_malformed_take_metadata_is_a_validation_error(store, damage):
    (store.root / "tgood.json").write_bytes(META_DAMAGE[damage])
    with pytest.raises(ValidationError, match="^take: take tgood"):
        store.get("tgood")
    assert not store.intact("tgood")


def _npy(arr):
    import io
    b = io.BytesIO()
    np.save(b, arr, allow_pickle=True)
    return b.getvalue()


AUDIO_DAMAGE = {
    "truncated": lambda good: good[: len(good) // 2],
    "empty": lambda good: b"",
    "garbage": lambda good: b"not an npy file at all",
    "float64": lambda good: _npy(np.ones((2, 100))),
    "one-dimensional": lambda good: _npy(np.ones(100, np.float32)),
    "pickled objects": lambda good: _npy(np.array([{"x": 1}], dtype=object)),
}


@pytest.mark.parametrize("damage", sorted(AUDIO_DAMAGE))
def test_malformed_take_audio_is_a_validation_error(store, damage):
    p = store.root / "tgood.npy"
    p.write_bytes(AUDIO_DAMAGE[damage](p.read_bytes()))
    with pytest.raises(ValidationError, match="^take: take tgood"):
        store.get("tgood")
    assert store.has("tgood") and not store.intact("tgood")


def test_a_damaged_take_is_rendered_again_not_reused():
    """render_missing treats a take it cannot load as missing, and put() replaces it."""
    import tempfile
    root = tempfile.mkdtemp(prefix="takes-")
    store = TakeStore(root)
    tl = Timeline.from_json(project(duration_s=2.0, events=[
        {"id": "e1", "caption": "a dog barks", "start_s": 0.0, "duration_s": 1.0, "track": "fx", "seed": 1}]))

    class Flat:  # a trivial renderer: no models, deterministic
        name, model = "flat", "v1"

        def residual(self, t):
            return engine.Residual(sample_rate=t.sample_rate)

        def take_id(self, ev, res):
            return "tflat" + ev.id

        def render(self, ev, res):
            n = round(ev.duration_s * res.sample_rate)
            return Take(ev.id, np.full((2, n), 0.25, np.float32), res.sample_rate, {"backend": "flat", "take_id": "tflat" + ev.id})

    r = Flat()
    res = r.residual(tl)
    first = render_missing(tl, r, store, res)
    assert first.rendered == ["e1"]
    (store.root / "tflate1.npy").write_bytes(b"garbage")
    again = render_missing(tl, r, store, res)
    assert again.rendered == ["e1"] and again.take_ids["e1"] == "tflate1"
    assert store.intact("tflate1") and float(store.get("tflate1").audio[0, 0]) == 0.25
    assert render_missing(tl, r, store, res).reused == ["e1"]


def test_studio_reports_a_damaged_take_in_one_line(monkeypatch, tmp_path):
    from studio import handlers as H
    from studio.services import SERVICES
    store = TakeStore(tmp_path / "takes")
    monkeypatch.setattr(SERVICES, "_store", store)
    store.put(Take("e1", np.ones((2, 10), np.float32), 22050, {}), "tbroken")
    (store.root / "tbroken.npy").write_bytes(b"\x93NUMPY garbage")
    with pytest.raises(StudioError, match="take tbroken") as ei:
        H.preview_take("tbroken")
    assert "\n" not in str(ei.value) and str(tmp_path) not in str(ei.value)
    st = Timeline.from_json(project()).with_event("e1", take="tbroken")
    assert H.event_status(st)["e1"] == "not rendered"  # counted as missing, not a crash


# -- app.py: host and port -----------------------------------------------------------------
@pytest.fixture
def app_module(monkeypatch):
    monkeypatch.delenv("GRADIO_SERVER_NAME", raising=False)
    monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    import app
    return app


def test_app_binds_localhost_by_default(app_module):
    a = app_module.parse_args([])
    assert a.host == "127.0.0.1" and a.port == 7860 and not a.share


def test_app_host_and_port_from_flags_and_environment(app_module, monkeypatch):
    a = app_module.parse_args(["--host", "0.0.0.0", "--port", "8080"])
    assert (a.host, a.port) == ("0.0.0.0", 8080)
    monkeypatch.setenv("GRADIO_SERVER_PORT", "9001")
    monkeypatch.setenv("GRADIO_SERVER_NAME", "10.0.0.5")
    a = app_module.parse_args([])
    assert (a.host, a.port) == ("10.0.0.5", 9001)


@pytest.mark.parametrize("port", ["abc", "0", "65536", "-1", "80.5", "nan", "", "1e3"])
def test_bad_ports_are_usage_errors(app_module, port, capsys):
    with pytest.raises(SystemExit) as ei:
        app_module.parse_args(["--port", port])
    assert ei.value.code == 2 and "--port" in capsys.readouterr().err


def test_bad_port_in_the_environment_is_a_usage_error(app_module, monkeypatch, capsys):
    monkeypatch.setenv("GRADIO_SERVER_PORT", "http")
    with pytest.raises(SystemExit) as ei:
        app_module.parse_args([])
    assert ei.value.code == 2 and "port" in capsys.readouterr().err


def test_launch_options_serve_only_generated_folders_and_limit_uploads():
    from engine.paths import sub_dir
    from studio.layout import MAX_UPLOAD, launch_options
    o = launch_options()
    assert sorted(o["allowed_paths"]) == sorted([str(sub_dir("renders")), str(sub_dir("exports"))])
    assert o["max_file_size"] == MAX_UPLOAD and o["show_error"] is False
    assert "server_name" not in o  # the host is app.py's choice: 127.0.0.1 unless asked


# -- the timeline table ------------------------------------------------------------------
@pytest.fixture
def tl():
    return Timeline.from_json(project())


def _rows(tl, row=0, col=None, value=None):
    rows = [r[:] for r in T.to_rows(tl)]
    if col is not None:
        rows[row][T.COLUMNS.index(col)] = value
    return rows


@pytest.mark.parametrize("col,value,needle", [
    ("start_s", "abc", "row 1 start_s: must be a number"),
    ("start_s", float("nan"), "row 1 start_s: must be a finite number"),
    ("start_s", "nan", "row 1 start_s: must be a finite number"),
    ("start_s", "inf", "row 1 start_s: must be a finite number"),
    ("start_s", "1e400", "row 1 start_s: must be a finite number"),
    ("start_s", -1, "row 1 start_s"),
    ("start_s", None, "row 1 start_s: must not be empty"),
    ("start_s", [1], "row 1 start_s: must be a number"),
    ("start_s", True, "row 1 start_s: must be a number"),
    ("duration_s", 1e9, "row 1 duration_s"),
    ("gain_db", "-1e400", "row 1 gain_db"),
    ("pan", 7, "row 1 pan"),
    ("seed", 3.5, "row 1 seed"),
    ("seed", "1e30", "row 1 seed"),
    ("id", "../../etc/passwd", "row 1 id"),
    ("id", "/etc/passwd", "row 1 id"),
    ("caption", "x" * 100_000, "row 1 caption: is too long"),
    ("caption", "rain\x00\x1b[31m", "row 1 caption: must not contain control characters"),
    ("caption", {"a": 1}, "row 1 caption: must be text"),
    ("track", ["fx"], "row 1 track: must be text"),
    ("track", "../fx", "row 1 track"),
    ("locked", "maybe", "row 1 locked: must be true or false"),
    ("locked", {"x": 1}, "row 1 locked: must be true or false"),
    ("locked", 7, "row 1 locked: must be true or false"),
])
def test_bad_cells_name_row_and_column(tl, col, value, needle):
    with pytest.raises(StudioError) as ei:
        T.apply_rows(tl, _rows(tl, 0, col, value))
    msg = str(ei.value)
    assert msg.startswith(needle) and "\n" not in msg and len(msg) <= 300


@pytest.mark.parametrize("rows,needle", [
    ("a string", "table: must be a list of rows (got str)"),
    (5, "table: must be a list of rows (got int)"),
    ({"data": {"x": 1}}, "table: must be a list of rows (got dict)"),
    ([5], "row 1: must be a list of at most"),
    ([["e1"] * 40], "row 1: must be a list of at most"),
])
def test_bad_table_shapes_are_one_line_errors(tl, rows, needle):
    with pytest.raises(StudioError, match="^" + needle.replace("(", r"\(").replace(")", r"\)")):
        T.apply_rows(tl, rows)


def test_row_limit(tl):
    row = T.to_rows(tl)[1]
    too_many = [[f"x{i}", *row[1:]] for i in range(MAX_EVENTS + 1)]
    with pytest.raises(StudioError, match=f"table: has {MAX_EVENTS + 1} rows, at most {MAX_EVENTS}"):
        T.apply_rows(tl, too_many)
    huge = [row] * 1_000_000  # a million rows are refused before any cell is read
    with pytest.raises(StudioError, match="at most"):
        T.apply_rows(tl, huge)


def test_good_edits_and_gradio_shapes_still_apply(tl):
    rows = _rows(tl, 1, "start_s", "2.5")
    rows[1][T.COLUMNS.index("locked")] = "yes"
    out = T.apply_rows(tl, {"headers": T.HEADERS, "data": rows})
    assert out.event("e2").start_s == 2.5 and out.event("e2").locked is True
    assert T.apply_rows(tl, None).events == ()  # an emptied table is an empty timeline
    assert T.apply_rows(tl, _rows(tl, 0, "locked", 0)).event("e1").locked is False


def test_edit_table_leaves_the_state_untouched_on_a_bad_cell(tl):
    from studio import handlers as H
    state = tl.to_dict()
    snapshot = json.dumps(state, sort_keys=True)
    out, msg = H.edit_table(state, _rows(tl, 0, "gain_db", "loud"))
    assert out is state and json.dumps(out, sort_keys=True) == snapshot
    assert msg == "⚠ row 1 gain_db: must be a number (got 'loud')"


# -- named numeric fields ------------------------------------------------------------------
@pytest.mark.parametrize("value,needle", [
    ("abc", "duration_s: must be a number (got 'abc')"),
    (float("nan"), "duration_s: must be a finite number"),
    ("NaN", "duration_s: must be a finite number"),
    (float("inf"), "duration_s: must be a finite number"),
    ("-inf", "duration_s: must be a finite number"),
    (0, "duration_s: must be between 1 and 3600 (got 0)"),
    (-5, "duration_s: must be between 1 and 3600 (got -5)"),
    (1e9, "duration_s: must be between 1 and 3600 (got 1e+09)"),
    ([30], "duration_s: must be a number (got list)"),
    ({"v": 30}, "duration_s: must be a number (got dict)"),
    (True, "duration_s: must be a number (got bool)"),
    ("9" * 400, "duration_s: must be a finite number"),  # 1e399 overflows to inf
])
def test_named_number_field_rejects_bad_values(value, needle):
    import gradio as gr

    from studio.fields import named
    field = named(gr.Number(minimum=1, maximum=3600, value=30), "duration_s")
    with pytest.raises(gr.Error) as ei:
        field.preprocess(value)
    assert ei.value.message == needle or ei.value.message.startswith(needle)
    assert "\n" not in ei.value.message
    assert field.preprocess(30) == 30 and field.preprocess("12.5") == 12.5 and field.preprocess(None) is None


def test_named_sliders_in_the_studio_name_their_fields():
    import gradio as gr

    from studio import render_panel, story_panel
    with gr.Blocks():
        rp, sp = render_panel.build(), story_panel.build()
    for comp, name, bad in ((rp.crossfade, "crossfade_s", 99), (rp.lufs, "loudness_lufs", "x"),
                            (rp.ceiling, "true_peak_db", math.nan), (sp.duration, "duration_s", -1)):
        with pytest.raises(gr.Error) as ei:
            comp.preprocess(bad)
        assert ei.value.message.startswith(f"{name}: must be ")
