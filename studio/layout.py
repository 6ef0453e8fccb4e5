"""Wires the panels to the handlers. Every action is a named API endpoint."""
from __future__ import annotations

import gradio as gr

from . import export_panel, handlers, render_panel, story_panel, timeline_panel


def _guard(fn):
    """Turn StudioError into a visible message without a traceback; state unchanged."""
    def wrapped(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except handlers.StudioError as e:
            raise gr.Error(str(e), print_exception=False) from None
    wrapped.__name__ = fn.__name__
    wrapped.__doc__ = fn.__doc__
    return wrapped


def build_demo() -> gr.Blocks:
    with gr.Blocks(title="Narrative Audio Studio") as demo:
        gr.Markdown("## Narrative Audio Studio\nType a story, plan it into sound events, edit the timeline, render and mix.")
        status = gr.Markdown("")
        with gr.Row():
            with gr.Column(scale=1):
                story, duration, planner, plan_btn = story_panel.build()
                lufs, ceiling, render_btn, player = render_panel.build()
                files = export_panel.build()
            with gr.Column(scale=2):
                table, reasoning = timeline_panel.build()
                with gr.Accordion("Project JSON", open=False):
                    # the project travels as visible data (not gr.State) so API clients get and send it
                    state = gr.JSON(label="Project", value=None)

        @_guard
        def on_plan(story_text, dur, planner_name):
            return handlers.plan(story_text, dur, planner_name)

        @_guard
        def on_render(st, rows, target, tp, progress=gr.Progress()):
            def report(frac, msg):
                progress(frac, desc=msg)
            return handlers.render_all(st, rows, target, tp, progress=report)

        plan_btn.click(on_plan, [story, duration, planner], [state, table, reasoning, status], api_name="plan")
        render_btn.click(on_render, [state, table, lufs, ceiling], [state, player, files, status],
                         api_name="render_all", concurrency_limit=2)
    return demo
