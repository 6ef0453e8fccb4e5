"""Timeline panel: the editable event table and the planner's reasoning."""
from __future__ import annotations

import gradio as gr

from .handlers import COLUMNS, DATATYPES


def build():
    with gr.Column():
        table = gr.Dataframe(headers=COLUMNS, datatype=DATATYPES, type="array", interactive=True,
                             label="Timeline (edit captions, times, gains; add or delete rows)", wrap=True)
        reasoning = gr.Textbox(label="Planner reasoning", lines=3, interactive=False)
    return table, reasoning
