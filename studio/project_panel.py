"""Project panel: save / load project JSON, reopen recent (autosaved) projects."""
from __future__ import annotations

from types import SimpleNamespace

import gradio as gr


def build() -> SimpleNamespace:
    with gr.Column():
        with gr.Row():
            save_btn = gr.Button("Save project")
            saved = gr.File(label="Project JSON", interactive=False)
        upload = gr.File(label="Load a project JSON", file_types=[".json"], type="filepath")
        load_btn = gr.Button("Load")
        with gr.Row():
            recent = gr.Dropdown(label="Recent projects (autosaved)", choices=[], value=None, scale=3,
                                 allow_custom_value=True)  # a name from an API client: the handler checks it
            open_btn = gr.Button("Open", scale=1)
    return SimpleNamespace(save_btn=save_btn, saved=saved, upload=upload, load_btn=load_btn, recent=recent,
                           open_btn=open_btn)
