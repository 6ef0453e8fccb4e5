"""Story panel: prompt, total duration, planner and its options, preset gallery, Plan."""
from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from .fields import named
from .handlers import planner_names
from .presets import PRESETS


def build() -> SimpleNamespace:
    with gr.Column():
        story = gr.Textbox(label="Story", lines=4, max_length=20000, elem_id="story",
                           placeholder="A storm rolls over a farmhouse at night, then dawn breaks and a rooster crows.")
        with gr.Row():
            duration = named(gr.Number(label="Duration (s)", value=30, minimum=1, maximum=3600, elem_id="duration"),
                             "duration_s")
            names = planner_names()
            planner = gr.Dropdown(label="Planner", choices=names, value="rules" if "rules" in names else names[0])
        with gr.Accordion("Planner options (LLM planners)", open=False):
            model = gr.Textbox(label="Model (hub id, folder or served name)", max_length=300)
            base_url = gr.Textbox(label="Base URL (OpenAI-compatible server)", max_length=300)
            api_key = gr.Textbox(label="API key (never saved)", type="password", max_length=300)
        plan_btn = gr.Button("Plan", variant="primary", elem_id="plan-btn")
        presets = gr.Dataset(label="Presets (click to load)", components=["textbox"], type="index",
                             layout="gallery", samples_per_page=12, elem_id="presets",
                             samples=[[p.title] for p in PRESETS()])
    return SimpleNamespace(story=story, duration=duration, planner=planner, model=model, base_url=base_url,
                           api_key=api_key, plan_btn=plan_btn, presets=presets)
