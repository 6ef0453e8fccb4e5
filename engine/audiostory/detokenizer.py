"""The detokenizer: a Flux-style DiT over Oobleck latents, trained by flow matching.

Conditioning = the event's fused query features (N tokens of ``cond_dim``) plus one
duration token; pooled conditioning = mean of those tokens -> Linear -> ReLU. For
classifier-free guidance the fused features are replaced by zeros (the "empty
caption"); the duration token stays.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class Detokenizer(nn.Module):
    def __init__(self, cfg, dit, vae):
        super().__init__()
        self.cfg = cfg
        self.dit = dit
        self.vae = vae
        self.duration_embed = nn.Sequential(nn.Linear(1, cfg.cond_dim), nn.SiLU(), nn.Linear(cfg.cond_dim, cfg.cond_dim))
        self.pooled = nn.Linear(cfg.cond_dim, cfg.cond_dim)

    # -- conditioning --------------------------------------------------------------
    def condition(self, fused: torch.Tensor, duration_s: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(tokens (B, N+1, C), pooled (B, C)) from fused (B, N, C) and durations (B,)."""
        d = (duration_s.to(device=fused.device, dtype=fused.dtype) / self.cfg.max_clip_s).clamp(0, 1).view(-1, 1)
        tokens = torch.cat([fused, self.duration_embed(d).unsqueeze(1)], dim=1)
        return tokens, F.relu(self.pooled(tokens.mean(dim=1)))

    def velocity(self, x: torch.Tensor, sigma: torch.Tensor, tokens: torch.Tensor, pooled: torch.Tensor) -> torch.Tensor:
        """Predicted flow (noise - data) for latents x (B, T, D) at noise level sigma (B,) in [0, 1]."""
        t_ids = torch.zeros(tokens.shape[1], 3, dtype=x.dtype, device=x.device)
        x_ids = torch.zeros(x.shape[1], 3, dtype=x.dtype, device=x.device)
        x_ids[:, 1] = torch.arange(x.shape[1], dtype=x.dtype, device=x.device)
        return self.dit(hidden_states=x, encoder_hidden_states=tokens, pooled_projections=pooled, timestep=sigma,
                        img_ids=x_ids, txt_ids=t_ids, return_dict=False)[0]

    # -- training ------------------------------------------------------------------
    def flow_loss(self, latents: torch.Tensor, fused: torch.Tensor, duration_s: torch.Tensor,
                  generator: torch.Generator | None = None) -> torch.Tensor:
        """Rectified-flow loss: x_s = (1 - s) x0 + s eps, target eps - x0. The random draws
        come from ``generator`` on its own device (the CPU one in training, so a seed
        draws the same numbers on every device) and are moved to the latents' device."""
        b, dev = latents.shape[0], latents.device
        gdev = generator.device if generator is not None else torch.device("cpu")
        keep = (torch.rand(b, generator=generator, device=gdev) >= self.cfg.cond_dropout)
        keep = keep.to(device=fused.device, dtype=fused.dtype).view(b, 1, 1)
        tokens, pooled = self.condition(fused * keep, duration_s)
        sigma = torch.sigmoid(torch.randn(b, generator=generator, device=gdev))  # logit-normal times
        sigma = sigma.to(device=dev, dtype=latents.dtype)
        eps = torch.randn(latents.shape, generator=generator, device=gdev).to(device=dev, dtype=latents.dtype)
        s = sigma.view(b, 1, 1)
        pred = self.velocity((1 - s) * latents + s * eps, sigma, tokens, pooled)
        return F.mse_loss(pred, eps - latents)

    # -- inference -----------------------------------------------------------------
    @torch.no_grad()
    def sample(self, fused: torch.Tensor, duration_s: float, seed: int, *, steps: int | None = None,
               guidance_scale: float | None = None) -> torch.Tensor:
        """Latents (1, T, D) for one window from fused (1, N, C), starting from noise of
        ``seed`` (drawn on the CPU, then moved to fused's device: the same seed starts
        from the same noise on every device)."""
        from diffusers import FlowMatchEulerDiscreteScheduler
        cfg = self.cfg
        g = torch.Generator().manual_seed(int(seed))
        x = torch.randn((1, cfg.window_frames, cfg.vae_latent), generator=g).to(device=fused.device, dtype=fused.dtype)
        dur = torch.tensor([duration_s], device=fused.device)
        cond = self.condition(fused, dur)
        uncond = self.condition(torch.zeros_like(fused), dur)
        scale = cfg.guidance_scale if guidance_scale is None else guidance_scale
        sched = FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=1.0)
        sched.set_timesteps(steps or cfg.sample_steps, device=x.device)
        for t in sched.timesteps:
            sigma = (t / 1000.0).view(1).to(x.dtype)
            v = self.velocity(x, sigma, *cond)
            if scale != 1.0:
                v_u = self.velocity(x, sigma, *uncond)
                v = v_u + scale * (v - v_u)
            x = sched.step(v, t, x, return_dict=False)[0]
        return x

    # -- the VAE -------------------------------------------------------------------
    def encode(self, audio: torch.Tensor) -> torch.Tensor:
        """Audio (B, channels, samples) -> normalised latents (B, T, D) (posterior means)."""
        return (self.vae.encode(audio).latent_dist.mean / self.cfg.latent_scale).transpose(1, 2)

    def decode(self, latents: torch.Tensor) -> torch.Tensor:
        """Normalised latents (B, T, D) -> audio (B, channels, samples)."""
        return self.vae.decode(latents.transpose(1, 2) * self.cfg.latent_scale).sample


def vae_loss(vae, audio: torch.Tensor) -> torch.Tensor:
    """Multi-resolution log-STFT + relative waveform L1 (it pins the low end and removes the
    transposed convolutions' Nyquist whine) + a small penalty on the latent means:
    trains an Oobleck from scratch as a plain autoencoder (posterior means are decoded —
    the detokenizer only ever uses the means, and the untrained posterior noise would
    drown the latents and teach the decoder to ignore them)."""
    mean = vae.encode(audio).latent_dist.mean
    rec = vae.decode(mean).sample[..., :audio.shape[-1]]
    loss = F.l1_loss(rec, audio) / (audio.abs().mean() + 1e-4) + 1e-4 * mean.pow(2).mean()
    x, y = rec.reshape(-1, rec.shape[-1]), audio.reshape(-1, audio.shape[-1])
    for n in (128, 512, 2048):
        w = torch.hann_window(n, device=x.device)
        sx = torch.stft(x, n, n // 4, window=w, return_complex=True).abs()
        sy = torch.stft(y, n, n // 4, window=w, return_complex=True).abs()
        sc = torch.linalg.norm(sy - sx, dim=(1, 2)) / (torch.linalg.norm(sy, dim=(1, 2)) + 1e-7)  # per clip
        loss = loss + F.l1_loss(torch.log(sx + 1e-4), torch.log(sy + 1e-4)) + sc.mean()
    return loss
