"""Issue 9, the command line under bad input: every case exits with code 2 and exactly
one stderr line starting with ``error:``, no traceback, nothing written, and no
content of a file it was pointed at echoed back. Most cases run ``engine.__main__.main``
in process (fast); a handful run the real ``python -m engine`` to prove the same from
the outside. Exports never replace an earlier one unless ``--overwrite``."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import engine
from engine.__main__ import MAX_CAPTION_FILE_BYTES, main
from tests.conftest import ROOT, project

APP_SOURCE = (ROOT / "app.py").resolve()
ENGINE_INIT = (ROOT / "engine" / "__init__.py").resolve()


def _cases(tmp: Path) -> dict[str, tuple[list[str], str]]:
    """name -> (argv, text the one error line must contain). Files the cases need are
    created in ``tmp``; ``tmp/out`` must never be created."""
    good = tmp / "good.json"
    good.write_text(json.dumps(project()))
    (tmp / "big.txt").write_bytes(b"rain\n" * (MAX_CAPTION_FILE_BYTES // 5 + 1))
    (tmp / "binary.txt").write_bytes(b"\xff\xfe\x00rain")
    (tmp / "afile").write_text("x")
    (tmp / "deep.json").write_text("[" * 200_000)
    (tmp / "huge.json").write_bytes(b" " * 5_000_001)
    (tmp / "events.json").write_text(json.dumps(project(events=[
        {"id": f"e{i}", "caption": "rain", "start_s": 0, "duration_s": 1, "track": "fx"} for i in range(501)])))
    (tmp / "long.json").write_text(json.dumps(project(duration_s=3601)))
    (tmp / "pathid.json").write_text(json.dumps(project(events=[
        {"id": "../../etc/passwd", "caption": "rain", "start_s": 0, "duration_s": 1, "track": "fx"}])))
    (tmp / "control.json").write_text(json.dumps(project(events=[
        {"id": "e1", "caption": "rain\x1b[2J\x00", "start_s": 0, "duration_s": 1, "track": "fx"}])))
    (tmp / "nantrack.json").write_text(json.dumps(project())
                                       .replace('"duration_s": 3.0', '"duration_s": NaN'))
    out = str(tmp / "out")
    mk = ["make", "rain on a roof", "-o", out]
    return {
        # durations: NaN, infinities, negative, zero, not a number, overflow, underflow, absurdly long
        "nan": (["plan", "rain", "--duration", "nan"], "--duration"),
        "NaN upper": (["plan", "rain", "--duration", "NaN"], "--duration"),
        "inf": (["plan", "rain", "--duration", "inf"], "--duration"),
        "-inf": (["plan", "rain", "--duration", "-inf"], "--duration"),
        "overflow": (["plan", "rain", "--duration", "1e400"], "--duration"),
        "underflow": (["plan", "rain", "--duration", "1e-400"], "--duration"),
        "negative": (["plan", "rain", "--duration", "-5"], "--duration"),
        "zero": (["plan", "rain", "--duration", "0"], "--duration"),
        "words": (["plan", "rain", "--duration", "ten"], "--duration"),
        "empty": (["plan", "rain", "--duration", ""], "--duration"),
        "an hour and more": (["plan", "rain", "--duration", "3600.5"], "duration_s"),
        "make nan": ([*mk, "--duration", "nan"], "--duration"),
        # stories: empty, huge; control characters in a caption
        "empty story": (["plan", "", "--duration", "10"], "story"),
        "huge story": (["plan", "rain " * 25_000, "--duration", "10"], "story"),
        "control caption": (["render", str(tmp / "control.json"), "-o", out], "events[0].caption"),
        "huge make": ([*mk[:1], "a storm " * 10_000, "-o", out, "--duration", "10"], "story"),
        # numbers of the mix
        "loudness nan": ([*mk, "--duration", "5", "--loudness", "nan"], "--loudness"),
        "ceiling inf": ([*mk, "--duration", "5", "--ceiling", "inf"], "--ceiling"),
        "ceiling positive": ([*mk, "--duration", "5", "--ceiling", "3"], "--ceiling"),
        "timeout nan": (["plan", "rain", "--duration", "5", "--planner", "openai", "--timeout", "nan"], "--timeout"),
        # missing, odd and hostile files
        "missing project": (["render", str(tmp / "nope.json"), "-o", out], "no such file"),
        "project is a folder": (["render", str(tmp), "-o", out], "no such file"),
        "etc passwd": (["render", "/etc/passwd", "-o", out], "project"),
        "relative etc passwd": (["render", "../../../../../../../etc/passwd", "-o", out], "project"),
        "app source": (["render", str(APP_SOURCE), "-o", out], "project"),
        "engine source": (["render", str(ENGINE_INIT), "-o", out], "project"),
        "dev null": (["render", "/dev/null", "-o", out], "project"),
        "deep nesting": (["render", str(tmp / "deep.json"), "-o", out], "project"),
        "huge project": (["render", str(tmp / "huge.json"), "-o", out], "too large"),
        "501 events": (["render", str(tmp / "events.json"), "-o", out], "events"),
        "3601 s": (["render", str(tmp / "long.json"), "-o", out], "duration_s"),
        "path-like id": (["render", str(tmp / "pathid.json"), "-o", out], "events[0].id"),
        "NaN duration in project": (["render", str(tmp / "nantrack.json"), "-o", out], "duration_s"),
        "out is a file": (["render", str(good), "-o", str(tmp / "afile")], "not a folder"),
        "out under a file": (["render", str(good), "-o", str(tmp / "afile" / "sub")], "not a folder"),
        # path-like names where a name is expected
        "renderer path": (["render", str(good), "-o", out, "--renderer", "../../etc/passwd"], "unknown renderer"),
        "renderer abs path": (["render", str(good), "-o", out, "--renderer", str(APP_SOURCE)], "unknown renderer"),
        "planner path": (["plan", "rain", "--duration", "5", "--planner", "/etc/passwd"], "unknown planner"),
        "format path": (["render", str(good), "-o", out, "--format", "../wav"], "--format"),
        # match --file
        "captions missing": (["match", "--file", str(tmp / "nope.txt")], "--file: no such file: nope.txt"),
        "captions folder": (["match", "--file", str(tmp)], "--file: no such file"),
        "captions huge": (["match", "--file", str(tmp / "big.txt")], "too large"),
        "captions binary": (["match", "--file", str(tmp / "binary.txt")], "not UTF-8"),
        "captions dev zero": (["match", "--file", "/dev/zero"], "--file"),
        # plan -o to somewhere it cannot write
        "plan into a file's child": (["plan", "rain", "--duration", "5", "-o", str(tmp / "afile" / "x.json")],
                                     "cannot write"),
        "plan onto a folder": (["plan", "rain", "--duration", "5", "-o", str(tmp)], "cannot write"),
        # argparse's own errors
        "unknown flag": (["plan", "rain", "--duration", "5", "--bogus"], "unrecognized"),
        "no command": ([], "required"),
    }


def _names():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        return sorted(_cases(Path(d)))


SECRETS = ("root:x:0:0", "os.environ.setdefault", "__version__ = ")  # /etc/passwd, app.py, engine/__init__.py


@pytest.mark.parametrize("name", _names())
def test_bad_cli_input_exits_2_with_one_error_line(name, tmp_path, capfd, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv, needle = _cases(tmp_path)[name]
    before = sorted(p.name for p in tmp_path.iterdir())
    code = main(argv)
    out, err = capfd.readouterr()
    lines = err.splitlines()
    assert code == 2, (code, err[-300:])
    assert len(lines) == 1 and lines[0].startswith("error: "), err[-500:]
    assert needle in lines[0], lines[0]
    assert "Traceback" not in err and out == ""
    assert not any(s in err for s in SECRETS)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


@pytest.mark.parametrize("name", ["nan", "huge story", "etc passwd", "relative etc passwd", "captions binary",
                                  "renderer path", "no command"])
def test_the_real_command_line_agrees(name, tmp_path):
    argv, needle = _cases(tmp_path)[name]
    r = subprocess.run([sys.executable, "-m", "engine", *argv], capture_output=True, text=True, cwd=tmp_path,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    lines = r.stderr.splitlines()
    assert r.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], r.stderr
    assert "Traceback" not in r.stderr and r.stdout == "" and not (tmp_path / "out").exists()


# -- exports never overwrite silently: --overwrite --------------------------------------------
@pytest.fixture
def flat_renderer(monkeypatch):
    """A registered renderer that needs no model: constant audio (fast, deterministic)."""
    from engine.rendering import RENDERERS, Take

    class Flat:
        name, model = "flat", "v1"

        def residual(self, tl):
            return engine.Residual(sample_rate=tl.sample_rate)

        def render(self, ev, res):
            n = round(ev.duration_s * res.sample_rate)
            return Take(ev.id, np.full((2, n), 0.1, np.float32), res.sample_rate, {"backend": "flat"})

    monkeypatch.setitem(RENDERERS, "flat", lambda **kw: Flat())
    return "flat"


def test_render_refuses_an_earlier_export_unless_overwrite(tmp_path, capfd, flat_renderer):
    tl = tmp_path / "tl.json"
    tl.write_text(json.dumps(project()))
    out = tmp_path / "out"
    assert main(["render", str(tl), "-o", str(out), "--renderer", flat_renderer]) == 0
    capfd.readouterr()
    snapshot = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    for fmt in ("wav", "flac"):
        assert main(["render", str(tl), "-o", str(out), "--renderer", flat_renderer, "--format", fmt]) == 2
        err = capfd.readouterr().err.splitlines()
        assert len(err) == 1 and err[0].startswith("error: out_dir: ") and "already exists" in err[0]
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == snapshot  # untouched
    assert main(["render", str(tl), "-o", str(out), "--renderer", flat_renderer, "--overwrite"]) == 0
    summary = json.loads(capfd.readouterr().out.strip().splitlines()[-1])
    assert summary["out"] == str(out) and engine.load_project(out / "project.json").events


def test_make_refuses_an_earlier_export_before_rendering(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "bundle.zip").write_bytes(b"an earlier export")
    r = subprocess.run([sys.executable, "-m", "engine", "make", "rain on a roof", "--duration", "5", "-o", str(out)],
                       capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert r.returncode == 2 and r.stderr.splitlines() == [
        "error: out_dir: bundle.zip already exists there (choose another folder or overwrite)"]
    assert (out / "bundle.zip").read_bytes() == b"an earlier export" and sorted(os.listdir(out)) == ["bundle.zip"]


def test_a_closed_stdout_is_not_an_error(tmp_path):
    """``python -m engine plan ... | head -c 10``: exit 0, no 'error:' and no traceback."""
    story = " ".join(["Thunder cracks. A dog barks. The door creaks. A clock ticks."] * 60)  # > 64 KB of JSON
    p = subprocess.Popen([sys.executable, "-m", "engine", "plan", story, "--duration", "3600"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                         cwd=tmp_path)
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0 and "error" not in err and "Traceback" not in err


@pytest.mark.parametrize("args,needle", [
    (["--renderer-model", "x"], "--renderer-model applies to the model renderers"),
    (["--renderer", "diffusers", "--renderer-model", "/nonexistent/model"], "error:"),
    (["--renderer", "audiostory", "--renderer-model", "/nonexistent/model"], "does not exist"),
])
def test_a_renderer_model_that_cannot_be_used_is_one_line_exit_2(args, needle, tmp_path, capfd):
    from engine.__main__ import main as cli
    code = cli(["make", "Rain falls.", "--duration", "2", "-o", str(tmp_path / "out"), *args])
    err = capfd.readouterr().err.strip()
    assert code == 2 and needle in err and err.count("\n") == 0, err
