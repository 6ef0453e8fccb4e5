"""Issue 9, nothing leaked: the studio as ``python app.py`` starts it (default host,
launch options, queue). Through every endpoint that takes a name, id, choice or file,
and through Gradio's own file routes, ask for /etc/passwd, ../../etc/passwd and the
app's own source: none of their content comes back and none is served. Uploads are
size-limited, Gradio is >= 6.16, and the app binds 127.0.0.1 unless asked otherwise."""
import json
import re
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import ROOT, project

APP = (ROOT / "app.py").resolve()
ENGINE_INIT = (ROOT / "engine" / "__init__.py").resolve()
HOSTILE = ["/etc/passwd", "../../etc/passwd", "../../../../../../etc/passwd", str(APP), str(ENGINE_INIT),
           "app.py", "../app.py", "file=/etc/passwd", "/gradio_api/file=/etc/passwd", "%2e%2e%2fetc%2fpasswd",
           "..\\..\\etc\\passwd", "p-0000000000000000/../../../etc/passwd", "/proc/self/environ"]


def _markers() -> list[str]:
    """Distinctive text of the files that must never come back."""
    passwd = Path("/etc/passwd").read_text()
    assert "root:" in passwd
    out = [passwd.splitlines()[0]]
    for f in (APP, ENGINE_INIT):
        lines = [l.strip() for l in f.read_text().splitlines() if len(l.strip()) > 25]
        out += lines[:3]
    return out


MARKERS = _markers()


def _clean(text: str, where: str) -> None:
    for m in MARKERS:
        assert m not in text, f"{where} leaked {m[:30]!r}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``python app.py --no-warmup`` on a free port, with its own data folder (the load
    test's launcher: it waits for app.py's "studio listening" line)."""
    from studio.loadtest import Studio
    home = tmp_path_factory.mktemp("home")
    studio = Studio(home, warm=False)
    try:
        studio.wait(timeout=90)
        yield {"base": studio.url.rstrip("/"), "port": studio.port, "home": home, "proc": studio.proc}
    finally:
        studio.close()


def call(server, api: str, *data, timeout=120) -> tuple[str, object]:
    """One call through Gradio's HTTP API: ("complete", outputs) or ("error", message)."""
    base = server["base"]
    r = httpx.post(f"{base}/gradio_api/call/{api}", json={"data": list(data)}, timeout=30)
    if r.status_code != 200:
        return "refused", r.text
    eid = r.json()["event_id"]
    text = httpx.get(f"{base}/gradio_api/call/{api}/{eid}", timeout=timeout).text
    _clean(text, f"/{api}")
    kind = re.findall(r"^event: (\w+)", text, re.M)[-1]
    payload = json.loads(re.findall(r"^data: (.*)$", text, re.M)[-1])
    return kind, payload


def _served_files(server, payload) -> list[str]:
    """Every file URL or path in an endpoint's outputs, fetched and checked."""
    blob = json.dumps(payload)
    urls = re.findall(r'"url": "([^"]+)"', blob)
    for u in urls:
        r = httpx.get(u, timeout=30)
        _clean(r.content.decode("latin-1"), u)
    return urls


@pytest.fixture(scope="module")
def session(server):
    """A planned and rendered project (the states every endpoint is probed with)."""
    kind, out = call(server, "plan", "Rain on a tin roof, then a dog barks twice.", 8, "rules", "", "", "")
    assert kind == "complete", out
    state, table = out[0], out[1]
    kind, out = call(server, "render_all", state, table, "procedural", timeout=300)
    assert kind == "complete", out
    return {"state": out[0], "table": out[1]}


