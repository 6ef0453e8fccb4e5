"""What every LLM planner shares: options, the ask -> parse -> repair -> retry loop,
the deadline, and the fall back to ``rules`` with a visible warning.

A backend subclasses :class:`LLMPlanner` and implements one method,
``complete(messages, schema, timeout_s) -> str``: send the chat, return the answer
text. It raises :class:`BackendUnavailable` when asking again cannot help (no model,
a refused key, a server that is not there) and :class:`TransientError` when it can
(HTTP 500, a dropped connection). Everything else here is backend-neutral.
"""
from __future__ import annotations

import os
import time
from typing import Any

from ..errors import BackendUnavailable, ValidationError
from ..timeline import SAMPLE_RATES, Timeline
from .prompt import MAX_LLM_EVENTS, answer_schema, build_messages, retry_messages
from .repair import parse_answer, repair_answer

MODEL_ENV = "STORY_AUDIO_LLM_MODEL"


class TransientError(RuntimeError):
    """A failed request that may succeed when asked again."""


class DeadlineExceeded(RuntimeError):
    """The planner's time budget ran out."""


def _bounded(name: str, value: Any, lo: float, hi: float, *, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not float(value).is_integer()):
        raise ValidationError(name, f"must be {'an integer' if integer else 'a number'} (got {value!r})"[:120])
    if not lo <= value <= hi:
        raise ValidationError(name, f"must be between {lo:g} and {hi:g} (got {value:g})")
    return int(value) if integer else float(value)


class LLMPlanner:
    """Plan with a chat model; never raises for model trouble, never runs past ``timeout_s``.

    Options (keyword-only): ``model`` (falls back to $STORY_AUDIO_LLM_MODEL),
    ``timeout_s`` (whole plan, default 120), ``retries`` (extra attempts after a bad
    answer, default 2), ``max_events`` (default 16), ``temperature`` (default 0 = greedy),
    ``max_new_tokens`` (default 2048), ``fallback`` (default True: on failure return the
    ``rules`` plan with a warning; False: raise BackendUnavailable), ``sample_rate``.
    """
    name = "llm"

    def __init__(self, *, model: str | None = None, timeout_s: float = 120.0, retries: int = 2,
                 max_events: int = MAX_LLM_EVENTS, temperature: float = 0.0, max_new_tokens: int = 2048,
                 fallback: bool = True, sample_rate: int = 44100) -> None:
        model = model if model is not None else os.environ.get(MODEL_ENV, "")
        if not isinstance(model, str):
            raise ValidationError("model", f"must be a hub id or a folder path (got {type(model).__name__})")
        self.model = model.strip()
        self.timeout_s = _bounded("timeout_s", timeout_s, 0.1, 86400)
        self.retries = _bounded("retries", retries, 0, 10, integer=True)
        self.max_events = _bounded("max_events", max_events, 1, 64, integer=True)
        self.temperature = _bounded("temperature", temperature, 0, 2)
        self.max_new_tokens = _bounded("max_new_tokens", max_new_tokens, 16, 16384, integer=True)
        self.fallback = bool(fallback)
        if sample_rate not in SAMPLE_RATES or isinstance(sample_rate, bool):
            raise ValidationError("sample_rate", f"must be one of {', '.join(map(str, SAMPLE_RATES))} (got {sample_rate!r})"[:160])
        self.sample_rate = int(sample_rate)

    # -- the backend's part ---------------------------------------------------------
    def complete(self, messages: list[dict], schema: dict, timeout_s: float) -> str:
        raise NotImplementedError

    def describe(self) -> str:
        """Model and endpoint, for provenance and warnings."""
        return self.model

    def unavailable_hint(self) -> str:
        """How to fix a missing model or server (appended to the fallback warning)."""
        return ""

    def notes(self) -> list[str]:
        """Warnings about how an accepted answer was produced (e.g. without a grammar)."""
        return []

    # -- the shared loop ------------------------------------------------------------
    def plan(self, story: str, duration_s: float) -> Timeline:
        deadline = time.monotonic() + self.timeout_s
        schema = answer_schema(duration_s, max_events=self.max_events)
        messages = build_messages(story, duration_s)
        problems: list[str] = []
        unavailable = False
        for attempt in range(1, self.retries + 2):
            left = deadline - time.monotonic()
            if left <= 0:
                problems.append(f"no answer within {self.timeout_s:g} s")
                break
            try:
                text = self.complete(messages, schema, left)
            except BackendUnavailable as e:
                problems.append(str(e))
                unavailable = True
                break
            except DeadlineExceeded:
                problems.append(f"no answer within {self.timeout_s:g} s")
                break
            except TransientError as e:
                problems.append(f"attempt {attempt}: {e}")
                time.sleep(max(0.0, min(0.2 * attempt, deadline - time.monotonic())))  # a short back-off
                continue
            except Exception as e:   # a planner must never take the app down: anything else ends the attempts
                problems.append(f"{type(e).__name__}: {str(e)[:200]}")
                break
            try:
                fixed = repair_answer(parse_answer(text), story=story, duration_s=duration_s,
                                      sample_rate=self.sample_rate, planner=self.name)
            except ValidationError as e:
                problems.append(f"attempt {attempt}: {e}")
                messages = retry_messages(messages, text, str(e))
                continue
            return self._accepted(fixed.timeline, fixed.fixes, attempt, problems)
        return self._fall_back(story, duration_s, problems, unavailable)

    def _accepted(self, tl: Timeline, fixes: tuple[str, ...], attempt: int, problems: list[str]) -> Timeline:
        warnings = list(tl.warnings) + self.notes()
        if fixes:
            shown = "; ".join(fixes[:3]) + (f"; and {len(fixes) - 3} more" if len(fixes) > 3 else "")
            warnings.append(f"{self.name} planner: the model's plan was repaired ({shown})"[:1000])
        provenance = {"planner": self.name, "model": self.describe(), "attempts": attempt,
                      "repairs": list(fixes[:50]), "rejected": [p[:300] for p in problems]}
        return tl.replace(warnings=warnings, provenance=provenance)

    def _fall_back(self, story: str, duration_s: float, problems: list[str], unavailable: bool) -> Timeline:
        reason = problems[-1] if problems else "no answer"
        hint = self.unavailable_hint() if unavailable else ""
        if not self.fallback:
            raise BackendUnavailable(f"{self.name} planner failed: {reason}" + (f". {hint}" if hint else ""))
        from . import get_planner
        tl = get_planner("rules").plan(story, duration_s)
        warning = (f"The {self.name} planner could not plan this story ({reason[:400]})"
                   + (f". {hint}" if hint else "") + ". Used the offline rules planner instead.")
        provenance = dict(tl.provenance, fallback_from=self.name, model=self.describe(),
                          rejected=[p[:300] for p in problems])
        return tl.replace(warnings=list(tl.warnings) + [warning[:1900]], provenance=provenance,
                          sample_rate=self.sample_rate)
