"""One adapter per supported pipeline family, over the pipeline's own components, and
one denoising loop for all of them.

Why not call ``pipe(...)``: a batch here holds events of different durations (Stable
Audio conditions every row on its own seconds), text embeddings blended with the story
context, per-row generators, initial audio at a chosen noise level, and a loop that
reports every step and can be cancelled between steps. The adapters reuse the
pipelines' modules and conventions (tokenisation, projection, duration embedding,
scheduler, VAE) so a row rendered here matches ``pipe(...)`` for the same seed.

Conditioning travels as a dict of tensors with the batch first; a key ``k`` with a
``k + "_mask"`` partner is a token sequence padded to a fixed length.
"""
from __future__ import annotations

import math
from typing import Callable, Optional

from ...errors import RenderCancelled


# --- conditioning dicts --------------------------------------------------------------
def cat_rows(conds: list[dict]) -> dict:
    import torch
    return {k: torch.cat([c[k] for c in conds]) for k in conds[0]}


def blend(cond: dict, context: dict, weight: float) -> dict:
    """(1 - weight) * caption + weight * story context, token by token; padded positions are
    zeroed first and a token is valid where either text has one."""
    if weight <= 0.0:
        return cond
    out = {}
    for k, a in cond.items():
        if k.endswith("_mask"):
            continue
        b = context[k].expand_as(a)
        m = cond.get(k + "_mask")
        if m is not None:
            mb = context[k + "_mask"].expand_as(m)
            a = a * m.unsqueeze(-1).to(a.dtype)
            b = b * mb.unsqueeze(-1).to(b.dtype)
            out[k + "_mask"] = (m.bool() | mb.bool()).to(m.dtype)
        out[k] = (1.0 - weight) * a + weight * b
    return out


def _pad_tokens(x, mask, length: int):
    import torch.nn.functional as F
    extra = length - x.shape[1]
    if extra <= 0:
        return x[:, :length], mask[:, :length]
    return F.pad(x, (0, 0, 0, extra)), F.pad(mask, (0, extra))


# --- the families ---------------------------------------------------------------------
class Family:
    """What the renderer needs from a pipeline. Latents are (batch, channels, frames, ...)
    with time on ``time_axis``; ``samples_per_frame`` model-rate samples per latent frame."""
    pipeline: str = ""
    time_axis: int = 2
    default_steps: int = 50
    default_guidance: float = 1.0
    can_encode_audio: bool = True

    def __init__(self, pipe, device: str, dtype) -> None:
        import torch
        self.torch, self.pipe, self.device, self.dtype = torch, pipe, device, dtype

    # geometry
    sample_rate: int
    channels: int
    samples_per_frame: int
    window_s: float

    def frames(self, duration_s: float) -> int:
        return max(1, math.ceil(duration_s * self.sample_rate / self.samples_per_frame))

    # discrete-time schedulers (EDM DPM-Solver, DDIM, ...): img2img-style start index
    def schedule(self, steps: int, noise_level: float):
        sch = self.pipe.scheduler
        sch.set_timesteps(steps, device=self.device)
        i0 = min(steps - 1, int(round(steps * (1.0 - noise_level)))) if noise_level < 1.0 else 0
        if i0 and hasattr(sch, "set_begin_index"):
            sch.set_begin_index(i0)
        return sch.timesteps[i0:]

    def start(self, noise, init, noise_level: float, timesteps):
        sch = self.pipe.scheduler
        if init is None or noise_level >= 1.0:
            return noise * sch.init_noise_sigma
        return sch.add_noise(init, noise, timesteps[:1].repeat(noise.shape[0]))

    def step(self, out, t, x, generators):
        return self.pipe.scheduler.step(out, t, x, **self._step_kwargs(generators)).prev_sample

    def _step_kwargs(self, generators) -> dict:
        import inspect
        params = inspect.signature(self.pipe.scheduler.step).parameters
        kw = {"generator": generators} if "generator" in params else {}
        if "eta" in params:
            kw["eta"] = 0.0
        return kw

    def encode_audio(self, wave):  # pragma: no cover - overridden where supported
        raise NotImplementedError


