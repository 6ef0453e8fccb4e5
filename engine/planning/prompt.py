"""What an LLM planner is asked, and the shape of the answer it must give.

One prompt and one answer schema serve every LLM backend: the AudioStory-style
instruction ("... The total duration is N seconds."), a system message naming the
tracks and the rules, one worked example, and a bounded JSON schema (every string has
a maxLength, the event list a maxItems, every time a range, no extra keys) that a
grammar engine can enforce token by token and a server can take as ``response_format``.
``schema_to_lark`` turns that schema into the llguidance grammar the local backend
decodes with, so both backends are held to the same document.
"""
from __future__ import annotations

import json
import math

from ..timeline import DEFAULT_TRACKS

TRACKS = DEFAULT_TRACKS                 # the tracks an LLM may put events on
MAX_LLM_EVENTS = 16                     # default maxItems of the answer's event list
MAX_CAPTION = 120
MAX_REASONING = 800
CAPTION_PATTERN = r'^[A-Za-z0-9][^"\\\x00-\x1f]*$'   # starts with a letter or digit; no quotes, escapes or controls

SYSTEM = f"""You are a sound designer. You turn a story into a timeline of sound events for a soundtrack.
Think first: in "reasoning", say in a few sentences how many events there are, where each starts and ends, and why.
Then list the events in time order. Each event has:
- "caption": what it sounds like, concrete and audible (e.g. "heavy rain on a tin roof"), at most {MAX_CAPTION} characters;
- "start_s" and "duration_s": seconds, with start_s + duration_s no later than the total duration;
- "track": "ambience" for continuous beds (rain, wind, crowd, room tone), "fx" for single sounds (a door, a bark, thunder), "music" for score.
Ambience beds usually span a whole scene; fx events are short; a music event may run under the whole story.
Also give the "setting" (where it happens, a few words) and the "mood" (one or two words).
Answer with one JSON object only, no prose and no code fences."""

EXAMPLE_STORY = "Waves break on a quiet beach at dawn. A gull cries, then footsteps crunch across the sand."
EXAMPLE_DURATION_S = 20.0
EXAMPLE_ANSWER = {
    "reasoning": "Three events. The surf is a bed under the whole scene (0-20 s). The gull cries early "
                 "(3-5 s); the footsteps follow it (8-14 s). The mood is calm, so no music.",
    "setting": "beach at dawn",
    "mood": "calm",
    "events": [
        {"caption": "gentle waves breaking on a sandy shore", "start_s": 0.0, "duration_s": 20.0, "track": "ambience"},
        {"caption": "a seagull cries overhead", "start_s": 3.0, "duration_s": 2.0, "track": "fx"},
        {"caption": "footsteps crunching on sand", "start_s": 8.0, "duration_s": 6.0, "track": "fx"},
    ],
}


def instruction(story: str, duration_s: float) -> str:
    """AudioStory's narrative instruction: the story, then the total duration."""
    return (f"Plan the sound events for this story.\nStory: {story.strip()}\n"
            f"The total duration is {duration_s:g} seconds.")


def build_messages(story: str, duration_s: float) -> list[dict]:
    """Chat messages: system rules, one worked example, then the request."""
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": instruction(EXAMPLE_STORY, EXAMPLE_DURATION_S)},
        {"role": "assistant", "content": json.dumps(EXAMPLE_ANSWER, ensure_ascii=False)},
        {"role": "user", "content": instruction(story, duration_s)},
    ]


def retry_messages(messages: list[dict], answer: str, reason: str) -> list[dict]:
    """The conversation extended with the rejected answer and what was wrong with it."""
    return messages + [
        {"role": "assistant", "content": answer[:4000]},
        {"role": "user", "content": f"That answer could not be used: {reason[:300]}. "
                                    "Reply again with only the JSON object described above."},
    ]