def test_gradio_is_new_enough_and_the_app_binds_localhost(server):
    import gradio
    major, minor = (int(x) for x in gradio.__version__.split(".")[:2])
    assert (major, minor) >= (6, 16), gradio.__version__
    # every listening socket on the server's port is on 127.0.0.1 (kernel's own table)
    port = f"{server['port']:04X}"
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and local.endswith(":" + port):
                listening.append(local.split(":")[0])
    assert listening == ["0100007F"], listening
    want = f"studio listening on http://127.0.0.1:{server['port']}"
    deadline = time.monotonic() + 30  # app.py prints it just after launch() returns: poll, don't race it
    while want not in (log := (server["home"] / "server.log").read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert want in log, log[-500:]


@pytest.mark.parametrize("route", ["/gradio_api/file={}", "/file={}", "/gradio_api/file/{}", "/static/{}",
                                   "/assets/{}", "/gradio_api/static/{}", "/{}"])
def test_gradio_file_routes_serve_none_of_them(server, route):
    home = server["home"]
    targets = ["/etc/passwd", str(APP), str(ENGINE_INIT), "app.py", "engine/__init__.py", "../../etc/passwd",
               "..%2f..%2f..%2fetc%2fpasswd", f"{home}/renders/../../../../../../etc/passwd",
               f"{home}/renders/{'../' * 12}{str(APP).lstrip('/')}", quote("/etc/passwd", safe=""),
               "%2fetc%2fpasswd", f"{home}/exports/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd"]
    for t in targets:
        r = httpx.get(server["base"] + route.format(t), timeout=30)
        body = r.content.decode("latin-1")
        _clean(body, route.format(t))
        assert r.status_code != 200 or not any(m in body for m in MARKERS)


def test_the_upload_route_refuses_large_files(server):
    big = b" " * (6 * 1024 * 1024)
    r = httpx.post(server["base"] + "/gradio_api/upload", files={"files": ("big.json", big, "application/json")},
                   timeout=60)
    assert r.status_code in (400, 413), r.status_code
    assert "Traceback" not in r.text


def test_an_uploaded_project_over_the_limit_is_refused_by_the_handler(server, tmp_path):
    """Under Gradio's upload limit (5 MiB) but over the project limit (5 MB): a one-line error."""
    from gradio_client import Client, handle_file
    p = tmp_path / "big.json"
    p.write_bytes(b" " * 5_100_000)
    client = Client(server["base"] + "/", verbose=False)
    with pytest.raises(Exception) as ei:
        client.predict(handle_file(str(p)), api_name="/load_project")
    msg = str(ei.value)
    assert "too large" in msg and "\n" not in msg.strip() and str(tmp_path) not in msg


def test_an_uploaded_hostile_file_is_read_but_never_echoed(server, tmp_path):
    """Uploading /etc/passwd or the app's source as a 'project': refused (not .json) or,
    renamed to .json, a one-line parse error; their content never comes back."""
    from gradio_client import Client, handle_file
    client = Client(server["base"] + "/", verbose=False)
    for f in ("/etc/passwd", str(APP), str(ENGINE_INIT)):
        copy = tmp_path / "renamed.json"
        copy.write_bytes(Path(f).read_bytes())
        for upload in (f, str(copy)):
            with pytest.raises(Exception) as ei:
                client.predict(handle_file(upload), api_name="/load_project")
            _clean(str(ei.value), f)
            assert "\n" not in str(ei.value).strip()
        assert str(ei.value).startswith("project") or "not valid JSON" in str(ei.value), str(ei.value)


def _file_data(path: str) -> dict:
    return {"path": path, "url": None, "orig_name": Path(path).name, "meta": {"_type": "gradio.FileData"}}


@pytest.mark.parametrize("target", HOSTILE + [str(Path(__import__("tempfile").gettempdir()) / "x.json")])
def test_load_project_with_a_path_that_was_never_uploaded(server, target, tmp_path):
    """A client names a file on the server instead of uploading one: refused, nothing read."""
    if target.endswith("x.json"):  # a valid project in the temp dir, outside Gradio's upload cache
        Path(target).write_text(json.dumps(project(story="SECRET STORY NOT UPLOADED")))
    kind, out = call(server, "load_project", _file_data(target))
    assert kind == "error", out
    assert "SECRET STORY" not in json.dumps(out)
    kind, out = call(server, "load_project", target)  # a bare string instead of file data
    assert kind == "error" and "SECRET STORY" not in json.dumps(out)


def test_named_endpoints_with_hostile_names_ids_and_choices(server, session):
    """Every endpoint that takes a name, id, choice or file, once per hostile value."""
    st, rows = session["state"], session["table"]
    eid = st["events"][0]["id"]
    results = []
    for h in HOSTILE:
        forged = json.loads(json.dumps(st))
        forged["provenance"]["studio"]["name"] = h
        forged["provenance"]["studio"]["kept"] = {eid: [h]}
        forged_take = json.loads(json.dumps(st))
        forged_take["events"][0]["take"] = h
        probes = {
            "open_project": (h,),
            "preview_take": (h,),
            "choose_take": (st, eid, h),
            "select_event": (st, h),
            "set_locked": (st, rows, h, True),
            "delete_row": (st, rows, h),
            "duplicate_row": (st, rows, h),
            "render_event": (st, rows, h, "procedural"),
            "render_event_new_seed": (st, rows, eid, h),
            "render_all": (forged_take, rows, h),
            "load_preset": (h,),
            "export": (st, h, 0.0, True, -16, -1),
            "plan": ("rain", 8, h, h, h, h),
            "mix": (forged, 0.0, True, -16, -1),
            "save_project": (forged,),
            "cancel": (forged,),
            "add_row": (forged, None, h),
            "edit_table": (forged_take, None),
        }
        for api, args in probes.items():
            kind, out = call(server, api, *args)
            results.append((api, h, kind))
            for u in _served_files(server, out):  # a forged name never reaches a served path
                assert "passwd" not in u and "app.py" not in u and "__init__" not in u, (api, u)
            if kind == "error":
                msg = out.get("error") if isinstance(out, dict) else out
                assert msg is None or ("\n" not in msg and "Traceback" not in msg), (api, msg)
    # controls: the same calls with real values are answered (so the refusals above are real)
    name = st["provenance"]["studio"]["name"]
    take = st["events"][0]["take"]
    for api, args in {"open_project": (name,), "set_locked": (st, rows, eid, True), "delete_row": (st, rows, eid),
                      "select_event": (st, eid), "load_preset": (0,), "save_project": (st,)}.items():
        kind, out = call(server, api, *args)
        assert kind == "complete", (api, out)
    kind, out = call(server, "select_event", st, eid)
    assert out[0]["path"].endswith(f"{take}.wav") and out[2] is False
    refused = {(api, h) for api, h, kind in results if kind != "complete"}
    # these may answer (a forged autosave name is replaced by a fresh one, an unknown event
    # id is ignored by add_row) but must refuse every hostile value:
    # (select_event and edit_table answer with an inline "⚠ ..." message and the state unchanged)
    must_refuse = {"open_project", "preview_take", "choose_take", "set_locked", "delete_row",
                   "duplicate_row", "render_event", "render_event_new_seed", "render_all", "load_preset", "export",
                   "plan"}
    missing = sorted((api, h) for api, h, _ in results if api in must_refuse and (api, h) not in refused)
    assert not missing, missing


def test_llm_planner_options_cannot_read_server_files(server):
    """planner=transformers with a model 'folder' that is a system file, openai with a
    file:// base URL: the plan falls back or fails in one line; no content comes back."""
    for planner, model, url in (("transformers", "/etc/passwd", ""), ("transformers", str(APP), ""),
                                ("transformers", "../../etc", ""), ("openai", "m", "file:///etc/passwd"),
                                ("openai", "m", f"file://{APP}")):
        kind, out = call(server, "plan", "rain on a roof", 8, planner, model, url, "")
        assert kind in ("complete", "error"), out


def test_renders_and_exports_are_served_only_under_generated_names(server, session):
    kind, out = call(server, "mix", session["state"], 0.0, True, -16, -1)
    assert kind == "complete", out
    home = server["home"].resolve()
    mix = out[1]  # Gradio serves a copy in its cache, under the name the studio generated
    assert Path(mix["path"]).name == "mix.wav" and "passwd" not in mix["path"]
    assert any(p.is_file() for p in (home / "renders").glob("p-*/mix.wav"))
    assert httpx.get(mix["url"], timeout=30).status_code == 200  # its own files are served
    kind, out = call(server, "export", out[0], "wav", 0.0, True, -16, -1)
    assert kind == "complete", out
    for f in out[0]:
        assert re.search(r"/[0-9a-f]+/(mix\.wav|stems\.zip|project\.json|timeline\.otio|session\.rpp|bundle\.zip)$",
                         f["path"]), f["path"]
        assert httpx.get(f["url"], timeout=30).status_code == 200
    _served_files(server, out)
    # the server's own data files (autosaves, the take store) are not served
    for p in list((home / "projects").glob("*.json"))[:2] + list((home / "takes").glob("*.json"))[:2]:
        r = httpx.get(f"{server['base']}/gradio_api/file={p}", timeout=30)
        assert r.status_code != 200, p
