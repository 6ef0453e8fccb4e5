"""A tiny random causal chat LM built in code, for tests that must run the real
transformers loading and generation path without downloading weights.

    folder = save_tiny_chat_lm(tmp_path / "tiny-lm")
    engine.plan(story, 30, planner="transformers", model=str(folder))

The tokenizer is a byte-level BPE trained in memory (so it can spell any byte
sequence, which grammar-constrained decoding needs), wrapped as a
``PreTrainedTokenizerFast`` with a ChatML-style chat template. The model is a
2-layer Qwen2 with hidden size 32 and seeded random weights: its text is noise,
which is the point: only the grammar keeps it parseable.
"""
from __future__ import annotations

from pathlib import Path

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
# enough JSON, digits and English for the BPE to learn a few hundred merges
CORPUS = [
    '{"reasoning": "three moments in story order", "setting": "farmhouse at night", "mood": "tense", '
    '"events": [{"caption": "heavy rain on a tin roof", "start_s": 0.0, "duration_s": 12.5, "track": "ambience"}]}',
    "A storm rolls over a farmhouse at night. Thunder cracks in the distance. Then a door creaks open.",
    "waves break on the shore, a gull cries, wind howls, footsteps on gravel, a dog barks twice",
    "0 1 2 3 4 5 6 7 8 9 10 12.5 20.0 30 0.5 1.25 fx music ambience calm happy sad epic",
]


def build_tokenizer(vocab_size: int = 600):
    """A byte-level BPE ``PreTrainedTokenizerFast`` with ChatML special tokens and chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(CORPUS * 4, trainer=trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   chat_template=CHAT_TEMPLATE)


def build_model(vocab_size: int, *, seed: int = 0, hidden_size: int = 32, num_layers: int = 2):
    """A seeded random 2-layer Qwen2 causal LM (about 60k parameters)."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(seed)
    config = Qwen2Config(vocab_size=vocab_size, hidden_size=hidden_size, intermediate_size=2 * hidden_size,
                         num_hidden_layers=num_layers, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=8192, tie_word_embeddings=True)
    return Qwen2ForCausalLM(config).eval()


def save_tiny_chat_lm(folder: str | Path, *, seed: int = 0) -> Path:
    """Write a tiny chat LM (model + tokenizer) to ``folder``, loadable with ``from_pretrained``."""
    folder = Path(folder)
    tokenizer = build_tokenizer()
    model = build_model(len(tokenizer), seed=seed)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
