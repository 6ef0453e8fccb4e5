"""Train AudioStory in the paper's three stages.

    python -m engine.audiostory.train --stage 1 --config tiny --steps 300 --out DIR --synthetic 64
    python -m engine.audiostory.train --stage 2 --steps 200 --out DIR --synthetic 64   # continues DIR
    python -m engine.audiostory.train --stage 3 --steps 200 --out DIR --synthetic 64

Stage 1: single clips — flow matching + regression of the semantic queries onto the
caption's text-encoder states (and, for configs without a pretrained VAE, the VAE first).
Stage 2: residual queries on multi-event samples (DiT frozen). Stage 3: end to end with
the LM loss over reasoning and captions. LoRA on the LM; norms and embeddings trainable.
The last stdout line is a JSON summary with ``loss_first`` and ``loss_last`` per loss
(means over the first and last tenth of each loss's steps).

``--device auto|cpu|cuda|cuda:N|mps`` (default STORY_AUDIO_DEVICE, else auto: cuda, then
mps, then cpu); ``--dtype auto|float32|bfloat16``: auto is a bfloat16 autocast of the LM
and DiT passes on CUDA and float32 elsewhere (weights and optimizer stay float32; the VAE
trains in float32). Noise is drawn from a CPU generator and moved, so a seed draws the
same numbers on every device and the CPU path is unchanged.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

from . import tokens as T
from .data import Sample, load_folder, make_synthetic, window
from .detokenizer import vae_loss
from .model import AudioStory


class LossLog:
    """Per-loss histories; first/last are means over the first/last tenth of the steps."""

    def __init__(self) -> None:
        self.hist: dict[str, list[float]] = {}

    def add(self, losses: dict[str, torch.Tensor]) -> None:
        for k, v in losses.items():
            x = float(v.detach())
            if not np.isfinite(x):
                raise FloatingPointError(f"loss {k} is not finite ({x})")
            self.hist.setdefault(k, []).append(x)

    def summary(self) -> tuple[dict, dict]:
        first = {k: float(np.mean(v[:max(1, len(v) // 10)])) for k, v in self.hist.items()}
        last = {k: float(np.mean(v[-max(1, len(v) // 10):])) for k, v in self.hist.items()}
        return first, last


def _trainable(model: AudioStory, stage: int) -> list[torch.nn.Parameter]:
    """Freeze everything, then open what the stage trains."""
    model.requires_grad_(False)
    model.enable_lora()
    for name, p in model.llm.named_parameters():
        if "lora_" in name or "norm" in name or "embed_tokens" in name or "lm_head" in name:
            p.requires_grad_(True)
    model.sem_proj.requires_grad_(True)
    if stage >= 2:
        model.res_proj.requires_grad_(True)
        model.fuse_attn.requires_grad_(True)
    if stage in (1, 3):
        model.detok.dit.requires_grad_(True)
        model.detok.duration_embed.requires_grad_(True)
        model.detok.pooled.requires_grad_(True)
    return [p for p in model.parameters() if p.requires_grad]


DTYPES = ("auto", "float32", "bfloat16")


def autocast_dtype(dtype: str, device: str):
    """The autocast dtype of the training passes, or None for plain float32: ``auto`` is
    bfloat16 on a CUDA device that supports it, float32 elsewhere; an explicit
    ``bfloat16`` needs CUDA. A bad value is a one-line ValidationError naming ``dtype``."""
    from ..errors import ValidationError
    if dtype not in DTYPES:
        raise ValidationError("dtype", f"must be one of {', '.join(DTYPES)} (got {str(dtype)[:40]!r})")
    cuda = str(device).startswith("cuda")
    if dtype == "float32" or (dtype == "auto" and not (cuda and torch.cuda.is_bf16_supported())):
        return None
    if not cuda:
        raise ValidationError("dtype", f"bfloat16 autocast needs a CUDA device (training on {device}); "
                                       "use float32 or auto")
    return torch.bfloat16


def _clip_batch(model: AudioStory, events: list, cache: dict) -> tuple[torch.Tensor, torch.Tensor]:
    """Latents (the VAE is frozen here, so each clip is encoded once) and durations, on
    the model's device."""
    cfg = model.cfg
    n = cfg.window_frames * cfg.hop
    dev = model.device
    todo = [e for e in events if id(e) not in cache]
    if todo:
        with torch.no_grad():
            lat = model.detok.encode(torch.from_numpy(np.stack([window(e.audio, n) for e in todo])).to(dev))
        cache.update({id(e): x for e, x in zip(todo, lat)})
    dur = torch.tensor([min(e.duration_s, cfg.max_clip_s) for e in events], device=dev)
    return torch.stack([cache[id(e)] for e in events]), dur


