"""Export panel: downloads of the mix and the project."""
from __future__ import annotations

import gradio as gr


def build():
    with gr.Column():
        files = gr.File(label="Downloads (mix, project)", file_count="multiple", interactive=False)
    return files