class StableAudio(Family):
    """Stable Audio Open 1.0: T5 -> projection, seconds start/end conditioning, a DiT
    over the whole window (always denoised in full), Oobleck VAE."""
    pipeline = "StableAudioPipeline"
    default_steps, default_guidance = 100, 7.0

    def __init__(self, pipe, device, dtype):
        super().__init__(pipe, device, dtype)
        self.sample_rate = int(pipe.vae.config.sampling_rate)
        self.channels = int(pipe.vae.config.audio_channels)
        self.samples_per_frame = int(pipe.vae.hop_length)
        self.window_frames = int(pipe.transformer.config.sample_size)
        self.window_s = self.window_frames * self.samples_per_frame / self.sample_rate

    def frames(self, duration_s):
        return self.window_frames

    def latent_shape(self, frames):
        return (int(self.pipe.transformer.config.in_channels), frames)

    def encode_text(self, texts: list[str]) -> dict:
        p = self.pipe
        tok = p.tokenizer(texts, padding="max_length", max_length=p.tokenizer.model_max_length, truncation=True,
                          return_tensors="pt")
        ids, mask = tok.input_ids.to(self.device), tok.attention_mask.to(self.device)
        return {"text": p.text_encoder(ids, attention_mask=mask)[0], "text_mask": mask}

    def _project(self, cond):
        proj = self.pipe.projection_model(text_hidden_states=cond["text"]).text_hidden_states
        return proj * cond["text_mask"].unsqueeze(-1).to(proj.dtype)

    def conditioning(self, pos, neg, durations, frames, cfg):
        torch = self.torch
        ends = torch.tensor([float(d) for d in durations], device=self.device)
        sec = self.pipe.projection_model(start_seconds=torch.zeros_like(ends), end_seconds=ends)
        s, e = sec.seconds_start_hidden_states, sec.seconds_end_hidden_states
        ctx = torch.cat([self._project(pos), s, e], dim=1)
        glob = torch.cat([s, e], dim=2)
        if cfg:  # no negative prompt: the pipeline's all-zero unconditional input
            neg_ctx = torch.zeros_like(ctx) if neg is None else torch.cat([self._project(neg), s, e], dim=1)
            ctx, glob = torch.cat([neg_ctx, ctx]), torch.cat([glob, glob])
        from diffusers.models.embeddings import get_1d_rotary_pos_embed
        rot = get_1d_rotary_pos_embed(self.pipe.rotary_embed_dim, frames + glob.shape[1], use_real=True,
                                      repeat_interleave_real=False)
        return {"ctx": ctx, "glob": glob, "rot": rot}

    def predict(self, x, t, cond):
        x = self.pipe.scheduler.scale_model_input(x, t)
        return self.pipe.transformer(x, t.unsqueeze(0), encoder_hidden_states=cond["ctx"],
                                     global_hidden_states=cond["glob"], rotary_embedding=cond["rot"],
                                     return_dict=False)[0]

    def decode(self, latents):
        return self.pipe.vae.decode(latents).sample.float().cpu()

    def encode_audio(self, wave):
        return self.pipe.vae.encode(wave.to(self.device, self.dtype)).latent_dist.mean


class StableAudio3(Family):
    """Stable Audio 3: T5Gemma text, duration embedding as AdaLN input and one extra
    context token, rectified-flow DiT, SAME autoencoder, log-SNR sigma schedule."""
    pipeline = "StableAudio3Pipeline"
    default_guidance = 1.0
    logsnr = (-6.2, 2.0)

    def __init__(self, pipe, device, dtype):
        super().__init__(pipe, device, dtype)
        self.sample_rate = int(pipe.vae.config.sampling_rate)
        self.channels = int(pipe.vae.config.audio_channels)
        self.samples_per_frame = int(pipe.vae.downsampling_ratio)
        self.window_s = float(pipe.duration_embedder.config.max_val)
        self.default_steps = 8 if pipe.scheduler.config.get("stochastic_sampling") else 100

    def latent_shape(self, frames):
        return (int(self.pipe.vae.config.latent_dim), frames)

    def encode_text(self, texts):
        p = self.pipe
        n = min(getattr(p.tokenizer, "model_max_length", 256), 256)
        tok = p.tokenizer(texts, padding="max_length", max_length=n, truncation=True, return_tensors="pt")
        ids, mask = tok.input_ids.to(self.device), tok.attention_mask.to(self.device)
        return {"text": p.text_encoder(ids, attention_mask=mask)[0], "text_mask": mask}

    def conditioning(self, pos, neg, durations, frames, cfg):
        torch = self.torch
        glob = self.pipe.duration_embedder(torch.tensor([float(d) for d in durations], device=self.device))

        def context(c):
            token = glob.unsqueeze(1).to(c["text"].dtype)
            return torch.cat([c["text"], token], 1), torch.cat([c["text_mask"], c["text_mask"].new_ones(len(glob), 1)], 1)

        ctx, mask = context(pos)
        if cfg:
            nctx, nmask = context(neg)
            ctx, mask, glob = torch.cat([nctx, ctx]), torch.cat([nmask, mask]), torch.cat([glob, glob])
        return {"ctx": ctx, "mask": mask, "glob": glob}

    def schedule(self, steps, noise_level):
        from diffusers.pipelines.stable_audio_3.pipeline_stable_audio_3 import logsnr_sigma_schedule
        sigmas = logsnr_sigma_schedule(steps, *self.logsnr, sigma_max=min(1.0, noise_level))
        self.pipe.scheduler.set_timesteps(sigmas=sigmas, device=self.device)
        return self.pipe.scheduler.timesteps

    def start(self, noise, init, noise_level, timesteps):
        if init is None or noise_level >= 1.0:
            return noise
        return (1.0 - noise_level) * init + noise_level * noise

    def predict(self, x, t, cond):
        return self.pipe.transformer(x, t.expand(x.shape[0]), encoder_hidden_states=cond["ctx"],
                                     global_hidden_states=cond["glob"], encoder_attention_mask=cond["mask"],
                                     return_dict=False)[0]

    def decode(self, latents):
        return self.pipe.vae.decode(latents).sample.clamp(-1.0, 1.0).float().cpu()

    def encode_audio(self, wave):
        return self.pipe.vae.encode(wave.to(self.device, self.dtype)).latents


