"""Rendering: the registry of backends and ``render(timeline, renderer)``."""
from __future__ import annotations

from typing import Callable, Iterable, Optional

from ..errors import RenderCancelled, ValidationError
from ..progress import CancelFlag, ProgressFn, as_progress
from ..timeline import Timeline
from .base import Renderer, Residual, Take, take_id_for  # noqa: F401


def _procedural(**options) -> Renderer:
    from .procedural.renderer import ProceduralRenderer
    return ProceduralRenderer(**options)


def _diffusers(**options) -> Renderer:
    from .neural import make_diffusers_renderer
    return make_diffusers_renderer(**options)


#: name -> factory; factories import their heavy dependencies lazily
RENDERERS: dict[str, Callable[..., Renderer]] = {"procedural": _procedural, "diffusers": _diffusers,
                                                  "audiostory": lambda **options: __import__("engine.audiostory", fromlist=["make_renderer"]).make_renderer(**options)}


def get_renderer(name: str = "procedural", **options) -> Renderer:
    try:
        factory = RENDERERS[name]
    except KeyError:
        raise ValidationError("renderer", f"unknown renderer {name!r} (available: {', '.join(sorted(RENDERERS))})") from None
    return factory(**options)


def render(timeline: Timeline, renderer: str | Renderer = "procedural", progress: Optional[ProgressFn] = None, *,
           only: Optional[Iterable[str]] = None, cancel: Optional[CancelFlag] = None,
           residual: Optional[Residual] = None) -> dict[str, Take]:
    """Render every event (or the ids in ``only``) to a Take. The residual context is
    computed once for the timeline unless given (pass the stored one to re-render a
    single event coherently). Cancellation is checked between events and raises
    RenderCancelled after the finished takes were reported through ``progress``."""
    r = get_renderer(renderer) if isinstance(renderer, str) else renderer
    report = as_progress(progress)
    if hasattr(r, "check"):
        r.check(timeline)  # fail on bad input before spending time on any event
    res = residual if residual is not None else r.residual(timeline)
    wanted = set(only) if only is not None else None
    events = [e for e in timeline.events if wanted is None or e.id in wanted]
    if wanted is not None:
        missing = wanted - {e.id for e in events}
        if missing:
            raise ValidationError("only", f"no event with id {sorted(missing)[0]!r}")
    if hasattr(r, "render_many"):  # batching backends: cancellation is checked between denoising steps
        if cancel is not None and cancel.is_set():
            raise RenderCancelled(f"cancelled after 0 of {len(events)} events")
        return r.render_many(events, res, progress=report, cancel=cancel)
    takes: dict[str, Take] = {}
    for i, ev in enumerate(events):
        if cancel is not None and cancel.is_set():
            raise RenderCancelled(f"cancelled after {i} of {len(events)} events")
        report(i / max(len(events), 1), f"rendering {ev.id}: {ev.caption[:50]}")
        takes[ev.id] = r.render(ev, res)
    report(1.0, f"rendered {len(events)} events")
    return takes
