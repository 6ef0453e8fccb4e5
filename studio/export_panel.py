"""Export panel: mix format, then mix, stems zip, project JSON, OTIO, RPP and one
bundle as downloads."""
from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from .handlers import EXPORT_FORMATS


def build() -> SimpleNamespace:
    with gr.Column():
        fmt = gr.Dropdown(label="Mix format", choices=EXPORT_FORMATS, value="wav")
        export_btn = gr.Button("Export")
        files = gr.File(label="Downloads: mix, stems.zip, project.json, timeline.otio, session.rpp, bundle.zip",
                        file_count="multiple", interactive=False, elem_id="downloads")
    return SimpleNamespace(fmt=fmt, export_btn=export_btn, files=files)
