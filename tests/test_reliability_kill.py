"""Issue 9, nothing lost: autosave is atomic (temp file in the same folder, fsync,
rename, folder fsync), and a real studio render killed with SIGKILL half-way loses
no finished take, leaves no partial file under a take's name, the autosaved project
reopens intact, and rendering again renders only what was missing."""
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import engine
from engine import project_io
from engine.takes import TakeStore
from engine.timeline import Timeline
from tests.conftest import ROOT, project

CAPTIONS = ["heavy rain on a tin roof", "a door creaks open", "a dog barks twice", "thunder rumbles far away",
            "footsteps on a wooden floor", "a clock ticks", "an owl hoots", "wind howls through trees",
            "a kettle whistles", "church bells toll", "a car passes by", "waves break on the shore"]
N_EVENTS = 24
KILL_AFTER = 8  # finished takes before the kill


def _big_project() -> dict:
    events = []
    for i in range(N_EVENTS):
        amb = i % 4 == 0
        events.append({"id": f"e{i + 1}", "caption": CAPTIONS[i % len(CAPTIONS)] + ("" if i < 12 else " again"),
                       "start_s": float(i * 2), "duration_s": 12.0 if amb else 3.0,
                       "track": "ambience" if amb else "fx", "seed": 100 + i})
    return project(duration_s=60.0, sample_rate=44100, events=events, story="a long night")


CHILD = r"""
import json, sys
from studio import handlers as H, state as S
st = json.loads(open(sys.argv[1]).read())
def progress(frac, msg):
    print("P " + msg, flush=True)
st2, rows, status = H.render_all(st, None, "procedural", progress=progress)
print("STATUS " + status, flush=True)
print("NAME " + S.name_of(S.load(st2)), flush=True)
"""


