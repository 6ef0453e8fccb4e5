"""Wires the panels to the handlers. Every action is a named API endpoint; the project
travels as a gr.JSON value (not gr.State) so API clients can read and send it."""
from __future__ import annotations

import functools
import logging

import gradio as gr

from engine.errors import ValidationError, one_line
from engine.paths import sub_dir

from . import (export_panel, handlers, inspector_panel, project_panel, render_panel, story_panel, timeline_panel,
               view_panel)
from .services import SERVICES
from .state import StudioError

log = logging.getLogger("studio")

CSS = "#timeline-view {min-height: 260px} #table-msg p {color: #b91c1c; font-weight: 600}"


def _guard(fn):
    """StudioError (and any engine error) -> a one-line gr.Error, no traceback; the
    outputs, and so the state, stay as they were."""
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except StudioError as e:
            raise gr.Error(str(e), print_exception=False) from None
        except ValidationError as e:  # an engine error that escaped the handler: names its field
            raise gr.Error(one_line(str(e)), print_exception=False) from None
        except gr.Error:
            raise
        except Exception as e:  # a bug: logged here, one line without paths or data for the client
            log.exception("%s failed", getattr(fn, "__name__", "handler"))
            raise gr.Error(f"internal error ({type(e).__name__}); nothing was changed", print_exception=False) from None
    return wrapped


MAX_UPLOAD = "5mb"  # engine.timeline.MAX_JSON_BYTES: a larger project cannot load anyway
RENDER_SLOTS = 2    # renders (render all, re-render one event) running at once, across all sessions


def launch_options() -> dict:
    """Keyword arguments for ``demo.launch`` that keep the studio's files private:
    only the renders and exports folders (generated names) are served, uploads are
    size-limited, errors reach clients as one line without a traceback."""
    return {"allowed_paths": [str(sub_dir("renders")), str(sub_dir("exports"))], "max_file_size": MAX_UPLOAD,
            "show_error": False}


def _progress_fn(progress):
    return lambda frac, msg: progress(frac, desc=msg)


