"""Narrative-audio engine: plan a story into a Timeline, render each event, mix, export.

    import engine
    tl = engine.plan("a storm rolls over a farmhouse at night, then dawn breaks", 30)
    takes = engine.render(tl)                  # procedural renderer, offline
    mixdown = engine.mix(tl, takes)           # -16 LUFS, -1 dBTP
    engine.export(tl, mixdown, "out/")        # mix.wav, stems/, project.json
"""
__version__ = "0.1.0"

from .errors import BackendUnavailable, RenderCancelled, ValidationError  # noqa: E402
from .timeline import Context, SoundEvent, Timeline, Track  # noqa: E402
from .project_io import load_project, save_project  # noqa: E402
from .planning import get_planner, plan  # noqa: E402
from .rendering import Renderer, Residual, Take, get_renderer, render  # noqa: E402
from .mixing import Mixdown, mix  # noqa: E402
from .export import export  # noqa: E402
from .progress import CancelFlag  # noqa: E402


def match(caption: str) -> dict:
    """Which procedural recipe the renderer would use for a caption: recipe, score, params."""
    from .rendering.procedural.matching import match as _match
    return _match(caption)


__all__ = ["__version__", "BackendUnavailable", "CancelFlag", "Context", "Mixdown", "RenderCancelled", "Renderer",
           "Residual", "SoundEvent", "Take", "Timeline", "Track", "ValidationError", "export", "get_planner",
           "get_renderer", "load_project", "match", "mix", "plan", "render", "save_project"]