def _crop(audio: np.ndarray, n: int, rng: random.Random) -> np.ndarray:
    """A random n-sample stretch of a clip (zero-padded when shorter)."""
    start = rng.randrange(max(1, audio.shape[-1] - n + 1))
    return window(audio[:, start:], n)


def _train_vae(model: AudioStory, clips: list, steps: int, rng: random.Random, log: LossLog, report,
               deadline: float) -> int:
    cfg, vae, dev = model.cfg, model.detok.vae, model.device
    vae.requires_grad_(True)
    opt = torch.optim.AdamW(vae.parameters(), lr=cfg.vae_lr)
    n = cfg.window_frames * cfg.hop
    crop = max(1, int(cfg.vae_crop_s * cfg.sample_rate / cfg.hop)) * cfg.hop
    step = 0
    for step in range(steps):
        if time.monotonic() > deadline:
            break
        audio = torch.from_numpy(np.stack([_crop(e.audio, crop, rng) for e in rng.sample(clips, min(2 * cfg.batch_size, len(clips)))]))
        audio = audio.to(dev)
        loss = vae_loss(vae, audio)
        opt.zero_grad()
        loss.backward()
        opt.step()
        log.add({"vae": loss})
        report(step, {"vae": loss})
    vae.requires_grad_(False)
    with torch.no_grad():
        audio = torch.from_numpy(np.stack([window(e.audio, n) for e in clips[:64]])).to(dev)
        cfg.latent_scale = float(vae.encode(audio).latent_dist.mean.std()) or 1.0
    cfg.vae_trained = True
    return step + 1


def _sample_seq(model: AudioStory, s: Sample) -> tuple[list[int], list[int]]:
    evs = sorted(s.events, key=lambda e: e.start_s)
    return T.sequence(model.tokenizer, model.layout, s.story, s.duration_s,
                      [(e.caption, e.start_s, e.duration_s) for e in evs], s.reasoning)


