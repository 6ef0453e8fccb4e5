"""Story panel: prompt, total duration, planner, Plan."""
from __future__ import annotations

import gradio as gr


def build():
    with gr.Column():
        story = gr.Textbox(label="Story", lines=4, max_length=20000,
                           placeholder="A storm rolls over a farmhouse at night, then dawn breaks and a rooster crows.")
        with gr.Row():
            duration = gr.Number(label="Duration (s)", value=30, minimum=1, maximum=3600)
            planner = gr.Dropdown(label="Planner", choices=["rules"], value="rules")
        plan_btn = gr.Button("Plan", variant="primary")
    return story, duration, planner, plan_btn
