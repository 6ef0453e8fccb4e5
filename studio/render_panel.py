"""Render & mix panel: loudness target, true-peak ceiling, Render, player."""
from __future__ import annotations

import gradio as gr


def build():
    with gr.Column():
        with gr.Row():
            lufs = gr.Slider(label="Loudness target (LUFS)", minimum=-30, maximum=-10, value=-16, step=1)
            ceiling = gr.Slider(label="True-peak ceiling (dBTP)", minimum=-6, maximum=0, value=-1, step=0.5)
        render_btn = gr.Button("Render & mix", variant="primary")
        player = gr.Audio(label="Mix", type="filepath", interactive=False)
    return lufs, ceiling, render_btn, player
