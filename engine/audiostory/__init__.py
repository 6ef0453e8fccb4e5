"""AudioStory (arXiv 2508.20088): an LLM with semantic and residual query tokens bridging
to a Flux DiT over Oobleck latents. Backends: planner ``audiostory`` and renderer
``audiostory`` (``model=DIR``); training: ``python -m engine.audiostory.train``.
torch, transformers, diffusers and peft are imported only when a backend is used.

Device: ``device=`` (planner, renderer, ``train``) / ``--device`` (CLIs), default
``STORY_AUDIO_DEVICE``, else ``auto`` (cuda, then mps, then cpu)."""
from __future__ import annotations

import os
import re
from pathlib import Path

#: what a trained model folder holds (``AudioStory.save_pretrained``)
MODEL_FILES = ("config.json", "heads.safetensors", "llm", "tokenizer", "dit", "vae")
#: the default model folder of the ``audiostory`` planner and renderer (the studio picks them by name)
MODEL_ENV = "STORY_AUDIO_AUDIOSTORY_MODEL"
#: the default device of the planner, renderer and CLIs (auto | cpu | cuda | cuda:N | mps)
DEVICE_ENV = "STORY_AUDIO_DEVICE"
DEVICES = ("auto", "cpu", "cuda", "mps")
_CUDA_N = re.compile(r"cuda:\d+")
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


def resolve_device(device: str | None = None) -> str:
    """The torch device to run on: ``None`` reads STORY_AUDIO_DEVICE, else ``auto``;
    ``auto`` is cuda if available, then mps, else cpu. A misspelt device is a one-line
    ValidationError naming ``device``; one this machine lacks (``cuda`` without CUDA,
    ``cuda:3`` with one GPU, ``mps`` off Apple silicon) a one-line BackendUnavailable."""
    from ..errors import BackendUnavailable, ValidationError
    where = ""
    if device is None:
        env = os.environ.get(DEVICE_ENV, "").strip()
        device, where = env or "auto", f" (from {DEVICE_ENV})" if env else ""
    name = device.strip().lower() if isinstance(device, str) else device
    if not isinstance(name, str) or not (name in DEVICES or _CUDA_N.fullmatch(name)):
        raise ValidationError("device", f"must be auto, cpu, cuda, cuda:N or mps (got {str(device)[:40]!r}){where}")
    import torch
    cuda = torch.cuda.is_available()
    mps_backend = getattr(torch.backends, "mps", None)
    mps = bool(mps_backend is not None and mps_backend.is_available())
    if name == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if name.startswith("cuda"):
        if not cuda:
            why = "this torch is built without CUDA" if torch.version.cuda is None else "no CUDA GPU is visible"
            raise BackendUnavailable(f"device {name!r}{where}: CUDA is not available here ({why}); "
                                     "use device cpu or auto")
        index, count = int(name.partition(":")[2] or 0), torch.cuda.device_count()
        if index >= count:
            raise BackendUnavailable(f"device {name!r}{where}: this machine has {count} CUDA device(s) "
                                     f"(cuda:0 to cuda:{count - 1})")
    if name == "mps" and not mps:
        raise BackendUnavailable(f"device 'mps'{where}: MPS is not available here; use device cpu or auto")
    return name


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