def answer_schema(duration_s: float, *, max_events: int = MAX_LLM_EVENTS) -> dict:
    """The bounded JSON schema of an answer for a story of ``duration_s`` seconds."""
    d = float(duration_s)
    event = {
        "type": "object",
        "properties": {
            "caption": {"type": "string", "minLength": 3, "maxLength": MAX_CAPTION, "pattern": CAPTION_PATTERN},
            "start_s": {"type": "number", "minimum": 0, "maximum": d},
            "duration_s": {"type": "number", "exclusiveMinimum": 0, "maximum": d},
            "track": {"type": "string", "enum": list(TRACKS)},
        },
        "required": ["caption", "start_s", "duration_s", "track"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "reasoning": {"type": "string", "maxLength": MAX_REASONING},
            "setting": {"type": "string", "maxLength": 80},
            "mood": {"type": "string", "maxLength": 40},
            "events": {"type": "array", "minItems": 1, "maxItems": int(max_events), "items": event},
        },
        "required": ["reasoning", "setting", "mood", "events"],
        "additionalProperties": False,
    }


# --- JSON schema -> llguidance Lark grammar ---------------------------------------
def int_range_regex(hi: int) -> str:
    """A regex matching the decimal integers 0..hi exactly (no leading zeros)."""
    if hi < 0:
        raise ValueError("hi must be >= 0")
    digits = str(hi)
    alts = ["[0-9]"] if len(digits) > 1 else []
    alts += [f"[1-9][0-9]{{{k - 1}}}" for k in range(2, len(digits))]
    prefix = ""
    for i, ch in enumerate(digits):        # numbers as long as hi, digit by digit below it
        d = int(ch)
        lo = 1 if i == 0 and len(digits) > 1 else 0
        rest = len(digits) - i - 1
        if lo <= d - 1:
            alts.append(f"{prefix}[{lo}-{d - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
        prefix += ch
    alts.append(digits)
    return "(" + "|".join(alts) + ")"


def time_regex(max_s: float) -> str:
    """Seconds in [0, max_s] with at most two decimals: bounded in value and in length,
    so even a model that would write digits forever must close the number."""
    whole = max(int(math.floor(max_s)), 0)
    frac = r"(\.[0-9]{1,2})?"
    if whole == 0:
        return "0" + frac
    return f"{int_range_regex(whole - 1)}{frac}|{whole}(\\.0{{1,2}})?"


def _lit(text: str) -> str:
    return json.dumps(text)


def schema_to_lark(schema: dict) -> str:
    """Compile the answer schema (objects with fixed, all-required keys; bounded arrays;
    strings; enums; ranged numbers) to a Lark grammar without whitespace freedom.
    Strings are delegated to llguidance's own JSON compiler (``%json``); numbers get
    a bounded regex, which JSON Schema cannot express."""
    rules: list[str] = []

    def rule(node: dict, name: str) -> str:
        if "enum" in node:
            body = " | ".join(_lit(json.dumps(v)) for v in node["enum"])
        elif node.get("type") == "object":
            keys = list(node["properties"])
            if set(node.get("required", ())) != set(keys):
                raise ValueError(f"{name}: every property must be required")
            parts = [_lit("{")]
            for i, k in enumerate(keys):
                parts += [_lit(("," if i else "") + json.dumps(k) + ":"), rule(node["properties"][k], f"{name}_{k}")]
            body = " ".join(parts + [_lit("}")])
        elif node.get("type") == "array":
            item = rule(node["items"], f"{name}_item")
            lo, hi = max(int(node.get("minItems", 0)), 1), int(node["maxItems"])
            body = f'"[" {item} ("," {item}){{{lo - 1},{hi - 1}}} "]"'
        elif node.get("type") == "string":
            body = "%json " + json.dumps(node)
        elif node.get("type") in ("number", "integer"):
            upper = node.get("maximum", node.get("exclusiveMaximum"))
            term = name.upper()
            rules.append(f"{term}: /{time_regex(float(upper))}/")
            body = term
        else:
            raise ValueError(f"{name}: unsupported schema node {node!r}"[:200])
        rules.append(f"{name}: {body}")
        return name

    rules.append(f"start: {rule(schema, 'answer')}")
    return "\n".join(reversed(rules))
