"""Finding and loading a diffusers text-to-audio pipeline: hub id or local folder, the
pipeline class from the model's own ``model_index.json``, device and dtype chosen
automatically. torch and diffusers are imported here, lazily, never at ``import engine``."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Optional

from ...errors import BackendUnavailable, ValidationError

SUPPORTED = ("StableAudioPipeline", "StableAudio3Pipeline", "AudioLDM2Pipeline")

_HOW_TO = ("download the weights once on a machine with hub access (`hf download {model} "
           "--local-dir /path/to/folder`) and pass model='/path/to/folder', the folder that holds model_index.json")


def import_torch_diffusers():
    try:
        import diffusers  # noqa: F401
        import torch
    except ImportError as e:  # pragma: no cover - both are in requirements.txt
        raise BackendUnavailable(f"the diffusers renderer needs torch and diffusers ({e}); "
                                 "install them with `pip install -r requirements.txt`") from None
    return torch, diffusers


def resolve_model(model: str, *, local_files_only: Optional[bool] = None) -> Path:
    """A folder holding ``model_index.json``: ``model`` itself, or the hub snapshot of the id
    ``model`` (from the local cache first; downloaded only when the hub may be used)."""
    if not isinstance(model, str) or not model.strip():
        raise ValidationError("model", "pass model=<hub id or local folder with model_index.json> "
                              "(or set STORY_AUDIO_TTA_MODEL)")
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "model_index.json").is_file():
            raise BackendUnavailable(f"{model}: no model_index.json in this folder; point model= at the folder "
                                     "a diffusers pipeline was saved to (save_pretrained / hub snapshot)")
        return path
    if model.startswith((".", "/", "~")) or model.count("/") != 1 or "\\" in model:
        raise BackendUnavailable(f"model {model!r}: no such folder. Pass a local folder that holds "
                                 f"model_index.json, or a hub id such as 'stabilityai/stable-audio-open-1.0'")
    if local_files_only is None:
        local_files_only = os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")
    try:
        from huggingface_hub import snapshot_download
        try:
            return Path(snapshot_download(model, local_files_only=True))
        except Exception:
            if local_files_only:
                raise
            return Path(snapshot_download(model))
    except Exception as e:
        reason = type(e).__name__
        raise BackendUnavailable(f"model {model!r} is not in the local hub cache and the hub cannot be reached "
                                 f"({reason}); {_HOW_TO.format(model=model)}") from None


def pipeline_class_name(folder: Path) -> str:
    try:
        name = json.loads((folder / "model_index.json").read_text())["_class_name"]
    except (OSError, ValueError, KeyError, TypeError):
        raise BackendUnavailable(f"{folder}/model_index.json is unreadable or names no _class_name") from None
    if name not in SUPPORTED:
        raise ValidationError("model", f"{folder} holds a {name}; the diffusers renderer supports "
                                       f"{', '.join(SUPPORTED)}")
    return name


def pick_device(device: Optional[str] = None) -> str:
    torch, _ = import_torch_diffusers()
    if device:
        return str(device)
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def pick_dtype(device: str, dtype: Any = None):
    """fp32 on CPU; bf16 on GPUs that have it, fp16 otherwise; or the one asked for."""
    torch, _ = import_torch_diffusers()
    if dtype is not None:
        if isinstance(dtype, torch.dtype):
            return dtype
        names = {"float32": torch.float32, "fp32": torch.float32, "float16": torch.float16, "fp16": torch.float16,
                 "half": torch.float16, "bfloat16": torch.bfloat16, "bf16": torch.bfloat16}
        if str(dtype).replace("torch.", "") not in names:
            raise ValidationError("dtype", f"must be one of {', '.join(sorted(names))} (got {dtype!r})")
        return names[str(dtype).replace("torch.", "")]
    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device.startswith("mps"):
        return torch.float16
    return torch.float32


def load_pipeline(folder: Path, class_name: str, device: str, dtype) -> tuple[Any, list[str]]:
    """The pipeline on ``device`` in ``dtype``, plus notes on what was adjusted to run here."""
    torch, diffusers = import_torch_diffusers()
    notes: list[str] = []
    index = json.loads((folder / "model_index.json").read_text())
    overrides: dict[str, Any] = {}
    sched = (index.get("scheduler") or [None, None])[1]
    if class_name == "StableAudioPipeline" and sched == "CosineDPMSolverMultistepScheduler":
        # The release's cosine SDE solver needs torchsde and draws one Brownian path for the
        # whole batch; the EDM DPM-Solver++ ODE with the same sigmas is deterministic per row.
        cfg = json.loads((folder / "scheduler" / "scheduler_config.json").read_text())
        keep = ("sigma_min", "sigma_max", "sigma_data", "sigma_schedule", "prediction_type", "solver_order", "rho")
        overrides["scheduler"] = diffusers.EDMDPMSolverMultistepScheduler(
            **{k: cfg[k] for k in keep if k in cfg}, algorithm_type="dpmsolver++")
        notes.append("CosineDPMSolverMultistepScheduler replaced by EDMDPMSolverMultistepScheduler (same sigmas)")
    if class_name == "AudioLDM2Pipeline" and (index.get("language_model") or [None, None])[1] == "GPT2Model":
        # transformers 5 keeps generation helpers on the LM-head class only; same weights.
        from transformers import GPT2LMHeadModel
        overrides["language_model"] = GPT2LMHeadModel.from_pretrained(folder / "language_model", dtype=dtype)
    cls = getattr(diffusers, class_name)
    try:
        pipe = cls.from_pretrained(folder, dtype=dtype, **overrides)
    except (OSError, ValueError) as e:
        raise BackendUnavailable(f"{folder}: the {class_name} could not be loaded ({str(e)[:300]})") from None
    pipe = pipe.to(device)
    pipe.set_progress_bar_config(disable=True)
    return pipe, notes
