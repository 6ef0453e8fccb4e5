"""Pipelines with random weights built from configs: the real Stable Audio Open 1.0
geometry for GPU timing (``python -m engine bench --gpu``) and the in-memory tokenizer
they share with the tiny test pipelines. No hub, no downloads."""
from __future__ import annotations

import string

#: characters the in-memory tokenizer knows; anything else maps to <unk>
CHARS = string.ascii_lowercase + string.digits + ",.'-"


def char_t5_tokenizer(model_max_length: int = 32):
    """A T5 (unigram) tokenizer over single characters, built in memory."""
    from transformers import T5Tokenizer
    pieces = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    pieces += [("\u2581" + c, -1.0) for c in CHARS] + [(c, -2.0) for c in CHARS] + [("\u2581", -3.0)]
    return T5Tokenizer(vocab=pieces, extra_ids=0, model_max_length=model_max_length)


def stable_audio_open_random(seed: int = 0):
    """StableAudioPipeline at Stable Audio Open 1.0's sizes (T5-base text encoder, 24-layer
    DiT over a 1024-frame / 47.55 s window, 44.1 kHz stereo Oobleck VAE), random weights.
    Timing matches the release; the audio is noise."""
    import torch
    from diffusers import AutoencoderOobleck, EDMDPMSolverMultistepScheduler, StableAudioDiTModel, StableAudioPipeline
    from diffusers.pipelines.stable_audio.modeling_stable_audio import StableAudioProjectionModel
    from transformers import T5Config, T5EncoderModel
    torch.manual_seed(seed)
    text_encoder = T5EncoderModel(T5Config(vocab_size=32128, d_model=768, d_ff=3072, d_kv=64, num_heads=12,
                                           num_layers=12))
    return StableAudioPipeline(
        vae=AutoencoderOobleck(), text_encoder=text_encoder,
        projection_model=StableAudioProjectionModel(text_encoder_dim=768, conditioning_dim=768, min_value=0,
                                                    max_value=512),
        tokenizer=char_t5_tokenizer(128), transformer=StableAudioDiTModel(),
        scheduler=EDMDPMSolverMultistepScheduler(sigma_min=0.3, sigma_max=500, sigma_data=1.0,
                                                 sigma_schedule="exponential", prediction_type="v_prediction"))
