"""Timeline view panel: the matplotlib picture (lanes, bars, mix waveform, loudness)."""
from __future__ import annotations

import gradio as gr


def build() -> gr.Plot:
    return gr.Plot(label="Timeline view (hatched red = edited since its take)", elem_id="timeline-view")
