"""Tiny random-weight audio pipelines built in code, for tests: no hub, no downloads.

Each ``build_*`` returns a diffusers pipeline whose geometry is real (same classes,
same wiring as the released checkpoints) but whose sizes are a few dozen parameters
wide, so a whole generation runs in well under a second on CPU. ``save_tiny`` writes
one with ``save_pretrained`` so tests load it through ``model=<folder>`` like a user.

Reusable pieces: ``tiny_oobleck_vae`` (the Stable Audio / AudioStory VAE),
``tiny_t5_tokenizer`` / ``tiny_t5_encoder`` (in-memory T5 text side).
"""
from __future__ import annotations

from pathlib import Path

import torch

from engine.rendering.neural.random_pipelines import CHARS as _CHARS
from engine.rendering.neural.random_pipelines import char_t5_tokenizer


def randomize_zero_init(module, seed: int = 0, std: float = 0.2):
    """Give weights that a model zero-initialises on purpose (output projections of
    residual blocks) random values, so a random tiny model's output depends on its input."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            if p.ndim >= 2 and not p.any():
                p.copy_(torch.randn(p.shape, generator=g) * std)
    return module


def tiny_t5_tokenizer(model_max_length: int = 32):
    """A T5 tokenizer with a character vocabulary, built in memory."""
    return char_t5_tokenizer(model_max_length)


def tiny_t5_encoder(d_model: int = 32, vocab_size: int = 128):
    from transformers import T5Config, T5EncoderModel
    return T5EncoderModel(T5Config(vocab_size=vocab_size, d_model=d_model, d_ff=37, d_kv=8, num_heads=4,
                                   num_layers=2, relative_attention_num_buckets=8))


def tiny_oobleck_vae(sampling_rate: int = 8000, downsampling_ratios=(2, 4, 4, 8), latent_channels: int = 3,
                     audio_channels: int = 2):
    """Stable Audio's Oobleck VAE at toy width; hop length = prod(downsampling_ratios)."""
    from diffusers import AutoencoderOobleck
    n = len(downsampling_ratios)
    return AutoencoderOobleck(encoder_hidden_size=6, downsampling_ratios=list(downsampling_ratios),
                              channel_multiples=[min(2 ** i, 4) for i in range(1, n + 1)], decoder_channels=3,
                              decoder_input_channels=latent_channels, audio_channels=audio_channels,
                              sampling_rate=sampling_rate)


def build_tiny_stable_audio(*, sampling_rate: int = 8000, window_latents: int = 32, seed: int = 0):
    """StableAudioPipeline (Stable Audio Open 1.0 layout). Window = window_latents * 256 / sampling_rate
    seconds (1.024 s by default). The scheduler is the EDM DPM-Solver++ the real checkpoint's
    cosine SDE solver maps to (sigma_max 500, v-prediction, exponential schedule)."""
    from diffusers import EDMDPMSolverMultistepScheduler, StableAudioDiTModel, StableAudioPipeline
    from diffusers.pipelines.stable_audio.modeling_stable_audio import StableAudioProjectionModel
    torch.manual_seed(seed)
    transformer = StableAudioDiTModel(sample_size=window_latents, in_channels=3, out_channels=3, num_layers=2,
                                      attention_head_dim=4, num_key_value_attention_heads=2, cross_attention_dim=4,
                                      time_proj_dim=8, global_states_input_dim=8, cross_attention_input_dim=4)
    torch.manual_seed(seed)
    vae = tiny_oobleck_vae(sampling_rate)
    torch.manual_seed(seed)
    text_encoder = tiny_t5_encoder()
    projection = StableAudioProjectionModel(text_encoder_dim=32, conditioning_dim=4, min_value=0, max_value=512)
    scheduler = EDMDPMSolverMultistepScheduler(sigma_min=0.3, sigma_max=500, sigma_data=1.0,
                                               sigma_schedule="exponential", prediction_type="v_prediction")
    return StableAudioPipeline(vae=vae, text_encoder=text_encoder, projection_model=projection,
                               tokenizer=tiny_t5_tokenizer(), transformer=transformer, scheduler=scheduler)


def build_tiny_stable_audio3(*, sampling_rate: int = 8000, window_s: float = 1.0, seed: int = 0):
    """StableAudio3Pipeline: SAME autoencoder (hop 64), T5Gemma text encoder, duration embedder,
    rectified-flow DiT, FlowMatchEuler scheduler with ping-pong (stochastic) sampling. The window
    (the duration embedder's max_val; 384 s in the release) is 1 s here so chunking is exercised."""
    from diffusers import AutoencoderSAME, FlowMatchEulerDiscreteScheduler, StableAudio3DiTModel, StableAudio3Pipeline
    from diffusers.pipelines.stable_audio_3.modeling_stable_audio_3 import StableAudio3DurationEmbedder
    from transformers import T5GemmaEncoderModel
    from transformers.models.t5gemma.configuration_t5gemma import T5GemmaConfig, T5GemmaModuleConfig
    torch.manual_seed(seed)
    vae = AutoencoderSAME(audio_channels=2, patch_size=16, encoder_channels=8, encoder_c_mults=(2,),
                          encoder_strides=(4,), encoder_transformer_depths=(2,), latent_dim=8, dim_heads=8,
                          ff_mult=2, sampling_rate=sampling_rate)
    torch.manual_seed(seed)
    transformer = StableAudio3DiTModel(io_channels=8, embed_dim=16, depth=2, num_heads=2, cond_token_dim=16,
                                       global_cond_dim=16, local_add_cond_dim=9, timestep_features_dim=8,
                                       ff_mult=2.0, num_memory_tokens=2)
    torch.manual_seed(seed)
    module = dict(vocab_size=128, hidden_size=16, intermediate_size=24, num_hidden_layers=2, num_attention_heads=2,
                  num_key_value_heads=1, head_dim=8, max_position_embeddings=64, sliding_window=16,
                  layer_types=["full_attention", "full_attention"])
    cfg = T5GemmaConfig(encoder=T5GemmaModuleConfig(**module), decoder=T5GemmaModuleConfig(**module), vocab_size=128,
                        is_encoder_decoder=False)
    text_encoder = T5GemmaEncoderModel(cfg)
    duration = StableAudio3DurationEmbedder(output_dim=16, fourier_dim=8, max_val=window_s)
    scheduler = FlowMatchEulerDiscreteScheduler(shift=1.0, stochastic_sampling=True)
    randomize_zero_init(vae, seed)
    randomize_zero_init(transformer, seed + 1)
    return StableAudio3Pipeline(vae=vae, text_encoder=text_encoder, tokenizer=tiny_t5_tokenizer(),
                                duration_embedder=duration, transformer=transformer, scheduler=scheduler)