def train(model: AudioStory, samples: list[Sample], stage: int, steps: int, *, seed: int = 0,
          progress=None, time_limit_s: float | None = None, device: str | None = None,
          dtype: str = "auto") -> dict:
    """Run one stage in place; returns {"loss_first": {...}, "loss_last": {...}, "steps_run"}.
    With ``time_limit_s`` the stage stops early (the VAE phase gets its share of the time).
    ``device``: move the model there first (auto | cpu | cuda | cuda:N | mps; None keeps
    it where it is); ``dtype``: see :func:`autocast_dtype`."""
    if stage not in (1, 2, 3):
        raise ValueError(f"stage must be 1, 2 or 3 (got {stage})")
    from . import resolve_device
    target = resolve_device(device) if device is not None else str(model.device)
    amp_dtype = autocast_dtype(dtype, target)   # both checked before anything moves
    if device is not None:
        model.to(target)
    dev = model.device

    def amp():
        if amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(dev.type, dtype=amp_dtype)

    cfg = model.cfg
    rng = random.Random(seed)
    t0 = time.monotonic()
    end = t0 + time_limit_s if time_limit_s else float("inf")
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    log = LossLog()
    report = progress or (lambda step, losses: None)
    model.train()
    clips = [e for s in samples for e in s.events]
    n_vae = 0
    if stage == 1 and not cfg.vae_trained and not cfg.vae_pretrained:
        n_vae = max(1, int(steps * cfg.vae_fraction))
        vae_end = t0 + time_limit_s * cfg.vae_fraction if time_limit_s else end
        n_vae = _train_vae(model, clips, n_vae, rng, log, report, vae_end)
    elif cfg.vae_pretrained and not cfg.vae_trained:
        cfg.vae_trained = True
    _trainable(model, stage)
    model.to(dev)   # the LoRA adapters were just made; keep them with the weights
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.lr)
    w = cfg.loss_weights
    multi = [s for s in samples if len(s.events) > 1] or samples
    latent_cache: dict[int, torch.Tensor] = {}
    step = n_vae - 1
    for step in range(n_vae, steps):
        if time.monotonic() > end:
            step -= 1
            break
        if stage == 1:
            batch = rng.sample(clips, min(cfg.batch_size, len(clips)))
            seqs = [T.sequence(model.tokenizer, model.layout, e.caption, e.duration_s,
                               [(e.caption, 0.0, e.duration_s)])[0] for e in batch]
            events = batch
        else:
            group = rng.sample(multi, min(cfg.batch_size, len(multi)))
            pairs = [_sample_seq(model, s) for s in group]
            seqs, labels = [p[0] for p in pairs], [p[1] for p in pairs]
            events = [e for s in group for e in sorted(s.events, key=lambda e: e.start_s)]
        latents, dur = _clip_batch(model, events, latent_cache)   # float32, outside the autocast
        with amp():
            logits, sem, res, _ = model.run_llm(seqs)
            targets = model.text_targets([e.caption for e in events])
            losses = {"align": F.mse_loss(sem.float(), targets)}
            fused = model.fuse(sem, res)
            if stage == 1:  # teacher conditioning for part of the batch: the DiT learns the target space fast
                teach = (torch.rand(len(events), generator=g) < cfg.teacher_cond).view(-1, 1, 1).to(dev)
                fused = torch.where(teach, targets / cfg.feature_scale, fused.float())
            losses["flow"] = model.detok.flow_loss(latents, fused, dur, g)
            if stage == 3:
                losses["lm"] = model.lm_loss(logits.float(), labels)
        total = sum(w.get(k, 1.0) * v for k, v in losses.items())
        opt.zero_grad()
        total.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        log.add(losses)
        report(step, losses)
    model.eval()
    first, last = log.summary()
    return {"loss_first": first, "loss_last": last, "steps_run": step + 1}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m engine.audiostory.train", description=__doc__.split("\n")[0])
    ap.add_argument("--stage", type=int, choices=(1, 2, 3), required=True)
    ap.add_argument("--config", default="tiny", help="tiny | small | paper (ignored when continuing a model)")
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--out", required=True, help="model folder; continued from when it already holds a model")
    ap.add_argument("--init", help="start from this model folder instead")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--data", help="folder of JSONL samples")
    src.add_argument("--synthetic", type=int, metavar="N", help="make N samples with the rules planner + procedural renderer")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", help="auto | cpu | cuda | cuda:N | mps (default: STORY_AUDIO_DEVICE, else auto = "
                                     "cuda, then mps, then cpu)")
    ap.add_argument("--dtype", default="auto", help="auto | float32 | bfloat16: auto is a bfloat16 autocast on "
                                                    "CUDA, float32 elsewhere (weights stay float32)")
    args = ap.parse_args(argv)
    from ..errors import BackendUnavailable, ValidationError
    from . import check_model_folder, resolve_device
    from .config import get_config
    t0 = time.time()
    out = Path(args.out)
    try:
        if args.steps < 1:
            raise ValidationError("steps", f"must be >= 1 (got {args.steps})")
        if args.synthetic is not None and args.synthetic < 1:
            raise ValidationError("synthetic", f"must be >= 1 (got {args.synthetic})")
        if out.exists() and not out.is_dir():
            raise ValidationError("out", f"{out} exists and is not a folder")
        device = resolve_device(args.device)
        autocast_dtype(args.dtype, device)
        init = args.init or (out if (out / "config.json").exists() else None)
        if init:
            folder = check_model_folder(init)
            try:
                model = AudioStory.from_pretrained(folder)
            except Exception as e:  # corrupt weights or config: one line, no traceback
                first = (str(e).strip().splitlines() or [type(e).__name__])[0]
                raise BackendUnavailable(f"cannot load AudioStory model {folder} ({first[:200]})") from None
        else:
            model = AudioStory.build(get_config(args.config))
        cfg = model.cfg
        if args.data:
            samples = load_folder(args.data, cfg.sample_rate, cfg.audio_channels)
        else:
            folder = make_synthetic(args.synthetic, out / "synthetic-data", cfg.sample_rate, seed=args.seed)
            samples = load_folder(folder, cfg.sample_rate, cfg.audio_channels)
    except (ValidationError, BackendUnavailable) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.stage > 1 and not init:
        print(f"warning: stage {args.stage} on fresh weights (no model in {out}); stage 1 trains the VAE "
              "and the DiT first", file=sys.stderr)

    def report(step: int, losses: dict) -> None:
        if step % 10 == 0 or step == args.steps - 1:
            text = " ".join(f"{k}={float(getattr(v, 'detach', lambda: v)()):.4f}" for k, v in losses.items())
            print(f"stage {args.stage} step {step + 1}/{args.steps} {text}", file=sys.stderr, flush=True)

    try:
        result = train(model, samples, args.stage, args.steps, seed=args.seed, progress=report, device=device,
                       dtype=args.dtype)
    except FloatingPointError as e:
        print(f"error: training diverged ({e}); try a lower learning rate", file=sys.stderr)
        return 1
    model.save_pretrained(out)
    summary = {"stage": args.stage, "config": cfg.name, "steps": args.steps, "samples": len(samples),
               "device": device, "dtype": args.dtype, "out": str(out), "seconds": round(time.time() - t0, 1), **result}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
