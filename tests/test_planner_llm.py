"""What the LLM backends share: the AudioStory prompt, the bounded answer schema, the
grammar compiled from it, the registry, and lazy imports."""
import json
import re
import subprocess
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import BackendUnavailable
from engine.planning import PLANNERS
from engine.planning.llm import LLMPlanner, TransientError
from engine.planning.prompt import (EXAMPLE_ANSWER, answer_schema, build_messages, instruction, int_range_regex,
                                    schema_to_lark, time_regex)
from tests.conftest import ROOT


def test_instruction_and_messages():
    assert instruction("  Rain falls.  ", 35.1) == "Plan the sound events for this story.\nStory: Rain falls.\nThe total duration is 35.1 seconds."
    msgs = build_messages("Rain falls.", 12)
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "user"]
    assert json.loads(msgs[2]["content"]) == EXAMPLE_ANSWER          # the few-shot answer is itself valid
    assert msgs[-1]["content"].endswith("The total duration is 12 seconds.")


def test_answer_schema_is_bounded():
    s = answer_schema(30, max_events=5)
    assert list(s["properties"]) == ["reasoning", "setting", "mood", "events"]     # reasoning first
    assert s["additionalProperties"] is False and set(s["required"]) == set(s["properties"])
    ev = s["properties"]["events"]
    assert (ev["minItems"], ev["maxItems"]) == (1, 5) and ev["items"]["additionalProperties"] is False
    props = ev["items"]["properties"]
    assert props["start_s"]["maximum"] == 30 and props["duration_s"]["exclusiveMinimum"] == 0
    assert props["track"]["enum"] == ["ambience", "fx", "music"]
    assert all("maxLength" in p for p in [*s["properties"].values(), props["caption"]] if p.get("type") == "string")


@given(st.integers(0, 5000))
def test_int_range_regex_matches_exactly_0_to_hi(hi):
    r = re.compile(int_range_regex(hi) + r"\Z")
    probes = {0, 1, 9, 10, hi - 1, hi, hi + 1, hi * 10, 10 ** len(str(hi)) - 1, 10 ** len(str(hi))}
    for v in (v for v in probes if v >= 0):
        assert bool(r.match(str(v))) == (v <= hi), (hi, v)
    assert not r.match("0" + str(hi))


@pytest.mark.parametrize("max_s,ok,bad", [
    (30, ["0", "0.5", "29.99", "30", "30.0", "7"], ["30.5", "31", "-1", "1.234", "05", "1e3", ""]),
    (35.1, ["35", "34.95"], ["35.05", "36"]),
    (0.5, ["0", "0.25"], ["1"]),
])
def test_time_regex(max_s, ok, bad):
    r = re.compile(f"({time_regex(max_s)})" + r"\Z")
    assert all(r.match(v) for v in ok) and not any(r.match(v) for v in bad)


@pytest.fixture(scope="module")
def matcher_for():
    llguidance = pytest.importorskip("llguidance")
    pytest.importorskip("transformers")
    import llguidance.hf
    from tests.tiny_lm import build_tokenizer
    tokenizer = build_tokenizer()
    ll = llguidance.hf.from_tokenizer(tokenizer)

    def accepts(schema, text):
        grammar = llguidance.LLMatcher.grammar_from_lark(schema_to_lark(schema))
        assert llguidance.LLMatcher.validate_grammar(grammar, ll) == ""
        m = llguidance.LLMatcher(ll, grammar, log_level=0)
        return m.consume_tokens(tokenizer.encode(text)) and not m.is_error() and m.is_accepting()
    return accepts


def compact(answer):
    return json.dumps(answer, separators=(",", ":"), ensure_ascii=False)


