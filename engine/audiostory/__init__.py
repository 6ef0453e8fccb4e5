"""AudioStory (arXiv 2508.20088): an LLM with semantic and residual query tokens bridging
to a Flux DiT over Oobleck latents. Backends: planner ``audiostory`` and renderer
``audiostory`` (``model=DIR``); training: ``python -m engine.audiostory.train``.
torch, transformers, diffusers and peft are imported only when a backend is used."""
from __future__ import annotations

from pathlib import Path

#: what a trained model folder holds (``AudioStory.save_pretrained``)
MODEL_FILES = ("config.json", "heads.safetensors", "llm", "tokenizer", "dit", "vae")
#: the default model folder of the ``audiostory`` planner and renderer (the studio picks them by name)
MODEL_ENV = "STORY_AUDIO_AUDIOSTORY_MODEL"
TRAIN_HINT = "train one with: python -m engine.audiostory.train --stage 1 --config tiny --steps 300 --out DIR --synthetic 48"


def check_model_folder(model) -> Path:
    """The resolved folder of an AudioStory model, or a one-line error: ValidationError
    when no model was given, BackendUnavailable when the folder is missing or incomplete
    (same split as the diffusers renderer and the transformers planner)."""
    from ..errors import BackendUnavailable, ValidationError
    if not model or not isinstance(model, (str, Path)):
        raise ValidationError("model", f"pass model=<AudioStory model folder> or set {MODEL_ENV}; {TRAIN_HINT}")
    folder = Path(model).expanduser()
    if not folder.is_dir():
        raise BackendUnavailable(f"AudioStory model folder {str(model)!r} does not exist; {TRAIN_HINT}")
    missing = [name for name in MODEL_FILES if not (folder / name).exists()]
    if missing:
        raise BackendUnavailable(f"{folder} is not an AudioStory model folder (missing {', '.join(missing)}); "
                                 f"{TRAIN_HINT}")
    return folder.resolve()


def import_backend():
    """The heavy modules, or BackendUnavailable naming the missing package."""
    from ..errors import BackendUnavailable
    try:
        import diffusers  # noqa: F401
        import peft  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as e:
        raise BackendUnavailable(f"AudioStory needs {e.name or 'torch'} (pip install torch transformers diffusers "
                                 "peft)") from None


def make_planner(**options):
    import_backend()
    from .planner import AudioStoryPlanner
    return AudioStoryPlanner(**options)


def make_renderer(**options):
    import_backend()
    from .renderer import AudioStoryRenderer
    return AudioStoryRenderer(**options)
