"""AudioStory configurations and the builders of the tiny in-code components.

``tiny`` is real product code: a random 2-layer causal LM, a BPE tokenizer trained in
memory on a built-in caption vocabulary, a small Flux DiT and a small Oobleck VAE at
16 kHz mono. It trains on a 2-core CPU in minutes and lets tests run the full path with
no downloads. ``paper`` matches the published sizes (Qwen2.5-3B-Instruct, 64 + 8 query
slots, a 6 + 18 block Flux DiT over a 44.1 kHz stereo Oobleck) and is meant for GPUs.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class AudioStoryConfig:
    name: str = "tiny"
    # -- language model ---------------------------------------------------------------
    llm: str = "tiny"                  # "tiny" (random, built in code) or a hub id / local folder
    llm_hidden: int = 64
    llm_layers: int = 2
    llm_heads: int = 4
    vocab_size: int = 600              # tiny BPE vocabulary before special tokens
    n_semantic: int = 8                # N semantic ("bridging") query slots
    n_residual: int = 2                # M residual query slots
    lora_r: int = 8
    lora_alpha: int = 16
    lora_targets: tuple = ("q_proj", "k_proj", "v_proj", "o_proj")
    # -- bridging ----------------------------------------------------------------------
    cond_dim: int = 384                # detokenizer conditioning width
    fuse_heads: int = 4
    feature_scale: float = 1.0         # targets are text_states * scale; fused / scale conditions the DiT
    text_dim: int = 384                # MiniLM token states (the semantic regression target)
    # -- detokenizer (Flux DiT) ----------------------------------------------------------
    dit_layers: int = 1
    dit_single_layers: int = 2
    dit_heads: int = 2
    dit_head_dim: int = 32
    rope_axes: tuple = (8, 12, 12)     # must sum to dit_head_dim
    max_clip_s: float = 1.5            # one generation window; longer events are joined windows
    sample_steps: int = 16
    guidance_scale: float = 3.0
    cond_dropout: float = 0.1          # classifier-free guidance: unconditional rate in training
    # -- VAE (Oobleck) ------------------------------------------------------------------
    sample_rate: int = 16000
    audio_channels: int = 1
    vae_hidden: int = 16               # Oobleck encoder width; latents have vae_hidden // 2 channels
    vae_decoder_channels: int = 16
    vae_ratios: tuple = (4, 8, 8)
    vae_multiples: tuple = (1, 4, 8)
    vae_pretrained: str = ""           # hub id / folder of a trained Oobleck; "" = train it in stage 1
    vae_trained: bool = False          # set once stage 1 has trained the VAE (or it was pretrained)
    latent_scale: float = 1.0          # latents are divided by this before flow matching (set by stage 1)
    # -- training ---------------------------------------------------------------------
    lr: float = 1e-3
    batch_size: int = 4
    vae_lr: float = 1e-3
    vae_crop_s: float = 0.25           # the VAE trains on random crops of this length (it is convolutional)
    vae_fraction: float = 0.35         # stage 1 share of steps spent on the VAE (when it is trained here)
    teacher_cond: float = 0.5          # stage 1: share of batches conditioned on the text targets
    loss_weights: dict = field(default_factory=lambda: {"lm": 1.0, "align": 1.0, "flow": 1.0, "vae": 1.0})
    max_tokens: int = 512

    @property
    def vae_latent(self) -> int:
        return self.vae_hidden // 2

    @property
    def hop(self) -> int:
        n = 1
        for r in self.vae_ratios:
            n *= r
        return n

    @property
    def window_frames(self) -> int:
        return -(-int(round(self.max_clip_s * self.sample_rate)) // self.hop)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> "AudioStoryConfig":
        d = json.loads(text)
        known = {f.name for f in dataclasses.fields(cls)}
        d = {k: (tuple(v) if isinstance(v, list) else v) for k, v in d.items() if k in known}
        return cls(**d)

    def save(self, folder: Path) -> None:
        (Path(folder) / "config.json").write_text(self.to_json())

    @classmethod
    def load(cls, folder: Path) -> "AudioStoryConfig":
        return cls.from_json((Path(folder) / "config.json").read_text())


CONFIGS = {
    "tiny": AudioStoryConfig(),
    "small": AudioStoryConfig(
        name="small", llm_hidden=256, llm_layers=4, llm_heads=4, vocab_size=2000, n_semantic=16, n_residual=4,
        lora_r=16, lora_alpha=32, cond_dim=384, dit_layers=2, dit_single_layers=4, dit_heads=4, dit_head_dim=64,
        rope_axes=(16, 24, 24), max_clip_s=5.0, sample_steps=25, sample_rate=22050, vae_hidden=32,
        vae_decoder_channels=32, vae_ratios=(2, 4, 4, 8), vae_multiples=(1, 2, 4, 8), lr=3e-4, batch_size=8),
    "paper": AudioStoryConfig(
        name="paper", llm="Qwen/Qwen2.5-3B-Instruct", n_semantic=64, n_residual=8, lora_r=32, lora_alpha=64,
        cond_dim=1024, fuse_heads=8, feature_scale=10.0, dit_layers=6, dit_single_layers=18, dit_heads=8,
        dit_head_dim=128, rope_axes=(16, 56, 56), max_clip_s=30.0, sample_steps=50, guidance_scale=4.5,
        sample_rate=44100, audio_channels=2, vae_hidden=128, vae_decoder_channels=128, vae_ratios=(2, 4, 4, 8, 8),
        vae_multiples=(1, 2, 4, 8, 16), vae_pretrained="stabilityai/stable-audio-open-1.0",
        lr=1e-4, batch_size=4, max_tokens=4096),
}


def get_config(name: str) -> AudioStoryConfig:
    from ..errors import ValidationError
    if name not in CONFIGS:
        raise ValidationError("config", f"unknown config {name!r} (available: {', '.join(CONFIGS)})")
    return dataclasses.replace(CONFIGS[name])


# -- in-code components for the tiny/small configs -------------------------------------
CORPUS = """
rain falls steadily on a tin roof heavy light drizzle downpour storm thunder rumbles cracks in the distance
a church bell tolls rings chimes slowly once twice three times bells clock tower cathedral
a heartbeat pounds thumps beats slow fast nervous pulse chest
birds sing chirp tweet in the trees at dawn morning songbirds forest gull crows cry rooster crowing
wind howls blows through leaves waves break crash on the shore ocean sea river stream water flows drips
a door creaks opens closes slams knock knocks wood oak footsteps walk run on gravel snow stairs floor
a dog barks growls whines cat meows purrs horse gallops hooves crowd cheers murmurs people talk laugh
an engine starts idles revs car passes by train horn siren wails clock ticks fire crackles embers pop
glass shatters breaks metal clangs a sword a gun shot explosion booms music plays soft piano tense calm
quiet room tone outdoor ambience night city street traffic insects crickets owl hoots wolf howls frogs
the of and with then after while suddenly finally meanwhile distant close loud soft gentle big small
event events seconds second total duration is story reasoning from to
"""


def build_tokenizer(cfg: AudioStoryConfig):
    """A lowercase BPE tokenizer trained in memory on the built-in corpus."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Metaspace(),
                                                 pre_tokenizers.Digits(individual_digits=True),
                                                 pre_tokenizers.Punctuation()])
    tok.decoder = decoders.Metaspace()
    alphabet = list("abcdefghijklmnopqrstuvwxyz0123456789.,;:!?'-()\"/")
    trainer = trainers.BpeTrainer(vocab_size=cfg.vocab_size, special_tokens=["<pad>", "<unk>", "<eos>"],
                                  initial_alphabet=alphabet + ["▁" + a for a in alphabet], show_progress=False)
    tok.train_from_iterator([line for line in CORPUS.strip().splitlines()] * 3, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", unk_token="<unk>", eos_token="<eos>")


def build_llm(cfg: AudioStoryConfig, vocab_size: int):
    """A random Qwen2 causal LM of the configured size (seeded)."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM
    torch.manual_seed(0)
    conf = Qwen2Config(vocab_size=vocab_size, hidden_size=cfg.llm_hidden, intermediate_size=cfg.llm_hidden * 2,
                       num_hidden_layers=cfg.llm_layers, num_attention_heads=cfg.llm_heads,
                       num_key_value_heads=cfg.llm_heads, max_position_embeddings=cfg.max_tokens * 2,
                       tie_word_embeddings=False, pad_token_id=0, eos_token_id=2, bos_token_id=2)
    return Qwen2ForCausalLM(conf)


def build_dit(cfg: AudioStoryConfig):
    import torch
    from diffusers import FluxTransformer2DModel
    torch.manual_seed(1)
    return FluxTransformer2DModel(
        patch_size=1, in_channels=cfg.vae_latent, out_channels=cfg.vae_latent, num_layers=cfg.dit_layers,
        num_single_layers=cfg.dit_single_layers, attention_head_dim=cfg.dit_head_dim,
        num_attention_heads=cfg.dit_heads, joint_attention_dim=cfg.cond_dim, pooled_projection_dim=cfg.cond_dim,
        guidance_embeds=False, axes_dims_rope=tuple(cfg.rope_axes))


def build_vae(cfg: AudioStoryConfig):
    import torch
    from diffusers import AutoencoderOobleck
    if cfg.vae_pretrained:
        return AutoencoderOobleck.from_pretrained(cfg.vae_pretrained, subfolder="vae")
    torch.manual_seed(2)
    return AutoencoderOobleck(encoder_hidden_size=cfg.vae_hidden, downsampling_ratios=list(cfg.vae_ratios),
                              channel_multiples=list(cfg.vae_multiples), decoder_channels=cfg.vae_decoder_channels,
                              decoder_input_channels=cfg.vae_latent, audio_channels=cfg.audio_channels,
                              sampling_rate=cfg.sample_rate)
