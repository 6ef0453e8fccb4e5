"""Render & mix panel: renderer, Render (per-event progress) and Cancel; mix controls
(crossfade, ducking, loudness target, true-peak ceiling); the player."""
from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from .fields import named
from .handlers import renderer_names


def build() -> SimpleNamespace:
    with gr.Column():
        names = renderer_names()
        renderer = gr.Dropdown(label="Renderer", choices=names, value="procedural" if "procedural" in names else names[0])
        with gr.Row():
            render_btn = gr.Button("Render & mix", variant="primary", elem_id="render-btn")
            cancel_btn = gr.Button("Cancel", variant="stop", elem_id="cancel-btn")
        with gr.Row():
            crossfade = named(gr.Slider(label="Crossfade / edge fades (s)", minimum=0, maximum=5, value=0, step=0.05),
                              "crossfade_s")
            ducking = gr.Checkbox(label="Duck beds under fx", value=True)
        with gr.Row():
            lufs = named(gr.Slider(label="Loudness target (LUFS)", minimum=-30, maximum=-10, value=-16, step=1),
                         "loudness_lufs")
            ceiling = named(gr.Slider(label="True-peak ceiling (dBTP)", minimum=-6, maximum=0, value=-1, step=0.5),
                            "true_peak_db")
        mix_btn = gr.Button("Remix")
        player = gr.Audio(label="Mix", type="filepath", interactive=False, elem_id="mix-player")
    return SimpleNamespace(renderer=renderer, render_btn=render_btn, cancel_btn=cancel_btn, crossfade=crossfade,
                           ducking=ducking, lufs=lufs, ceiling=ceiling, mix_btn=mix_btn, player=player)
