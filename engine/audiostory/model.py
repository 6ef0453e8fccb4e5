"""The AudioStory model: a causal LM with query tokens, two projectors, the fusion, and
the detokenizer. One folder holds it all (``save_pretrained`` / ``from_pretrained``)::

    DIR/config.json  DIR/llm/  DIR/tokenizer/  DIR/dit/  DIR/vae/  DIR/heads.safetensors
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from . import tokens as T
from .config import AudioStoryConfig, build_dit, build_llm, build_tokenizer, build_vae
from .detokenizer import Detokenizer

HEADS_FILE = "heads.safetensors"
# diffusers' Oobleck still calls torch.nn.utils.weight_norm; the notice is not for our users
warnings.filterwarnings("ignore", message=r".*weight_norm.*deprecated", category=FutureWarning)


def caption_states(captions: list[str], n_slots: int) -> list:
    """MiniLM last-layer token states (n_slots, 384) per caption, zero-padded: the
    offline stand-in for the paper's Flan-T5 targets (same encoder as caption matching)."""
    import numpy as np
    from ..rendering.procedural.embedder import get_embedder
    emb = get_embedder()
    out = []
    with emb._lock, torch.inference_mode():
        for enc in emb._tok.encode_batch(captions):
            ids = torch.tensor([enc.ids])
            mask = torch.tensor([enc.attention_mask])
            h = emb._model(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)).last_hidden_state
            st = np.zeros((n_slots, h.shape[-1]), np.float32)
            k = min(n_slots, int(mask.sum()))
            st[:k] = h[0, :k].numpy()
            out.append(st)
    return out


def projector(d_in: int, d_out: int) -> nn.Module:
    return nn.Sequential(nn.Linear(d_in, d_out), nn.GELU(), nn.Linear(d_out, d_out))