def tiny_roberta_tokenizer(model_max_length: int = 32):
    """A byte-level BPE (Roberta) tokenizer with a character vocabulary, built in memory."""
    from transformers import RobertaTokenizer
    special = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    chars = list(_CHARS) + ["\u0120" + c for c in _CHARS] + ["\u0120"]
    vocab = {t: i for i, t in enumerate(special + chars)}
    merges = [("\u0120", c) for c in _CHARS]
    return RobertaTokenizer(vocab=vocab, merges=merges, model_max_length=model_max_length)


def build_tiny_audioldm2(*, sampling_rate: int = 8000, seed: int = 0):
    """AudioLDM2Pipeline at the sizes of diffusers' own dummy components; the vocoder upsamples
    64x so the native window (32 latent frames x 2 x 64 samples) is 0.512 s at 8 kHz."""
    from diffusers import AudioLDM2Pipeline, AutoencoderKL, DDIMScheduler
    from diffusers.pipelines.audioldm2.modeling_audioldm2 import AudioLDM2ProjectionModel, AudioLDM2UNet2DConditionModel
    from transformers import (ClapAudioConfig, ClapConfig, ClapFeatureExtractor, ClapModel, ClapTextConfig,
                              GPT2Config, GPT2Model, SpeechT5HifiGan, SpeechT5HifiGanConfig)
    torch.manual_seed(seed)
    unet = AudioLDM2UNet2DConditionModel(block_out_channels=(32, 64), layers_per_block=1, sample_size=32,
                                         in_channels=4, out_channels=4,
                                         down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
                                         up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
                                         cross_attention_dim=([None, 16, 32], [None, 16, 32]))
    scheduler = DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False,
                              set_alpha_to_one=False)
    torch.manual_seed(seed)
    vae = AutoencoderKL(block_out_channels=[32, 64], in_channels=1, out_channels=1,
                        down_block_types=["DownEncoderBlock2D"] * 2, up_block_types=["UpDecoderBlock2D"] * 2,
                        latent_channels=4)
    torch.manual_seed(seed)
    text_cfg = ClapTextConfig(bos_token_id=0, eos_token_id=2, hidden_size=16, intermediate_size=37,
                              layer_norm_eps=1e-05, num_attention_heads=2, num_hidden_layers=2, pad_token_id=1,
                              vocab_size=100, projection_dim=16)
    audio_cfg = ClapAudioConfig(spec_size=64, window_size=4, num_mel_bins=64, intermediate_size=37,
                                layer_norm_eps=1e-05, depths=[2, 2], num_attention_heads=[2, 2], num_hidden_layers=2,
                                hidden_size=192, projection_dim=16, patch_size=2, patch_stride=2,
                                patch_embed_input_channels=4)
    text_encoder = ClapModel(ClapConfig(text_config=text_cfg.to_dict(), audio_config=audio_cfg.to_dict(),
                                        projection_dim=16))
    torch.manual_seed(seed)
    text_encoder_2 = tiny_t5_encoder(d_model=32)
    torch.manual_seed(seed)
    # saved as GPT2Model, the class the released checkpoint names: the loader must upgrade it
    language_model = GPT2Model(GPT2Config(n_embd=16, n_head=2, n_layer=2, vocab_size=100, n_ctx=99, n_positions=99))
    language_model.config.max_new_tokens = 8
    torch.manual_seed(seed)
    projection = AudioLDM2ProjectionModel(text_encoder_dim=16, text_encoder_1_dim=32, langauge_model_dim=16)
    vocoder = SpeechT5HifiGan(SpeechT5HifiGanConfig(model_in_dim=8, sampling_rate=sampling_rate,
                                                    upsample_initial_channel=16, upsample_rates=[8, 8],
                                                    upsample_kernel_sizes=[16, 16], resblock_kernel_sizes=[3],
                                                    resblock_dilation_sizes=[[1, 3]], normalize_before=False))
    return AudioLDM2Pipeline(vae=vae, text_encoder=text_encoder, text_encoder_2=text_encoder_2,
                             projection_model=projection, language_model=language_model,
                             tokenizer=tiny_roberta_tokenizer(), tokenizer_2=tiny_t5_tokenizer(),
                             feature_extractor=ClapFeatureExtractor(feature_size=8, hop_length=7900),
                             unet=unet, scheduler=scheduler, vocoder=vocoder)


BUILDERS = {"stable_audio": build_tiny_stable_audio, "stable_audio3": build_tiny_stable_audio3,
            "audioldm2": build_tiny_audioldm2}


def save_tiny(kind: str, folder: str | Path, **options) -> Path:
    """Build one tiny pipeline and write it with ``save_pretrained``; returns the folder."""
    folder = Path(folder)
    BUILDERS[kind](**options).save_pretrained(folder)
    return folder