def test_grammar_accepts_schema_answers_and_nothing_else(matcher_for):
    schema = answer_schema(20, max_events=3)
    good = compact(EXAMPLE_ANSWER)
    assert matcher_for(schema, good)
    event = EXAMPLE_ANSWER["events"][1]
    variants = {
        "whitespace": json.dumps(EXAMPLE_ANSWER),
        "too many events": compact(dict(EXAMPLE_ANSWER, events=EXAMPLE_ANSWER["events"] + [event])),
        "no events": compact(dict(EXAMPLE_ANSWER, events=[])),
        "start out of range": compact(dict(EXAMPLE_ANSWER, events=[dict(event, start_s=21)])),
        "three decimals": good.replace('"start_s":3.0', '"start_s":3.125'),
        "unknown track": compact(dict(EXAMPLE_ANSWER, events=[dict(event, track="drums")])),
        "extra key": compact(dict(EXAMPLE_ANSWER, events=[dict(event, gain_db=0)])),
        "keys out of order": compact({"events": EXAMPLE_ANSWER["events"], **{k: v for k, v in EXAMPLE_ANSWER.items() if k != "events"}}),
        "caption too long": compact(dict(EXAMPLE_ANSWER, events=[dict(event, caption="a" * 121)])),
        "caption starts with space": compact(dict(EXAMPLE_ANSWER, events=[dict(event, caption=" rain")])),
    }
    assert {k: matcher_for(schema, v) for k, v in variants.items()} == {k: False for k in variants}


def test_schema_to_lark_refuses_what_it_cannot_bound():
    with pytest.raises(ValueError, match="must be required"):
        schema_to_lark({"type": "object", "properties": {"a": {"type": "string"}}, "required": []})
    with pytest.raises(ValueError, match="unsupported"):
        schema_to_lark({"type": "boolean"})


def test_registry_and_lazy_imports():
    assert {"rules", "transformers", "openai"} <= set(PLANNERS)
    code = ("import sys, engine\n"
            "engine.get_planner('transformers', model='x'); engine.get_planner('openai', model='x')\n"
            "heavy = [m for m in ('torch', 'transformers', 'llguidance', 'httpx') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]


class Scripted(LLMPlanner):
    """A backend that answers from a list: text is returned, exceptions are raised."""
    name = "scripted"

    def __init__(self, *answers, **options):
        super().__init__(model="m", **options)
        self.answers, self.calls = list(answers), []

    def complete(self, messages, schema, timeout_s):
        self.calls.append(messages)
        a = self.answers[min(len(self.calls), len(self.answers)) - 1]
        if isinstance(a, Exception):
            raise a
        return a

    def unavailable_hint(self):
        return "Plug it in"


GOOD = json.dumps(EXAMPLE_ANSWER)


def test_shared_loop_retries_transient_errors_and_bad_answers():
    p = Scripted(TransientError("HTTP 503"), "nope", GOOD, retries=2)
    tl = p.plan("Waves at dawn.", 20)
    assert tl.planner == "scripted" and tl.provenance["attempts"] == 3 and len(p.calls) == 3
    assert tl.provenance["rejected"] == ["attempt 1: HTTP 503", "attempt 2: answer: no JSON object in the answer ('nope')"]
    assert "could not be used: answer: no JSON object" in p.calls[2][-1]["content"]


@pytest.mark.parametrize("failure,words,calls", [
    (BackendUnavailable("no such model"), ["no such model", "Plug it in"], 1),
    (KeyError("boom"), ["KeyError"], 1),                      # anything unexpected ends the attempts, no crash
    (TransientError("HTTP 500"), ["attempt 3: HTTP 500"], 3),
])
def test_shared_loop_falls_back_with_the_reason(failure, words, calls):
    p = Scripted(failure, retries=2)
    tl = p.plan("Waves at dawn, then a gull cries.", 20)
    assert tl.planner == "rules" and tl.events and len(p.calls) == calls
    assert all(w in tl.warnings[-1] for w in words) and tl.warnings[-1].endswith("Used the offline rules planner instead.")
    with pytest.raises(BackendUnavailable, match=words[0]):
        Scripted(failure, retries=2, fallback=False).plan("Waves.", 20)


def test_shared_loop_stops_at_the_deadline():
    class Slow(Scripted):
        def complete(self, messages, schema, timeout_s):
            self.calls.append(timeout_s)
            time.sleep(0.2)
            raise TransientError("HTTP 503")
    p = Slow(retries=10, timeout_s=0.5)
    t0 = time.monotonic()
    tl = p.plan("Waves.", 20)
    assert time.monotonic() - t0 < 1.0 and tl.planner == "rules" and "no answer within 0.5 s" in tl.warnings[-1]
    assert len(p.calls) < 4 and all(b < a for a, b in zip(p.calls, p.calls[1:]))   # each call gets what is left