def _child(home: Path, state_file: Path) -> subprocess.Popen:
    env = dict(os.environ, STORY_AUDIO_HOME=str(home), PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-c", CHILD, str(state_file)], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


TAKE_FILE = re.compile(r"^t[0-9a-f]+\.(npy|json)$")


def test_sigkill_mid_render_loses_no_finished_take(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("STORY_AUDIO_HOME", str(home))
    from studio import state as S
    tl = S.fresh(Timeline.from_json(_big_project()))
    name = S.name_of(tl)
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(S.commit(tl)))  # autosaved once, as a planned project is

    # 1. a real render in another process, SIGKILLed while it renders event KILL_AFTER + 1
    proc = _child(home, state_file)
    seen = []
    try:
        deadline = time.monotonic() + 120
        for line in proc.stdout:
            seen.append(line.rstrip())
            if line.startswith(f"P rendering e{KILL_AFTER + 1} "):
                proc.send_signal(signal.SIGKILL)
                break
            assert time.monotonic() < deadline, seen[-5:]
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, seen[-10:]
    assert not any(l.startswith("STATUS") for l in seen), "the render finished before the kill"

    # 2. the store: every file under a take's name is whole; temp files are hidden, never a take
    store = TakeStore(home / "takes")
    names = [p.name for p in store.root.iterdir() if p.is_file()]
    visible = [n for n in names if not n.startswith(".")]
    assert all(TAKE_FILE.match(n) for n in visible), visible
    assert all(n.endswith(".tmp") for n in names if n.startswith("."))
    for n in visible:
        tid = n.rsplit(".", 1)[0]
        if n.endswith(".json"):  # the commit mark: its audio is complete and loads bit-exactly
            assert store.intact(tid), n
            take = store.get(tid)
            assert take.audio.dtype == np.float32 and take.audio.shape[0] == 2
        else:  # audio without metadata (killed between the two writes) is not a take, but whole
            assert np.load(store.root / n, allow_pickle=False).dtype == np.float32
    taken = {n[:-5] for n in visible if n.endswith(".json")}
    assert KILL_AFTER <= len(taken) < N_EVENTS, (len(taken), seen[-3:])

    # 3. the autosaved project reopens, valid, with every finished take it recorded
    reopened = S.open_recent(name)
    assert [e.id for e in reopened.events] == [e.id for e in tl.events]
    chosen = {e.id: e.take for e in reopened.events if e.take}
    assert len(chosen) >= KILL_AFTER and set(chosen.values()) <= taken
    for eid, tid in chosen.items():
        assert store.get(tid).provenance["caption"] == reopened.event(eid).caption
    assert not [p for p in (home / "projects").iterdir() if not p.name.startswith(".")
                and not re.match(r"^p-[0-9a-f]{16}\.json$", p.name)]

    # 4. rendering the reopened project again renders only the missing events
    state_file.write_text(json.dumps(reopened.to_dict()))
    proc = _child(home, state_file)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out[-2000:]
    status = next(l for l in out.splitlines() if l.startswith("STATUS "))
    rendered, reused = map(int, re.search(r"rendered (\d+), reused (\d+)", status).groups())
    assert reused == len(taken) and rendered == N_EVENTS - len(taken), status
    rendering = [l for l in out.splitlines() if l.startswith("P rendering ")]
    assert len(rendering) == rendered  # the progress shows only the missing ones
    final = S.open_recent(name)
    assert all(e.take and store.intact(e.take) for e in final.events)
    assert all(final.event(eid).take == tid for eid, tid in chosen.items())  # finished takes kept as they were


# -- autosave is atomic -------------------------------------------------------------------
def test_autosave_writes_temp_fsyncs_and_renames(tmp_path, monkeypatch):
    """The call sequence of studio.state.commit: write a hidden temp file in the same
    folder, fsync it, os.replace onto the name, fsync the folder."""
    monkeypatch.setenv("STORY_AUDIO_HOME", str(tmp_path))
    from studio import state as S
    calls = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        calls.append(("fsync", Path(os.readlink(f"/proc/self/fd/{fd}")).name))
        return real_fsync(fd)

    def replace(src, dst):
        calls.append(("replace", Path(src).name, Path(dst).name, Path(src).parent == Path(dst).parent))
        return real_replace(src, dst)

    monkeypatch.setattr(project_io.os, "fsync", fsync)
    monkeypatch.setattr(project_io.os, "replace", replace)
    tl = S.fresh(Timeline.from_json(project()))
    S.commit(tl)
    target = f"{S.name_of(tl)}.json"
    assert [c[0] for c in calls] == ["fsync", "replace", "fsync"], calls
    tmp_name = calls[0][1]
    assert tmp_name.startswith(f".{target}.") and tmp_name.endswith(".tmp")
    assert calls[1] == ("replace", tmp_name, target, True)
    assert calls[2] == ("fsync", "projects")  # the folder: the rename itself is durable
    assert sorted(p.name for p in (tmp_path / "projects").iterdir()) == [target]


def test_a_failed_autosave_keeps_the_previous_version(tmp_path, monkeypatch):
    monkeypatch.setenv("STORY_AUDIO_HOME", str(tmp_path))
    from studio import state as S
    tl = S.fresh(Timeline.from_json(project()))
    S.commit(tl)
    path = tmp_path / "projects" / f"{S.name_of(tl)}.json"
    before = path.read_bytes()

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project_io.os, "replace", full_disk)
    with pytest.raises(OSError):
        S.commit(tl.replace(story="a different story"))
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # the temp file is gone


SAVER = r"""
import sys
from engine.project_io import save_project
from engine.timeline import Timeline
from tests.conftest import project
path = sys.argv[1]
small = Timeline.from_json(project(story="small"))
big = Timeline.from_json(project(story="big " * 4000, events=[
    {"id": f"e{i}", "caption": "rain on a roof", "start_s": 0, "duration_s": 1, "track": "fx"} for i in range(400)]))
print("go", flush=True)
i = 0
while True:
    save_project(big if i % 2 else small, path)
    i += 1
"""


@pytest.mark.parametrize("delay_s", [0.05, 0.2, 0.5])
def test_sigkill_during_autosaves_leaves_a_whole_project(tmp_path, delay_s):
    """A process saving the same project over and over (small, big, small, ...) is
    killed at an arbitrary moment: the file is always one whole version."""
    path = tmp_path / "p.json"
    proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.stdout.readline().strip() == "go"
    while not path.exists():
        time.sleep(0.005)
    time.sleep(delay_s)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    tl = engine.load_project(path)
    assert tl.story == "small" or (tl.story.startswith("big") and len(tl.events) == 400)
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == ["p.json"]
