"""The ``openai`` planner: any OpenAI-compatible chat-completions server (Ollama, vLLM,
llama.cpp server, LM Studio, OpenAI itself), spoken to with httpx.

    tl = engine.plan(story, 30, planner="openai", base_url="http://127.0.0.1:11434/v1", model="qwen2.5:7b")

Options fall back to the environment: ``base_url`` to $OPENAI_BASE_URL (default
Ollama's http://127.0.0.1:11434/v1), ``api_key`` to $OPENAI_API_KEY (sent as a Bearer
token when set), ``model`` to $STORY_AUDIO_LLM_MODEL. The answer schema goes out as
``response_format={"type": "json_schema", ...}``; a server that answers that it does
not support it is asked again without it, and the answer is then held to the schema by
the prompt, the parser and the repair step instead. Each request runs in a worker
thread joined with the time left, so a stalled server cannot hold the caller past
``timeout_s``.
"""
from __future__ import annotations

import json
import os
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from ..errors import BackendUnavailable, ValidationError
from .llm import MODEL_ENV, DeadlineExceeded, LLMPlanner, TransientError

BASE_URL_ENV = "OPENAI_BASE_URL"
API_KEY_ENV = "OPENAI_API_KEY"
DEFAULT_BASE_URL = "http://127.0.0.1:11434/v1"
_FORMAT_WORDS = ("response_format", "json_schema", "structured output", "not supported", "unsupported")


class OpenAIPlanner(LLMPlanner):
    name = "openai"

    def __init__(self, *, base_url: str | None = None, api_key: str | None = None,
                 json_schema: bool | None = None, **options: Any) -> None:
        super().__init__(**options)
        url = base_url if base_url is not None else os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        parts = urlsplit(url.strip()) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError("base_url", f"must be an http(s) URL such as {DEFAULT_BASE_URL} (got {url!r})"[:160])
        self.base_url = url.strip().rstrip("/")
        key = api_key if api_key is not None else os.environ.get(API_KEY_ENV, "")
        self.api_key = key.strip() if isinstance(key, str) else ""
        self.json_schema = json_schema          # None: try it, and stop sending it if the server objects

    def describe(self) -> str:
        return f"{self.model} at {self.base_url}"

    def unavailable_hint(self) -> str:
        return (f"Start the server (e.g. `ollama serve` and `ollama pull qwen2.5:7b`) and pass base_url=, model= "
                f"and api_key= (or set {BASE_URL_ENV}, {MODEL_ENV} and {API_KEY_ENV})")

    # -- one answer -------------------------------------------------------------------------
    def complete(self, messages: list[dict], schema: dict, timeout_s: float) -> str:
        if not self.model:
            raise BackendUnavailable(f"no model name: pass model= or set {MODEL_ENV}")
        deadline = time.monotonic() + timeout_s
        body: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": self.temperature,
                                "max_tokens": self.max_new_tokens, "stream": False}
        if self.json_schema is not False:
            body["response_format"] = {"type": "json_schema",
                                       "json_schema": {"name": "sound_plan", "strict": True, "schema": schema}}
        status, text = self._post(body, deadline - time.monotonic())
        if status != 200 and "response_format" in body and self.json_schema is None and _format_refused(status, text):
            self.json_schema = False            # remembered for the next attempts and plans
            del body["response_format"]
            status, text = self._post(body, deadline - time.monotonic())
        return self._content(status, text)

    def _post(self, body: dict, timeout_s: float) -> tuple[int, str]:
        """POST /chat/completions; (status, body text). Returns within ``timeout_s``."""
        if timeout_s <= 0:
            raise DeadlineExceeded()
        import httpx

        url = f"{self.base_url}/chat/completions"
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        result: dict[str, Any] = {}

        def send() -> None:
            try:
                with httpx.Client(timeout=httpx.Timeout(timeout_s)) as client:
                    r = client.post(url, content=json.dumps(body), headers=headers)
                    result["answer"] = (r.status_code, r.text)
            except Exception as e:   # handed to the caller's thread below
                result["error"] = e

        worker = threading.Thread(target=send, name="openai-planner", daemon=True)
        worker.start()
        worker.join(timeout_s)
        if worker.is_alive() or isinstance(result.get("error"), httpx.TimeoutException):
            raise DeadlineExceeded()
        err = result.get("error")
        if isinstance(err, (httpx.ConnectError, httpx.UnsupportedProtocol)):
            raise BackendUnavailable(f"cannot reach the server at {self.base_url} ({type(err).__name__})")
        if err is not None:
            raise TransientError(f"request failed ({type(err).__name__}: {str(err)[:120]})")
        return result["answer"]

    def _content(self, status: int, text: str) -> str:
        """The message text of a chat-completions answer, or the error it amounts to."""
        if status in (401, 403):
            sent = "the API key" if self.api_key else "the request: no API key was sent"
            raise BackendUnavailable(f"the server at {self.base_url} refused {sent} (HTTP {status}: "
                                     f"{_error_message(text)}); set {API_KEY_ENV} or pass api_key=")
        if status == 404:
            raise BackendUnavailable(f"HTTP 404 from {self.base_url}/chat/completions ({_error_message(text)}): "
                                     f"check model={self.model!r} and that base_url ends in /v1")
        if status == 429 or status >= 500:
            raise TransientError(f"HTTP {status} from the server ({_error_message(text)})")
        if status != 200:
            raise BackendUnavailable(f"the server rejected the request (HTTP {status}: {_error_message(text)})")
        try:
            message = json.loads(text)["choices"][0]["message"]
            content = message.get("content")
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise TransientError(f"the server's answer is not a chat completion ({text[:80]!r})") from None
        if not isinstance(content, str):
            raise TransientError("the server's answer has no message content")
        return content


def _error_message(text: str) -> str:
    try:
        err = json.loads(text).get("error", text)
        msg = err.get("message", err) if isinstance(err, dict) else err
    except (ValueError, AttributeError):
        msg = text
    return " ".join(str(msg).split())[:200] or "no details"


def _format_refused(status: int, text: str) -> bool:
    """Whether an error answer says the server does not take ``response_format``."""
    return status in (400, 404, 415, 422, 500, 501) and any(w in text.lower() for w in _FORMAT_WORDS)