class AudioLDM2(Family):
    """AudioLDM 2: CLAP + T5 -> projection -> GPT-2 generated embeddings, a mel-spectrogram
    latent UNet, HiFi-GAN vocoder. Mono; its VAE encodes mel spectrograms, so initial
    audio from a waveform is not offered (long events continue from the previous
    chunk's latents instead)."""
    pipeline = "AudioLDM2Pipeline"
    default_steps, default_guidance = 200, 3.5
    can_encode_audio = False
    channels = 1

    def __init__(self, pipe, device, dtype):
        super().__init__(pipe, device, dtype)
        voc = pipe.vocoder.config
        self.sample_rate = int(voc.sampling_rate)
        self.scale = int(pipe.vae_scale_factor)
        self.samples_per_frame = int(math.prod(voc.upsample_rates)) * self.scale
        self.window_s = pipe.unet.config.sample_size * self.samples_per_frame / self.sample_rate

    def latent_shape(self, frames):
        return (int(self.pipe.unet.config.in_channels), frames, int(self.pipe.vocoder.config.model_in_dim) // self.scale)

    def encode_text(self, texts):
        p = self.pipe
        t5, mask, gen = p.encode_prompt(texts, self.device, 1, False)
        t5, mask = _pad_tokens(t5, mask, int(p.tokenizer_2.model_max_length))
        return {"t5": t5, "t5_mask": mask, "gen": gen}

    def conditioning(self, pos, neg, durations, frames, cfg):
        return cat_rows([neg, pos]) if cfg else dict(pos)

    def predict(self, x, t, cond):
        x = self.pipe.scheduler.scale_model_input(x, t)
        return self.pipe.unet(x, t, encoder_hidden_states=cond["gen"], encoder_hidden_states_1=cond["t5"],
                              encoder_attention_mask_1=cond["t5_mask"], return_dict=False)[0]

    def decode(self, latents):
        mel = self.pipe.vae.decode(latents / self.pipe.vae.config.scaling_factor).sample
        return self.pipe.mel_spectrogram_to_waveform(mel).float().cpu().unsqueeze(1)


FAMILIES = {f.pipeline: f for f in (StableAudio, StableAudio3, AudioLDM2)}


# --- the loop ------------------------------------------------------------------------
def denoise(fam: Family, pos: dict, neg: Optional[dict], durations: list[float], generators: list, frames: int, *,
            steps: int, guidance: float, init=None, noise_level: float = 1.0,
            on_step: Optional[Callable[[int, int], None]] = None, cancel=None):
    """Latents for one batch: row i starts from ``generators[i]``'s noise (drawn on the CPU,
    so a seed means the same on every device), optionally from ``init`` at ``noise_level``."""
    torch = fam.torch
    cfg = guidance > 1.0
    timesteps = fam.schedule(steps, noise_level)
    shape = fam.latent_shape(frames)
    noise = torch.cat([torch.randn((1, *shape), generator=g, dtype=torch.float32) for g in generators])
    x = fam.start(noise.to(fam.device, fam.dtype), init, noise_level, timesteps)
    cond = fam.conditioning(pos, neg, durations, frames, cfg)
    for i, t in enumerate(timesteps):
        if cancel is not None and cancel.is_set():
            raise RenderCancelled(f"cancelled at denoising step {i} of {len(timesteps)}")
        out = fam.predict(torch.cat([x, x]) if cfg else x, t, cond)
        if cfg:
            uncond, text = out.chunk(2)
            out = uncond + guidance * (text - uncond)
        x = fam.step(out, t, x, generators)
        if on_step is not None:
            on_step(i + 1, len(timesteps))
    return x
