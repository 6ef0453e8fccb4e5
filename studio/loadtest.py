"""Load test: ``python -m studio.loadtest --sessions 8``.

Starts the studio as ``python app.py`` does (its queue, its render slots) on a free
port with a throw-away data folder, then:

1. runs N concurrent ``gradio_client`` sessions, each planning a different story,
   rendering it (procedural renderer) and mixing it, while a prober times ``/plan``
   calls and polls ``/render_stats`` (renders running at once);
2. checks every session got its own results: its story and captions in its state, a
   project name of its own, takes whose provenance caption is its event's caption,
   a mix of its own length (no state bleed between sessions);
3. starts one long render, times a ``/plan`` while it runs, cancels it, and checks
   it stopped part-way and kept its finished takes.

Prints one JSON line: sessions, wall_s, errors, max_concurrent_renders,
render_slots, cancel_ok, responsive_latency_s and a few more figures. Exit code 0
when every check passed. Progress goes to stderr."""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STORIES = [
    "Rain drums on a tin roof while thunder rumbles far away. A dog barks twice in the yard.",
    "Waves break on a pebble beach and seagulls cry overhead. A ship horn sounds in the distance.",
    "A busy cafe hums with chatter. Cups clatter on saucers and an espresso machine hisses.",
    "Wind howls through a dark forest at night. An owl hoots and a branch snaps underfoot.",
    "A steam train pulls into the station, its whistle blowing. Footsteps hurry along the platform.",
    "Church bells toll over a quiet village square. Pigeons flutter up from the cobblestones.",
    "A campfire crackles under the stars. Crickets chirp and a wolf howls on the hill.",
    "A kettle whistles in a small kitchen. The clock ticks and a door creaks open slowly.",
    "A thunderstorm breaks over the city. Cars hiss past on wet streets and a siren wails.",
    "Horses gallop across an open field. A blacksmith hammers on an anvil nearby.",
    "A heavy door slams in an old castle. Chains rattle and footsteps echo down the hall.",
    "Birds sing at dawn in a meadow. A stream babbles over stones and bees buzz.",
]
CANCEL_EVENTS = 60


def log(msg: str) -> None:
    print(f"[loadtest] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Studio:
    """``python app.py`` in a subprocess with its own data folder."""

    def __init__(self, home: Path, warm: bool = True) -> None:
        self.home, self.port = home, free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ, STORY_AUDIO_HOME=str(home), GRADIO_SERVER_PORT=str(self.port),
                   GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1")
        env.pop("GRADIO_SERVER_NAME", None)
        self.log_path = home / "server.log"
        self._log = open(self.log_path, "w")
        args = [sys.executable, str(ROOT / "app.py")] + ([] if warm else ["--no-warmup"])
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self.warm = warm

    def wait(self, timeout: float = 180.0) -> float:
        """Seconds until it listens (and, when warming, has loaded the renderer)."""
        t0 = time.monotonic()
        need = ["studio listening on"] + (["studio warm"] if self.warm else [])
        while not all(n in self.log_path.read_text() for n in need):
            if self.proc.poll() is not None:
                raise RuntimeError("the studio exited: " + self.log_path.read_text()[-1500:])
            if time.monotonic() - t0 > timeout:
                raise RuntimeError("the studio did not start in time: " + self.log_path.read_text()[-1500:])
            time.sleep(0.1)
        return time.monotonic() - t0

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=20)
        self._log.close()


def client_for(url: str):
    from gradio_client import Client
    return Client(url, verbose=False)


def _counts(status: str) -> tuple[int, int]:
    m = re.search(r"rendered (\d+), reused (\d+)", status)
    return (int(m.group(1)), int(m.group(2))) if m else (-1, -1)


