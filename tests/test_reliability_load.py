"""Issue 9, under load: a smaller run of ``python -m studio.loadtest`` (4 concurrent
gradio_client sessions, short stories) against the studio started as app.py starts it.
Each session gets its own results, nothing errors, the queue never runs more renders
at once than RENDER_SLOTS, a long render is cancelled part-way keeping its finished
takes, and /plan is answered while renders run."""
import threading

import pytest

from studio.layout import RENDER_SLOTS
from studio.services import Services


def test_render_gauge_counts_running_renders_and_the_peak():
    s = Services()
    inside, release = threading.Barrier(4), threading.Event()

    def render():
        with s.rendering():
            inside.wait(timeout=10)
            release.wait(timeout=10)

    threads = [threading.Thread(target=render) for _ in range(3)]
    for t in threads:
        t.start()
    inside.wait(timeout=10)
    assert s.render_stats() == {"running": 3, "peak": 3, "renders": 3}
    release.set()
    for t in threads:
        t.join(timeout=10)
    assert s.render_stats() == {"running": 0, "peak": 3, "renders": 3}
    with pytest.raises(RuntimeError):  # a failing render is counted out too
        with s.rendering():
            raise RuntimeError("boom")
    assert s.render_stats()["running"] == 0


def test_four_concurrent_sessions(tmp_path):
    from studio.loadtest import run
    f = run(sessions=4, duration=8.0, home=tmp_path)
    details = f.pop("details")
    assert f["errors"] == 0, details
    assert f["bleed_problems"] == 0, details
    assert f["render_slots"] == RENDER_SLOTS
    assert 1 <= f["max_concurrent_renders"] <= RENDER_SLOTS, f
    assert f["max_running_seen_by_poller"] <= RENDER_SLOTS
    assert f["renders"] >= 4 + 1  # every session rendered, and the cancelled one
    assert f["cancel_ok"], details
    assert f["plan_probes_during_renders"] >= 1
    assert f["responsive_latency_s"] < 10.0, f  # generous: a busy 2-core machine
    assert f["cancel_to_stop_s"] < 30.0, f
    assert f["ok"]