class AudioStory(nn.Module):
    def __init__(self, cfg: AudioStoryConfig, llm, tokenizer, detok: Detokenizer):
        super().__init__()
        self.cfg, self.llm, self.tokenizer, self.detok = cfg, llm, tokenizer, detok
        self.layout = T.Layout.from_tokenizer(tokenizer, cfg.n_semantic, cfg.n_residual)
        hidden = llm.config.hidden_size
        self.sem_proj = projector(hidden, cfg.cond_dim)
        self.res_proj = projector(hidden, cfg.cond_dim)
        self.fuse_attn = nn.MultiheadAttention(cfg.cond_dim, cfg.fuse_heads, batch_first=True)
        nn.init.zeros_(self.fuse_attn.out_proj.weight)   # residual path starts closed: fused == sem / scale
        nn.init.zeros_(self.fuse_attn.out_proj.bias)
        g = torch.Generator().manual_seed(3)
        if cfg.text_dim == cfg.cond_dim:
            proj = torch.eye(cfg.text_dim)
        else:  # a fixed norm-preserving map of the text encoder's space into the conditioning space
            q, _ = torch.linalg.qr(torch.randn(max(cfg.cond_dim, cfg.text_dim), cfg.text_dim, generator=g))
            proj = q[:cfg.cond_dim].T if cfg.cond_dim >= cfg.text_dim else q[:cfg.text_dim, :cfg.cond_dim]
        self.register_buffer("text_proj", proj.contiguous())
        self._targets: dict[str, torch.Tensor] = {}

    @property
    def device(self) -> torch.device:
        """Where the model's weights are (``model.to(device)`` moves them all)."""
        return self.text_proj.device

    # -- construction ------------------------------------------------------------------
    @classmethod
    def build(cls, cfg: AudioStoryConfig) -> "AudioStory":
        """Fresh weights: the tiny LM/tokenizer/DiT/VAE built in code, or a hub LM for big configs."""
        if cfg.llm == "tiny":
            tok = build_tokenizer(cfg)
            llm = build_llm(cfg, len(tok))
        else:
            from transformers import AutoModelForCausalLM, AutoTokenizer
            tok = AutoTokenizer.from_pretrained(cfg.llm)
            llm = AutoModelForCausalLM.from_pretrained(cfg.llm)
        T.add_tokens(tok, llm, cfg.n_semantic, cfg.n_residual)
        torch.manual_seed(4)
        return cls(cfg, llm, tok, Detokenizer(cfg, build_dit(cfg), build_vae(cfg)))

    @classmethod
    def from_pretrained(cls, folder: str | os.PathLike) -> "AudioStory":
        from diffusers import AutoencoderOobleck, FluxTransformer2DModel
        from safetensors.torch import load_file
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as hf_logging
        from diffusers.utils import logging as df_logging
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        df_logging.set_verbosity_error()
        df_logging.disable_progress_bar()
        folder = Path(folder)
        cfg = AudioStoryConfig.load(folder)
        llm = AutoModelForCausalLM.from_pretrained(folder / "llm")
        tok = AutoTokenizer.from_pretrained(folder / "tokenizer")
        detok = Detokenizer(cfg, FluxTransformer2DModel.from_pretrained(folder / "dit"),
                            AutoencoderOobleck.from_pretrained(folder / "vae"))
        model = cls(cfg, llm, tok, detok)
        missing, unexpected = model.load_state_dict(load_file(folder / HEADS_FILE), strict=False)
        bad = [k for k in missing if not k.startswith(("llm.", "detok.dit.", "detok.vae."))]
        if bad or unexpected:
            raise ValueError(f"{folder / HEADS_FILE}: missing {bad[:3]}, unexpected {unexpected[:3]}")
        return model.eval()

    def save_pretrained(self, folder: str | os.PathLike) -> None:
        """Write every component; LoRA adapters are merged into the LM weights first (in
        place, so this model and the saved one compute the same numbers)."""
        from safetensors.torch import save_file
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.merge_lora()
        self.cfg.save(folder)
        self.llm.save_pretrained(folder / "llm")
        self.tokenizer.save_pretrained(folder / "tokenizer")
        self.detok.dit.save_pretrained(folder / "dit")
        self.detok.vae.save_pretrained(folder / "vae")
        heads = {k: v.detach().cpu().contiguous() for k, v in self.state_dict().items()
                 if not k.startswith(("llm.", "detok.dit.", "detok.vae."))}
        save_file(heads, folder / HEADS_FILE)

    # -- LoRA ---------------------------------------------------------------------------
    def enable_lora(self) -> None:
        """Wrap the LM with LoRA adapters; layer norms and the (new) embeddings stay trainable."""
        from peft import LoraConfig, get_peft_model
        if hasattr(self.llm, "peft_config"):
            return
        conf = LoraConfig(r=self.cfg.lora_r, lora_alpha=self.cfg.lora_alpha, lora_dropout=0.0,
                          target_modules=list(self.cfg.lora_targets))
        self.llm = get_peft_model(self.llm, conf)
        for name, p in self.llm.named_parameters():
            if "norm" in name or "embed_tokens" in name or "lm_head" in name:
                p.requires_grad_(True)

    def merge_lora(self) -> None:
        if hasattr(self.llm, "peft_config"):
            self.llm = self.llm.merge_and_unload()

    # -- the bridge ---------------------------------------------------------------------
    def fuse(self, sem: torch.Tensor, res: torch.Tensor) -> torch.Tensor:
        """fused = (sem + MHA(q=sem, k=res, v=res)) / feature_scale — the only place the
        scale is undone, shared by training and inference."""
        attn, _ = self.fuse_attn(sem, res, res, need_weights=False)
        return (sem + attn) / self.cfg.feature_scale

    def run_llm(self, seqs: list[list[int]]):
        """Teacher-forced pass over token sequences: (logits, sem (E, N, C), res (E, M, C),
        events per sequence). Query features are the last hidden states at the slots."""
        n = max(len(s) for s in seqs)
        lay = self.layout
        ids = torch.full((len(seqs), n), lay.pad, dtype=torch.long)
        mask = torch.zeros((len(seqs), n), dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, :len(s)] = torch.tensor(s)
            mask[i, :len(s)] = 1
        ids, mask = ids.to(self.device), mask.to(self.device)
        out = self.llm(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        h = out.hidden_states[-1]
        sem, res, counts = [], [], []
        for i, s in enumerate(seqs):
            pos = T.query_positions(s, lay)
            counts.append(len(pos))
            for s0, r0 in pos:
                sem.append(h[i, s0:s0 + self.cfg.n_semantic])
                res.append(h[i, r0:r0 + self.cfg.n_residual])
        empty = h.new_zeros((0, 1, h.shape[-1]))
        sem_h = torch.stack(sem) if sem else empty
        res_h = torch.stack(res) if res else empty
        return out.logits, self.sem_proj(sem_h), self.res_proj(res_h), counts

    def text_targets(self, captions: list[str]) -> torch.Tensor:
        """(B, N, C) regression targets: the caption's MiniLM token states, padded or cut to
        N slots, mapped into the conditioning space, times feature_scale (computed and
        cached on the CPU, returned on the model's device)."""
        todo = [c for c in dict.fromkeys(captions) if c not in self._targets]
        if todo:
            states = caption_states(todo, self.cfg.n_semantic)
            for c, st in zip(todo, states):
                self._targets[c] = torch.from_numpy(st) @ self.text_proj.cpu() * self.cfg.feature_scale
        return torch.stack([self._targets[c] for c in captions]).to(self.device)

    # -- losses -----------------------------------------------------------------------
    def lm_loss(self, logits: torch.Tensor, labels: list[list[int]]) -> torch.Tensor:
        lab = torch.full(logits.shape[:2], T.IGNORE, dtype=torch.long)
        for i, l in enumerate(labels):
            lab[i, :len(l)] = torch.tensor(l)
        lab = lab.to(logits.device)
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), lab[:, 1:].reshape(-1),
                               ignore_index=T.IGNORE)
