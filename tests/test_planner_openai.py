"""The ``openai`` planner against a real chat-completions server on 127.0.0.1 that
answers from a script: good answers, malformed ones, HTTP errors and slow ones."""
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import engine
from engine import BackendUnavailable, ValidationError
from engine.planning.prompt import EXAMPLE_ANSWER

STORY = "Waves break on the shore at dawn, then a gull cries and footsteps cross the sand."
GOOD = json.dumps(EXAMPLE_ANSWER)


def chat(content):
    return {"id": "c1", "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]}


class ChatServer:
    """Answers POST /v1/chat/completions from ``script``: (status, body, delay_s) tuples,
    the last one repeated. Keeps every request (headers and JSON body)."""

    def __init__(self, *script):
        self.script, self.requests = list(script), []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status, answer, delay = server.script[min(len(server.requests), len(server.script)) - 1]
                time.sleep(delay)
                data = (answer if isinstance(answer, str) else json.dumps(answer)).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:   # the client gave up on a slow answer
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve():
    servers = []

    def start(*script):
        servers.append(ChatServer(*script))
        return servers[-1]
    yield start
    for s in servers:
        s.close()


def plan(server, **options):
    options = {"base_url": server.url, "model": "tiny", "timeout_s": 10, **options}
    return engine.plan(STORY, 30, planner="openai", **options)


def test_good_answer_with_settings_from_the_environment(serve, monkeypatch):
    server = serve((200, chat(GOOD), 0))
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-123")
    monkeypatch.setenv("STORY_AUDIO_LLM_MODEL", "qwen2.5:7b")
    tl = engine.plan(STORY, 30, planner="openai")
    assert tl.planner == "openai" and tl.warnings == ()
    assert [(e.caption, e.start_s, e.duration_s, e.track) for e in tl.events] == [
        (e["caption"], e["start_s"], e["duration_s"], e["track"]) for e in EXAMPLE_ANSWER["events"]]
    assert tl.reasoning == EXAMPLE_ANSWER["reasoning"] and tl.context.setting == "beach at dawn"
    assert tl.provenance["model"] == f"qwen2.5:7b at {server.url}" and tl.provenance["attempts"] == 1
    (req,) = server.requests
    assert req["path"] == "/v1/chat/completions" and req["headers"]["Authorization"] == "Bearer sk-test-123"
    body = req["body"]
    assert body["model"] == "qwen2.5:7b" and body["messages"][-1]["content"].endswith("The total duration is 30 seconds.")
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["schema"]["properties"]["events"]["maxItems"] == 16
    assert fmt["json_schema"]["schema"]["properties"]["events"]["items"]["properties"]["start_s"]["maximum"] == 30


def test_code_fences_and_out_of_bounds_events_are_repaired(serve):
    answer = dict(EXAMPLE_ANSWER, events=[{"caption": "rain", "start_s": -2, "duration_s": 50, "track": "bed"},
                                          {"caption": "thunder", "start_s": 12, "duration_s": 4, "track": "boom"}])
    server = serve((200, chat(f"```json\n{json.dumps(answer)}\n```"), 0))
    tl = plan(server)
    assert tl.planner == "openai"
    assert [(e.caption, e.start_s, e.duration_s, e.track) for e in tl.events] == [
        ("rain", 0.0, 30.0, "ambience"), ("thunder", 12.0, 4.0, "fx")]
    assert len(tl.warnings) == 1 and "repaired" in tl.warnings[0] and "'boom' -> fx" in tl.warnings[0]


def test_server_without_json_schema_support_is_asked_again_without_it(serve):
    refusal = {"error": {"message": "response_format type json_schema is not supported", "type": "invalid_request"}}
    server = serve((400, refusal, 0), (200, chat(GOOD), 0))
    p = engine.get_planner("openai", base_url=server.url, model="tiny")
    tl = p.plan(STORY, 30)
    assert tl.planner == "openai" and tl.provenance["attempts"] == 1
    assert ["response_format" in r["body"] for r in server.requests] == [True, False]
    p.plan(STORY, 30)   # remembered: the next plan does not send it again
    assert "response_format" not in server.requests[-1]["body"]


def test_malformed_answers_are_retried_with_the_reason(serve):
    server = serve((200, chat("Sure, here is your soundtrack!"), 0), (200, chat('{"answer": 1}'), 0),
                   (200, chat(GOOD), 0))
    tl = plan(server)
    assert tl.planner == "openai" and tl.provenance["attempts"] == 3 and len(tl.provenance["rejected"]) == 2
    retry = server.requests[2]["body"]["messages"]
    assert retry[-2]["content"] == '{"answer": 1}' and "events: must be a list" in retry[-1]["content"]


def test_truncated_answer_keeps_its_complete_events(serve):
    server = serve((200, chat(GOOD[:GOOD.index('"footsteps')]), 0))
    tl = plan(server)
    assert tl.planner == "openai" and [e.caption for e in tl.events] == [
        "gentle waves breaking on a sandy shore", "a seagull cries overhead"]


@pytest.mark.parametrize("answers,reason", [
    ([chat("not json at all")], "no JSON object"),
    ([chat('{"events": "rain"}')], "events: must be a list"),
    ([chat('{"events": [{"caption": "", "start_s": 1}]}')], "no usable event"),
    (["<html>bad gateway</html>"], "not a chat completion"),
])
def test_persistent_garbage_falls_back_to_rules_with_a_warning(serve, answers, reason):
    server = serve(*[(200, a, 0) for a in answers])
    tl = plan(server, retries=2)
    assert tl.planner == "rules" and tl.events
    assert len(server.requests) == 3
    (warning,) = [w for w in tl.warnings if "openai planner could not plan" in w]
    assert reason in warning and "rules planner instead" in warning
    assert tl.provenance["fallback_from"] == "openai"


def test_http_500_is_retried(serve):
    server = serve((500, {"error": {"message": "model crashed"}}, 0), (200, chat(GOOD), 0))
    tl = plan(server)
    assert tl.planner == "openai" and tl.provenance["attempts"] == 2
    assert "HTTP 500" in tl.provenance["rejected"][0] and "model crashed" in tl.provenance["rejected"][0]


@pytest.mark.parametrize("key", ["sk-wrong", ""])
def test_http_401_names_the_key_and_is_not_retried(serve, monkeypatch, key):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server = serve((401, {"error": {"message": "Incorrect API key provided"}}, 0))
    tl = plan(server, api_key=key)
    assert tl.planner == "rules" and len(server.requests) == 1
    warning = tl.warnings[-1]
    assert "HTTP 401" in warning and "OPENAI_API_KEY" in warning and "api_key=" in warning
    assert ("no API key was sent" in warning) == (key == "")
    assert ("Authorization" in server.requests[0]["headers"]) == (key != "")


def test_slow_server_does_not_hold_the_caller_past_the_timeout(serve):
    server = serve((200, chat(GOOD), 5.0))
    t0 = time.monotonic()
    tl = plan(server, timeout_s=0.6)
    elapsed = time.monotonic() - t0
    assert elapsed < 0.6 + 0.9, elapsed
    assert tl.planner == "rules" and "no answer within 0.6 s" in tl.warnings[-1]


def test_unreachable_server_and_missing_model_fall_back_with_a_hint(serve, monkeypatch):
    with socket.socket() as s:           # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tl = engine.plan(STORY, 30, planner="openai", base_url=f"http://127.0.0.1:{port}/v1", model="m", timeout_s=5)
    assert tl.planner == "rules" and "cannot reach the server" in tl.warnings[-1]
    assert "OPENAI_BASE_URL" in tl.warnings[-1] and "ollama serve" in tl.warnings[-1]
    monkeypatch.delenv("STORY_AUDIO_LLM_MODEL", raising=False)
    server = serve((200, chat(GOOD), 0))
    tl = engine.plan(STORY, 30, planner="openai", base_url=server.url)
    assert tl.planner == "rules" and "no model name" in tl.warnings[-1] and server.requests == []


def test_fallback_false_raises_and_bad_options_are_validation_errors(serve):
    server = serve((500, "oops", 0))
    with pytest.raises(BackendUnavailable, match="HTTP 500"):
        plan(server, retries=1, fallback=False)
    assert len(server.requests) == 2
    for bad in ({"base_url": "ftp://x"}, {"timeout_s": -1}, {"retries": 1.5}, {"max_events": 0}, {"model": 3},
                {"sample_rate": 12345}):
        with pytest.raises(ValidationError):
            engine.get_planner("openai", **bad)
