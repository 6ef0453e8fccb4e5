"""Timeline panel: the editable event table with add / duplicate / delete, inline
validation messages, and the planner's reasoning beside it."""
from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from .table import HEADER_TYPES, HEADERS


def build() -> SimpleNamespace:
    with gr.Row():
        with gr.Column(scale=4):
            table = gr.Dataframe(headers=HEADERS, datatype=HEADER_TYPES, type="array", interactive=True,
                                 label="Timeline (edit cells; click a row to select its event)", wrap=True,
                                 elem_id="timeline-table", max_height=420)
            table_msg = gr.Markdown("", elem_id="table-msg")
            with gr.Row():
                add_btn = gr.Button("Add row", size="sm")
                dup_btn = gr.Button("Duplicate selected", size="sm")
                del_btn = gr.Button("Delete selected", size="sm", variant="stop")
        with gr.Column(scale=1):
            reasoning = gr.Textbox(label="Planner reasoning", lines=14, interactive=False)
    return SimpleNamespace(table=table, table_msg=table_msg, add_btn=add_btn, dup_btn=dup_btn, del_btn=del_btn,
                           reasoning=reasoning)
