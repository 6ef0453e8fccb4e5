"""Planning: story -> Timeline. Backends register by name; ``plan`` validates."""
from __future__ import annotations

from typing import Callable, Protocol, runtime_checkable

from ..errors import ValidationError
from ..timeline import MAX_DURATION_S, MAX_STORY_CHARS, Timeline


@runtime_checkable
class Planner(Protocol):
    name: str

    def plan(self, story: str, duration_s: float) -> Timeline: ...


def _rules(**options) -> Planner:
    from .rules import RulesPlanner
    return RulesPlanner(**options)


def _transformers(**options) -> Planner:
    from .transformers_planner import TransformersPlanner
    return TransformersPlanner(**options)


def _openai(**options) -> Planner:
    from .openai_planner import OpenAIPlanner
    return OpenAIPlanner(**options)


#: name -> factory; factories import their heavy dependencies lazily
PLANNERS: dict[str, Callable[..., Planner]] = {
    "rules": _rules,
    "transformers": _transformers,
    "openai": _openai,
    "audiostory": lambda **options: __import__("engine.audiostory", fromlist=["make_planner"]).make_planner(**options),
}


def get_planner(name: str = "rules", **options) -> Planner:
    try:
        factory = PLANNERS[name]
    except KeyError:
        raise ValidationError("planner", f"unknown planner {name!r} (available: {', '.join(sorted(PLANNERS))})") from None
    return factory(**options)


def check_request(story, duration_s) -> tuple[str, float]:
    if not isinstance(story, str) or not story.strip():
        raise ValidationError("story", "must not be empty")
    if len(story) > MAX_STORY_CHARS:
        raise ValidationError("story", f"is too long ({len(story)} characters, at most {MAX_STORY_CHARS})")
    if isinstance(duration_s, bool) or not isinstance(duration_s, (int, float)):
        raise ValidationError("duration_s", f"must be a number (got {type(duration_s).__name__})")
    d = float(duration_s)
    if not (d == d) or d in (float("inf"), float("-inf")):
        raise ValidationError("duration_s", f"must be a finite number (got {duration_s!r})")
    if not 1.0 <= d <= MAX_DURATION_S:
        raise ValidationError("duration_s", f"must be between 1 and {MAX_DURATION_S:g} seconds (got {d:g})")
    return story.strip(), d


def plan(story: str, duration_s: float, planner: str | Planner = "rules", **options) -> Timeline:
    story, d = check_request(story, duration_s)
    p = get_planner(planner, **options) if isinstance(planner, str) else planner
    return p.plan(story, d)
