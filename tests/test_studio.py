"""Studio handlers without a browser, and the named API through gradio_client."""
import socket
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from engine.paths import sub_dir
from studio import handlers
from tests.conftest import STORM


def test_plan_edit_render_handlers():
    state, rows, reasoning, status = handlers.plan(STORM, 20)
    assert rows and reasoning and "planned" in status
    rows[0][1] = "gentle rain on leaves"
    st2, mix_path, downloads, status = handlers.render_all(state, rows)
    assert Path(mix_path).resolve().is_relative_to(sub_dir("renders").resolve())
    assert sf.info(mix_path).frames == 20 * 44100
    assert st2["events"][0]["caption"] == "gentle rain on leaves"
    assert all(Path(p).exists() for p in downloads)


@pytest.mark.parametrize("col,value,needle", [
    ("start_s", "abc", "start_s"), ("duration_s", -1, "duration_s"), ("track", "drums", "track"),
    ("caption", "", "caption"), ("start_s", float("nan"), "start_s"),
])
def test_bad_cells_are_reported_not_fixed(col, value, needle):
    state, rows, _, _ = handlers.plan(STORM, 20)
    rows[0][handlers.COLUMNS.index(col)] = value
    with pytest.raises(handlers.StudioError, match=needle):
        handlers.render_all(state, rows)


def test_plan_errors_are_one_line():
    for story, dur in (("", 10), ("rain", "x"), ("rain", -5)):
        with pytest.raises(handlers.StudioError) as ei:
            handlers.plan(story, dur)
        assert "\n" not in str(ei.value)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_named_endpoints_with_gradio_client():
    from gradio_client import Client

    from studio.layout import build_demo
    demo = build_demo()
    port = _free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                        allowed_paths=[str(sub_dir("renders"))])
    try:
        c = Client(f"http://127.0.0.1:{port}/", verbose=False)
        api = c.view_api(return_format="dict", print_info=False)["named_endpoints"]
        assert {"/plan", "/render_all"} <= set(api)
        state, table, reasoning, status = c.predict(STORM, 15, "rules", api_name="/plan")
        assert table["data"] and "planned" in status
        out = c.predict(state, table, -16, -1, api_name="/render_all")
        mix_path = out[1]
        a, sr = sf.read(mix_path)
        assert a.shape == (15 * 44100, 2) and np.abs(a).max() > 0.01
        with pytest.raises(Exception, match="story"):
            c.predict("", 15, "rules", api_name="/plan")
    finally:
        demo.close()
