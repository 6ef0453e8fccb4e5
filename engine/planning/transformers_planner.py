"""The ``transformers`` planner: a local Hugging Face chat model, decoding held to the
answer schema by an llguidance grammar so that even a weak model ends on valid JSON.

    tl = engine.plan(story, 30, planner="transformers", model="models/qwen2.5-1.5b-instruct")
    p = engine.get_planner("transformers", model="Qwen/Qwen2.5-1.5B-Instruct")   # keep p: it holds the weights
    tl = p.plan(story, 30)

torch, transformers and llguidance are imported on first use, never at engine import.
Device ``auto`` picks cuda, then mps, then cpu; dtype ``auto`` is bfloat16 on cuda,
float32 elsewhere. Loading counts against ``timeout_s``; generation stops at the deadline.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..errors import BackendUnavailable, ValidationError
from .llm import MODEL_ENV, DeadlineExceeded, LLMPlanner
from .prompt import schema_to_lark

DEVICES = ("auto", "cpu", "cuda", "mps")
DTYPES = ("auto", "float32", "float16", "bfloat16")


class TransformersPlanner(LLMPlanner):
    name = "transformers"

    def __init__(self, *, device: str = "auto", dtype: str = "auto", grammar: bool = True, seed: int = 0,
                 local_files_only: bool = False, **options: Any) -> None:
        super().__init__(**options)
        if device not in DEVICES and not (isinstance(device, str) and device.startswith("cuda:")):
            raise ValidationError("device", f"must be one of {', '.join(DEVICES)} or cuda:N (got {device!r})"[:120])
        if dtype not in DTYPES:
            raise ValidationError("dtype", f"must be one of {', '.join(DTYPES)} (got {dtype!r})"[:120])
        self.device, self.dtype, self.grammar, self.seed = device, dtype, bool(grammar), int(seed)
        self.local_files_only = bool(local_files_only)
        self._loaded: tuple | None = None       # (tokenizer, model, llguidance tokenizer or None)
        self.grammar_note = ""                  # why decoding ran without the grammar, if it did

    def unavailable_hint(self) -> str:
        repo = self.model if self.model and not Path(self.model).expanduser().exists() else "Qwen/Qwen2.5-1.5B-Instruct"
        local = "models/" + repo.rstrip("/").split("/")[-1]
        return (f"Download the weights once (`hf download {repo} --local-dir {local}`) and pass "
                f"model='{local}' (or set {MODEL_ENV}={local})")

    def notes(self) -> list[str]:
        if self.grammar_note and self.grammar:
            return [f"transformers planner: decoding was not grammar-constrained ({self.grammar_note})"]
        return []

    # -- loading --------------------------------------------------------------------------
    def _load(self) -> tuple:
        if self._loaded is not None:
            return self._loaded
        if not self.model:
            raise BackendUnavailable(f"no model given: pass model=<hub id or folder> or set {MODEL_ENV}")
        path = Path(self.model).expanduser()
        looks_local = self.model.startswith((".", "/", "~")) or "\\" in self.model or self.model.count("/") > 1
        if looks_local and not path.is_dir():
            raise BackendUnavailable(f"model folder {self.model!r} does not exist")
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as e:
            raise BackendUnavailable(f"{e.name} is not installed (pip install torch transformers)") from None
        source = str(path) if path.is_dir() else self.model
        device = self._device(torch)
        dtype = self._dtype(torch, device)
        try:
            tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=self.local_files_only)
            model = AutoModelForCausalLM.from_pretrained(source, dtype=dtype, local_files_only=self.local_files_only)
            model = model.to(device).eval()
        except Exception as e:   # hub errors, missing files, bad configs: all mean "cannot use this model"
            first = (str(e).strip().splitlines() or [type(e).__name__])[0]
            raise BackendUnavailable(f"cannot load model {self.model!r} ({first[:200]})") from None
        self._loaded = (tokenizer, model, self._grammar_tokenizer(tokenizer))
        return self._loaded

    def _device(self, torch) -> str:
        if self.device != "auto":
            return self.device
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        return "mps" if mps is not None and mps.is_available() else "cpu"

    def _dtype(self, torch, device: str):
        if self.dtype != "auto":
            return getattr(torch, self.dtype)
        if device.startswith("cuda") and torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float32

    def _grammar_tokenizer(self, tokenizer):
        if not self.grammar:
            self.grammar_note = "grammar disabled"
            return None
        try:
            import llguidance.hf
            return llguidance.hf.from_tokenizer(tokenizer)
        except ImportError:
            self.grammar_note = "llguidance is not installed"
        except Exception as e:   # slow (non-Rust) tokenizers and odd vocabularies
            self.grammar_note = f"llguidance cannot use this tokenizer ({str(e)[:100]})"
        return None

    # -- one answer -------------------------------------------------------------------------
    def complete(self, messages: list[dict], schema: dict, timeout_s: float) -> str:
        deadline = time.monotonic() + timeout_s
        tokenizer, model, ll_tokenizer = self._load()
        import torch

        if time.monotonic() >= deadline:
            raise DeadlineExceeded()
        ids = self._prompt_ids(tokenizer, messages).to(model.device)
        processors, stops = [], []
        eos = [i for i in (tokenizer.eos_token_id,) if i is not None]
        if ll_tokenizer is not None:
            import llguidance
            matcher = llguidance.LLMatcher(ll_tokenizer, llguidance.LLMatcher.grammar_from_lark(schema_to_lark(schema)),
                                           log_level=0)
            if matcher.is_error():
                self.grammar_note = f"grammar rejected: {matcher.get_error()[:100]}"
            else:
                eos = sorted({*ll_tokenizer.eos_tokens, *eos})
                processors, stops = _grammar_hooks(matcher, ids.shape[1], eos)
        kwargs = {"do_sample": self.temperature > 0}
        if self.temperature > 0:
            kwargs["temperature"] = self.temperature
            torch.manual_seed(self.seed)
        try:
            with torch.inference_mode():
                out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=self.max_new_tokens,
                                     max_time=max(deadline - time.monotonic(), 0.01), logits_processor=processors,
                                     stopping_criteria=stops, eos_token_id=eos or None,
                                     pad_token_id=tokenizer.pad_token_id if tokenizer.pad_token_id is not None
                                     else (eos or [0])[0],
                                     **kwargs)
        except (RuntimeError, ValueError) as e:   # out of memory, unsupported generation settings
            raise BackendUnavailable(f"generation failed ({str(e).splitlines()[0][:200] if str(e) else type(e).__name__})") from None
        return tokenizer.decode(out[0, ids.shape[1]:], skip_special_tokens=True)

    @staticmethod
    def _prompt_ids(tokenizer, messages: list[dict]):
        """The chat template's prompt; templates without a system role get the rules in the
        first user turn; tokenizers without a template get a plain transcript."""
        if getattr(tokenizer, "chat_template", None):
            merged = [{"role": "user", "content": messages[0]["content"] + "\n\n" + messages[1]["content"]},
                      *messages[2:]]
            for variant in (messages, merged):
                try:
                    return tokenizer.apply_chat_template(variant, add_generation_prompt=True, return_dict=True,
                                                         return_tensors="pt")["input_ids"]
                except Exception:   # jinja TemplateError: e.g. "System role not supported"
                    continue
        text = "".join(f"{m['role'].capitalize()}: {m['content']}\n\n" for m in messages) + "Assistant: "
        return tokenizer(text, return_tensors="pt")["input_ids"]


def _grammar_hooks(matcher, prompt_len: int, eos: list[int]) -> tuple[list, list]:
    """A logits processor that feeds each new token to the llguidance matcher and masks
    every token the grammar forbids, and a stopping criterion for a finished grammar."""
    import numpy as np
    import torch
    from transformers import LogitsProcessor, StoppingCriteria

    class GrammarMask(LogitsProcessor):
        seen = prompt_len

        def __call__(self, input_ids, scores):
            for tok in input_ids[0, self.seen:].tolist():
                matcher.consume_token(tok)
            self.seen = input_ids.shape[1]
            allowed = np.zeros(scores.shape[-1], dtype=bool)
            if matcher.is_error():      # cannot happen with a valid grammar; end the answer rather than loop
                allowed[[e for e in eos if e < len(allowed)]] = True
            else:
                bits = np.unpackbits(np.frombuffer(matcher.compute_bitmask(), dtype=np.uint8), bitorder="little")
                n = min(len(bits), len(allowed))
                allowed[:n] = bits[:n].astype(bool)
            return scores.masked_fill(~torch.from_numpy(allowed).to(scores.device), float("-inf"))

    class GrammarDone(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            done = matcher.is_error() or matcher.is_stopped()
            return torch.full((input_ids.shape[0],), done, dtype=torch.bool, device=input_ids.device)

    return [GrammarMask()], [GrammarDone()]
