"""Event inspector: pick an event, play its take, re-render (same or new seed), keep
takes and A/B between them, choose one, lock the event."""
from __future__ import annotations

from types import SimpleNamespace

import gradio as gr


def build() -> SimpleNamespace:
    with gr.Column():
        with gr.Row():
            event = gr.Dropdown(label="Event", choices=[], value=None, allow_custom_value=True, scale=1,
                                elem_id="event-pick")
            lock = gr.Checkbox(label="Locked (render all keeps its take)", value=False, scale=1)
        info = gr.Markdown("")
        take_player = gr.Audio(label="Take", type="filepath", interactive=False, elem_id="take-player")
        with gr.Row():
            rerender_btn = gr.Button("Re-render (same seed)", size="sm")
            new_seed_btn = gr.Button("Re-render (new seed)", size="sm", variant="primary")
        takes = gr.Radio(label="Kept takes (click to audition)", choices=[], value=None)
        use_btn = gr.Button("Use this take", size="sm")
    return SimpleNamespace(event=event, lock=lock, info=info, take_player=take_player, rerender_btn=rerender_btn,
                           new_seed_btn=new_seed_btn, takes=takes, use_btn=use_btn)