def run_session(url: str, home: Path, i: int, story: str, duration: float) -> dict:
    """Plan, render and mix one story in a session of its own; check the results are its own."""
    from engine.takes import TakeStore
    out: dict = {"session": i, "errors": [], "problems": []}
    t0 = time.monotonic()
    try:
        c = client_for(url)
        state, table, _, status = c.predict(story, duration, "rules", "", "", "", api_name="/plan")
        captions = [e["caption"] for e in state["events"]]
        out["events"] = len(captions)
        state, table, status = c.predict(state, table, "procedural", api_name="/render_all")
        out["render_status"] = status
        rendered, reused = _counts(status)
        if rendered + reused != len(captions):
            out["problems"].append(f"render status does not cover every event: {status}")
        state, mix, status = c.predict(state, 0.0, True, -16, -1, api_name="/mix")
        out["mix_status"] = status
        # its own results: story, captions, a project name of its own, takes of its own captions
        if state["story"] != story.strip():
            out["problems"].append("the state's story is not this session's")
        if [e["caption"] for e in state["events"]] != captions:
            out["problems"].append("the state's captions are not the planned ones")
        out["name"] = state["provenance"]["studio"]["name"]
        store = TakeStore(home / "takes")
        for e in state["events"]:
            if not e["take"] or store.meta(e["take"])["provenance"].get("caption") != e["caption"]:
                out["problems"].append(f"{e['id']}: its take is not a render of its caption")
        saved = json.loads((home / "projects" / f"{out['name']}.json").read_text())
        if saved["story"] != story.strip() or [e["take"] for e in saved["events"]] != [e["take"] for e in state["events"]]:
            out["problems"].append("the autosaved project differs from the session's state")
        import soundfile as sf
        info = sf.info(mix)
        if abs(info.frames / info.samplerate - duration) > 0.01:
            out["problems"].append(f"mix is {info.frames / info.samplerate:.2f} s, not {duration:g} s")
        out["mix_sha"] = hashlib.sha256(Path(mix).read_bytes()).hexdigest()[:16]
        out["takes"] = sorted(e["take"] for e in state["events"])
    except Exception as e:  # noqa: BLE001 - counted and reported, the run goes on
        out["errors"].append(f"{type(e).__name__}: {str(e)[:200]}")
    out["seconds"] = round(time.monotonic() - t0, 2)
    return out


def _cancel_project(path: Path) -> None:
    from engine.timeline import Timeline
    kinds = ["a dog barks", "a door knocks", "glass breaks", "a bell rings", "footsteps on gravel", "a twig snaps"]
    events = [{"id": f"e{i + 1}", "caption": f"{kinds[i % len(kinds)]}", "start_s": float(i), "duration_s": 2.0,
               "track": "fx", "seed": 1000 + i} for i in range(CANCEL_EVENTS)]
    tl = Timeline.from_json({"version": 1, "story": "a long list of sounds", "duration_s": CANCEL_EVENTS + 2.0,
                             "sample_rate": 44100, "events": events})
    path.write_text(tl.to_json())


def cancel_check(url: str, home: Path) -> dict:
    """A long render: time a /plan while it runs, cancel it, check it stopped part-way."""
    from gradio_client import handle_file
    out: dict = {"cancel_ok": False}
    c = client_for(url)
    proj = home / "cancel-project.json"
    _cancel_project(proj)
    state, table, *_ = c.predict(handle_file(str(proj)), api_name="/load_project")
    probe = client_for(url)
    job = c.submit(state, table, "procedural", api_name="/render_all")
    t0 = time.monotonic()
    while probe.predict(api_name="/render_stats")["running"] < 1:  # wait until it is rendering
        if time.monotonic() - t0 > 60 or job.done():
            out["cancel_error"] = "the render never started (or ended at once)"
            return out
        time.sleep(0.05)
    t = time.monotonic()
    probe.predict("A bell rings once.", 5, "rules", "", "", "", api_name="/plan")
    out["plan_latency_during_render_s"] = round(time.monotonic() - t, 3)
    t = time.monotonic()
    c.predict(state, api_name="/cancel")
    st, _, status = job.result(timeout=300)
    out["cancel_to_stop_s"] = round(time.monotonic() - t, 3)
    out["cancel_status"] = status
    kept = sum(1 for e in st["events"] if e["take"])
    m = re.match(r"cancelled — kept (\d+) of (\d+)", status)
    out["cancel_kept"] = kept
    saved = json.loads((home / "projects" / f"{st['provenance']['studio']['name']}.json").read_text())
    out["cancel_ok"] = bool(m) and int(m.group(1)) == kept < CANCEL_EVENTS and \
        sum(1 for e in saved["events"] if e["take"]) == kept
    return out


