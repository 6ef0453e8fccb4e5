"""The command line as a user meets it: one real end-to-end make, and one-line exit-2 errors."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

import engine
from tests.conftest import ROOT, STORM


def run(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "engine", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=300)


def test_make_writes_exact_mix_stems_and_project(tmp_path):
    out = tmp_path / "OUT"
    r = run("make", STORM, "--duration", "30", "-o", str(out))
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    info = sf.info(str(out / "mix.wav"))
    assert info.frames == 30 * 44100 == summary["frames"] and info.samplerate == 44100 and info.channels == 2
    tl = engine.load_project(out / "project.json")
    assert len(tl.events) >= 4
    stems = sorted(p.name for p in (out / "stems").iterdir())
    assert stems == sorted(f"{e.id}.wav" for e in tl.events)
    for e in tl.events:
        a, sr = sf.read(str(out / "stems" / f"{e.id}.wav"), always_2d=True)
        assert a.shape[0] == 30 * 44100
        s0, s1 = round(e.start_s * sr), round(e.end_s * sr)
        assert np.abs(a[:s0]).max(initial=0) == 0 and np.abs(a[s1:]).max(initial=0) == 0
        assert np.abs(a[s0:s1]).max() > 0
    mix, _ = sf.read(str(out / "mix.wav"))
    assert abs(summary["lufs"] - (-16.0)) < 0.6 and summary["true_peak_db"] <= -1.0 + 1e-3
    assert "takes" in tl.provenance and all(t["backend"] == "procedural" for t in tl.provenance["takes"].values())


def test_plan_to_stdout_and_render_round_trip(tmp_path):
    r = run("plan", "Waves break on the shore, then a gull cries.", "--duration", "12")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["duration_s"] == 12 and doc["events"]
    p = tmp_path / "tl.json"
    p.write_text(r.stdout)
    r2 = run("render", str(p), "-o", str(tmp_path / "o"))
    assert r2.returncode == 0, r2.stderr
    assert sf.info(str(tmp_path / "o" / "mix.wav")).frames == 12 * 44100


@pytest.mark.parametrize("args,needle", [
    (["plan", "", "--duration", "10"], "story"),
    (["plan", "   ", "--duration", "10"], "story"),
    (["plan", "rain", "--duration", "-3"], "duration"),
    (["plan", "rain", "--duration", "abc"], "duration"),
    (["plan", "rain", "--duration", "nan"], "duration"),
    (["plan", "rain", "--duration", "inf"], "duration"),
    (["plan", "rain", "--duration", "99999"], "duration_s"),
    (["plan", "rain"], "duration"),
    (["make", "rain", "--duration", "5", "-o", "x", "--renderer", "nope"], "renderer"),
    (["render", "does-not-exist.json", "-o", "x"], "no such file"),
    (["match"], "match"),
    (["make", "rain", "--duration", "5", "-o", "x", "--loudness", "5"], "--loudness"),
    (["make", "rain", "--duration", "5", "-o", "x", "--loudness", "abc"], "--loudness"),
    (["make", "rain", "--duration", "5", "-o", "x", "--format", "aiff"], "--format"),
    (["make", "rain", "--duration", "5", "-o", "x", "--preset", "loud"], "--preset"),
    (["frobnicate"], "invalid choice"),
    (["plan", "rain", "--duration", "5", "--model", "m"], "--planner transformers|openai"),
    (["plan", "rain", "--duration", "5", "--planner", "openai", "--timeout", "-1"], "--timeout"),
    (["plan", "rain", "--duration", "5", "--planner", "gpt"], "unknown planner"),
])
def test_bad_arguments_exit_2_with_one_line(args, needle, tmp_path):
    r = run(*args, cwd=tmp_path) if args[0] == "render" else run(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0]
    assert "Traceback" not in r.stderr


def test_llm_planner_options_reach_the_planner_and_fallback_is_reported():
    """An unreachable OpenAI-compatible server: the CLI still plans (rules fallback) and
    says why on stderr, naming the URL it was given."""
    import socket
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = run("plan", "a dog barks in the yard", "--duration", "10", "--planner", "openai",
            "--base-url", f"http://127.0.0.1:{port}/v1", "--model", "tiny", "--timeout", "5")
    assert r.returncode == 0, r.stderr
    tl = engine.Timeline.from_json(r.stdout)
    assert tl.events and any("rules" in w for w in tl.warnings)
    assert f"127.0.0.1:{port}" in r.stderr and r.stderr.startswith("warning: ")


@pytest.mark.parametrize("content,needle", [
    ('{"version": 1, "duration_s": NaN}', "duration_s"),
    ('{"version": 1, "duration_s": 10, "events": [{"id": "a", "caption": "rain", "start_s": -2, "duration_s": 1}]}',
     "events[0].start_s"),
    ('{"version": 1, "duration_s": 10, "events": [{"id": "a", "caption": "rain", "start_s": 0, "duration_s": 1, "gain_db": NaN}]}',
     "events[0].gain_db"),
    ('{"version": 1, "duration_s": 10, "events": [{"id": "a", "cap', "not valid JSON"),
    ("", "not valid JSON"),
    ("\xff\xfe garbage", "project"),
    ('{"version": 1, "duration_s": 10, "events": [{"id": "a", "caption": "rain", "start_s": 0, "duration_s": 1, "recipe": "banjo"}]}',
     "events[0].recipe"),
])
def test_bad_project_files_exit_2_with_one_line(tmp_path, content, needle):
    p = tmp_path / "bad.json"
    p.write_bytes(content.encode("latin-1"))
    r = run("render", str(p), "-o", str(tmp_path / "o"))
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in r.stderr
    assert not (tmp_path / "o").exists()


def test_match_lines_and_list(tmp_path):
    r = run("match", "heavy rain on a tin roof", "a dog barks twice")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(l) for l in r.stdout.strip().splitlines()]
    assert [x["recipe"] for x in rows] == ["rain", "dog_bark"]
    assert rows[1]["params"]["count"] == 2
    f = tmp_path / "caps.txt"
    f.write_text("church bells toll twelve times\n\nthe kettle whistles\n")
    r = run("match", "--file", str(f))
    rows = [json.loads(l) for l in r.stdout.strip().splitlines()]
    assert [x["recipe"] for x in rows] == ["church_bell", "kettle_whistle"] and rows[0]["params"]["count"] == 12
    r = run("match", "--list")
    ids = [l.split("\t")[0] for l in r.stdout.strip().splitlines()]
    assert len(ids) >= 54 and "music_pad" in ids