def build_demo() -> gr.Blocks:
    with gr.Blocks(title="Narrative Audio Studio") as demo:
        gr.Markdown("## Narrative Audio Studio\nType a story (or pick a preset), plan it into sound events, "
                    "edit the timeline, render and mix, export for your DAW.")
        status = gr.Markdown("", elem_id="status")
        with gr.Row():
            with gr.Column(scale=1, min_width=320):
                sp = story_panel.build()
                rp = render_panel.build()
            with gr.Column(scale=3):
                tp = timeline_panel.build()
                plot = view_panel.build()
                with gr.Row():
                    with gr.Column():
                        gr.Markdown("### Event inspector")
                        ip = inspector_panel.build()
                    with gr.Column():
                        gr.Markdown("### Export")
                        ep = export_panel.build()
                        gr.Markdown("### Project")
                        pp = project_panel.build()
                with gr.Accordion("Project JSON", open=False):
                    state = gr.JSON(label="Project", value=None)
        mix_in = [state, rp.crossfade, rp.ducking, rp.lufs, rp.ceiling]
        opened = [state, tp.table, tp.reasoning, sp.story, sp.duration, status]

        # -- story ---------------------------------------------------------------------
        sp.plan_btn.click(_guard(handlers.plan),
                          [sp.story, sp.duration, sp.planner, sp.model, sp.base_url, sp.api_key],
                          [state, tp.table, tp.reasoning, status], api_name="plan")
        sp.presets.click(_guard(handlers.load_preset), [sp.presets], opened, api_name="load_preset")

        # -- timeline table ----------------------------------------------------------
        tp.table.input(_guard(handlers.edit_table), [state, tp.table], [state, tp.table_msg], api_name="edit_table")
        tp.add_btn.click(_guard(handlers.add_row), [state, tp.table, ip.event], [state, tp.table, status],
                         api_name="add_row")
        tp.dup_btn.click(_guard(handlers.duplicate_row), [state, tp.table, ip.event], [state, tp.table, status],
                         api_name="duplicate_row")
        tp.del_btn.click(_guard(handlers.delete_row), [state, tp.table, ip.event], [state, tp.table, status],
                         api_name="delete_row")

        # every state change redraws the view and refreshes the event picker and inspector
        def on_select(st, event_id):
            if not st or not event_id:
                return None, gr.update(choices=[], value=None), False, ""
            try:
                audio, kept, chosen, locked, info = handlers.select_event(st, event_id)
            except StudioError as e:
                return None, gr.update(choices=[], value=None), False, f"⚠ {e}"
            return audio, gr.update(choices=kept, value=chosen or None), locked, info

        def on_state(st, current):
            ids = [e["id"] for e in (st or {}).get("events", [])]
            value = current if current in ids else (ids[0] if ids else None)
            return (handlers.timeline_view(st), gr.update(choices=ids, value=value), *on_select(st, value))
        inspector = [ip.take_player, ip.takes, ip.lock, ip.info]
        state.change(_guard(on_state), [state, ip.event], [plot, ip.event, *inspector], api_visibility="private")

        def on_row_select(st, evt: gr.SelectData):
            row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
            events = (st or {}).get("events", [])
            if not (isinstance(row, int) and 0 <= row < len(events)):
                return (gr.update(),) * 5
            return (events[row]["id"], *on_select(st, events[row]["id"]))
        tp.table.select(_guard(on_row_select), [state], [ip.event, *inspector], api_visibility="private")

        # -- render & mix --------------------------------------------------------------
        @_guard
        def on_render(st, rows, renderer, progress=gr.Progress()):
            return handlers.render_all(st, rows, renderer, progress=_progress_fn(progress))

        rp.render_btn.click(on_render, [state, tp.table, rp.renderer], [state, tp.table, status],
                            api_name="render_all", concurrency_limit=RENDER_SLOTS, concurrency_id="render") \
            .success(_guard(handlers.mix), mix_in, [state, rp.player, status], api_name="mix_after_render",
                     api_visibility="private")
        rp.cancel_btn.click(_guard(handlers.cancel_render), [state], [status], api_name="cancel",
                            concurrency_limit=None)
        rp.mix_btn.click(_guard(handlers.mix), mix_in, [state, rp.player, status], api_name="mix")

        # -- event inspector -------------------------------------------------------------
        ip.event.input(_guard(on_select), [state, ip.event], inspector,
                       api_name="select_event")

        def rerender(new_seed):
            @_guard
            def go(st, rows, event_id, renderer, progress=gr.Progress()):
                st, rows, audio, kept, chosen, msg = handlers.render_event(
                    st, rows, event_id, new_seed, renderer, progress=_progress_fn(progress))
                return st, rows, audio, gr.update(choices=kept, value=chosen), msg
            return go
        ev_out = [state, tp.table, ip.take_player, ip.takes, status]
        ev_in = [state, tp.table, ip.event, rp.renderer]
        slots = {"concurrency_limit": RENDER_SLOTS, "concurrency_id": "render"}
        ip.rerender_btn.click(rerender(False), ev_in, ev_out, api_name="render_event", **slots)
        ip.new_seed_btn.click(rerender(True), ev_in, ev_out, api_name="render_event_new_seed", **slots)
        ip.takes.input(_guard(handlers.preview_take), [ip.takes], [ip.take_player], api_name="preview_take")
        ip.use_btn.click(_guard(handlers.choose_take), [state, ip.event, ip.takes],
                         [state, tp.table, ip.take_player, status], api_name="choose_take")
        ip.lock.input(_guard(handlers.set_locked), [state, tp.table, ip.event, ip.lock], [state, tp.table, status],
                      api_name="set_locked")

        # -- export and project ------------------------------------------------------------
        ep.export_btn.click(_guard(handlers.export), [state, ep.fmt, *mix_in[1:]], [ep.files, status],
                            api_name="export")
        pp.save_btn.click(_guard(handlers.save_project), [state], [pp.saved, status], api_name="save_project")
        pp.load_btn.click(_guard(handlers.load_project), [pp.upload], opened, api_name="load_project")
        pp.open_btn.click(_guard(handlers.open_project), [pp.recent], opened, api_name="open_project")

        def render_stats() -> dict:
            """Renders running now, the most at once since start, and renders started."""
            return dict(SERVICES.render_stats(), slots=RENDER_SLOTS)
        gr.api(render_stats, api_name="render_stats")

        def refresh_recent():
            return gr.update(choices=handlers.recent_projects())
        demo.load(refresh_recent, None, [pp.recent], api_name="recent_projects")
        pp.save_btn.click(refresh_recent, None, [pp.recent], api_visibility="private")
    return demo