def run(sessions: int = 8, duration: float = 20.0, home: Path | None = None, warm: bool = True) -> dict:
    """The whole test; returns the figures (and ``ok``)."""
    tmp = None
    if home is None:
        tmp = tempfile.TemporaryDirectory(prefix="studio-load-")
        home = Path(tmp.name)
    studio = Studio(home, warm=warm)
    try:
        startup = studio.wait()
        log(f"studio up on {studio.url} after {startup:.1f} s")
        prober = client_for(studio.url)
        stop = threading.Event()
        seen = {"max_running": 0, "plan_latencies": []}

        def probe() -> None:
            n = 0
            while not stop.is_set():
                stats = prober.predict(api_name="/render_stats")
                seen["max_running"] = max(seen["max_running"], stats["running"])
                if stats["running"] and n % 5 == 0:  # a /plan while renders run
                    t = time.monotonic()
                    prober.predict("A bell rings once.", 5, "rules", "", "", "", api_name="/plan")
                    seen["plan_latencies"].append(time.monotonic() - t)
                n += 1
                stop.wait(0.1)

        th = threading.Thread(target=probe, daemon=True)
        th.start()
        stories = [STORIES[i % len(STORIES)] + ("" if i < len(STORIES) else f" Scene {i + 1}.") for i in range(sessions)]
        t0 = time.monotonic()
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            results = list(pool.map(lambda a: run_session(studio.url, home, *a, duration), enumerate(stories)))
        wall = time.monotonic() - t0
        stop.set()
        th.join(timeout=30)
        stats = prober.predict(api_name="/render_stats")
        log(f"{sessions} sessions in {wall:.1f} s; render stats {stats}")
        cancel = cancel_check(studio.url, home)
        log(f"cancel: {cancel}")
        stats = prober.predict(api_name="/render_stats")  # the cancelled render counted too
    finally:
        studio.close()
        if tmp is not None:
            tmp.cleanup()

    errors = sum(len(r["errors"]) for r in results)
    problems = [f"session {r['session']}: {p}" for r in results for p in r["problems"]]
    names = [r.get("name") for r in results if r.get("name")]
    if len(set(names)) != len(names):
        problems.append("two sessions share a project name")
    shas = [r.get("mix_sha") for r in results if r.get("mix_sha")]
    if len(set(shas)) != len(shas):
        problems.append("two sessions got the same mix")
    takes = [t for r in results for t in r.get("takes", [])]
    latencies = seen["plan_latencies"] + ([cancel["plan_latency_during_render_s"]]
                                          if "plan_latency_during_render_s" in cancel else [])
    figures = {
        "sessions": sessions, "wall_s": round(wall, 2), "errors": errors, "bleed_problems": len(problems),
        "events": sum(r.get("events", 0) for r in results), "distinct_takes": len(set(takes)),
        "max_concurrent_renders": stats["peak"], "max_running_seen_by_poller": seen["max_running"],
        "render_slots": stats["slots"], "renders": stats["renders"],
        "cancel_ok": cancel["cancel_ok"], "cancel_kept": cancel.get("cancel_kept"),
        "cancel_to_stop_s": cancel.get("cancel_to_stop_s"),
        "responsive_latency_s": round(max(latencies), 3) if latencies else None,
        "plan_probes_during_renders": len(latencies),
        "session_s_max": max(r["seconds"] for r in results), "startup_s": round(startup, 2),
    }
    figures["ok"] = (errors == 0 and not problems and figures["max_concurrent_renders"] <= figures["render_slots"]
                     and figures["cancel_ok"] and bool(latencies))
    figures["details"] = {"errors": [e for r in results for e in r["errors"]][:10], "problems": problems[:10],
                          "cancel_status": cancel.get("cancel_status", cancel.get("cancel_error", ""))}
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m studio.loadtest", description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of audio per story")
    ap.add_argument("--no-warmup", action="store_true", help="start timing before the renderer is loaded")
    a = ap.parse_args(argv)
    if not 1 <= a.sessions <= 64 or not 1 <= a.duration <= 600:
        ap.error("--sessions must be 1-64 and --duration 1-600")
    figures = run(a.sessions, a.duration, warm=not a.no_warmup)
    details = figures.pop("details")
    if not figures["ok"]:
        log(f"FAILED: {json.dumps(details)}")
    print(json.dumps(figures))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
