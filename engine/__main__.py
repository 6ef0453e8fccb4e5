"""Command line: ``python -m engine {plan,render,make,match,bench} ...``.

User errors exit with code 2 and one line on stderr, never a traceback."""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path


FORMAT_CHOICES = ["wav", "wav16", "wav32f", "flac", "ogg", "mp3"]


class UserError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        raise UserError(message)


def _duration(text: str) -> float:
    try:
        d = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--duration must be a number of seconds (got {text!r})") from None
    if not math.isfinite(d) or d <= 0:
        raise argparse.ArgumentTypeError(f"--duration must be a positive finite number of seconds (got {text!r})")
    return d


def _number(flag: str):
    def parse(text: str) -> float:
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} must be a number (got {text!r})") from None
        if not math.isfinite(v):
            raise argparse.ArgumentTypeError(f"{flag} must be a finite number (got {text!r})")
        return v
    return parse


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m engine", description="Plan, render, mix and export narrative audio.")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)
    sp = sub.add_parser("plan", help="story -> timeline JSON")
    sp.add_argument("story")
    sp.add_argument("--duration", type=_duration, required=True, help="total seconds")
    sp.add_argument("--planner", default="rules")
    sp.add_argument("-o", "--output", help="write the timeline here (default: stdout)")
    sr = sub.add_parser("render", help="timeline JSON -> mix, stems, project")
    sr.add_argument("timeline")
    sr.add_argument("-o", "--out", required=True)
    sr.add_argument("--renderer", default="procedural")
    sr.add_argument("--format", default="wav", choices=FORMAT_CHOICES)
    sr.add_argument("--overwrite", action="store_true", help="replace an earlier export in --out")
    sm = sub.add_parser("make", help="story -> plan -> render -> mix -> export")
    sm.add_argument("story")
    sm.add_argument("--duration", type=_duration, required=True)
    sm.add_argument("-o", "--out", required=True)
    sm.add_argument("--planner", default="rules")
    sm.add_argument("--renderer", default="procedural")
    sm.add_argument("--format", default="wav", choices=FORMAT_CHOICES)
    sm.add_argument("--overwrite", action="store_true", help="replace an earlier export in --out")
    for sp_ in (sr, sm):
        sp_.add_argument("--loudness", type=_number("--loudness"), default=None,
                         help="integrated loudness target in LUFS (default -16)")
        sp_.add_argument("--preset", choices=["broadcast", "default", "streaming"],
                         help="loudness preset: broadcast -23, default -16, streaming -14 LUFS")
        sp_.add_argument("--ceiling", type=_number("--ceiling"), default=-1.0, help="true-peak ceiling in dBTP")
        sp_.add_argument("--no-ducking", action="store_true", help="do not duck beds under fx events")
    sx = sub.add_parser("match", help="caption(s) -> procedural recipe, one JSON object per line")
    sx.add_argument("captions", nargs="*")
    sx.add_argument("--file", help="a text file with one caption per line")
    sx.add_argument("--list", action="store_true", help="list the recipe ids")
    for sp_ in (sr, sm):
        sp_.add_argument("--renderer-model", help="model renderers (diffusers, audiostory): hub id or local folder "
                         "(default: STORY_AUDIO_TTA_MODEL / STORY_AUDIO_AUDIOSTORY_MODEL)")
    for sp_ in (sp, sm):
        sp_.add_argument("--model", help="LLM planners: hub id or local folder (transformers), model name (openai)")
        sp_.add_argument("--base-url", help="openai planner: server URL, e.g. http://127.0.0.1:11434/v1")
        sp_.add_argument("--timeout", type=_number("--timeout"), default=None, help="LLM planners: seconds before falling back to rules")
    sb = sub.add_parser("bench", help="speed measurements (see BENCHMARKS.md)")
    sb.add_argument("--quick", action="store_true", help="shorter runs")
    sb.add_argument("--gpu", action="store_true", help="GPU measurements (neural backends)")
    return p


def _mix_options(args) -> dict:
    """Mix settings from the flags, checked before any rendering starts."""
    if args.loudness is not None and not -70 <= args.loudness <= 0:
        raise UserError(f"--loudness must be between -70 and 0 LUFS (got {args.loudness:g})")
    if not -20 <= args.ceiling <= 0:
        raise UserError(f"--ceiling must be between -20 and 0 dBTP (got {args.ceiling:g})")
    opts = {"true_peak_db": args.ceiling, "ducking": not args.no_ducking}
    if args.preset:
        opts["preset"] = args.preset
    else:
        opts["loudness_lufs"] = -16.0 if args.loudness is None else args.loudness
    return opts


def _planner_options(args) -> dict:
    """Options for the LLM planners, only those given (rules takes none)."""
    opts = {}
    if args.model:
        opts["model"] = args.model
    if args.base_url:
        opts["base_url"] = args.base_url
    if args.timeout is not None:
        if not 0 < args.timeout <= 3600:
            raise UserError(f"--timeout must be between 0 and 3600 seconds (got {args.timeout:g})")
        opts["timeout_s"] = args.timeout
    if opts and args.planner == "rules":
        raise UserError("--model/--base-url/--timeout apply to the model planners "
                        "(--planner transformers|openai|audiostory)")
    return opts


def _print_warnings(tl) -> None:
    for w in tl.warnings:
        print(f"warning: {w}", file=sys.stderr)


def _render_mix_export(tl, out: str, renderer: str, fmt: str, mix_options: dict | None = None,
                       overwrite: bool = False, renderer_model: str | None = None) -> None:
    import engine
    from engine.export import check_out_dir
    from engine.progress import stderr_progress
    t0 = time.perf_counter()
    check_out_dir(out, fmt, overwrite=overwrite)  # before rendering: never overwrite an earlier export silently
    if renderer_model:
        if renderer == "procedural":
            raise UserError("--renderer-model applies to the model renderers (--renderer diffusers|audiostory)")
        renderer = engine.get_renderer(renderer, model=renderer_model)
    takes = engine.render(tl, renderer, progress=stderr_progress("render "))
    mixdown = engine.mix(tl, takes, **(mix_options or {}))
    paths = engine.export(tl, mixdown, out, fmt=fmt, takes=takes, overwrite=overwrite)
    for w in mixdown.warnings:
        print(f"warning: {w}", file=sys.stderr)
    info = mixdown.info
    print(json.dumps({"out": str(Path(out)), "files": len(paths), "duration_s": tl.duration_s,
                      "frames": int(mixdown.audio.shape[-1]), "sample_rate": tl.sample_rate,
                      "lufs": round(info.get("output_lufs", float("nan")), 2),
                      "true_peak_db": round(info.get("true_peak_db", float("nan")), 2),
                      "seconds": round(time.perf_counter() - t0, 2)}))


MAX_CAPTION_FILE_BYTES = 1_000_000


def _caption_lines(path: str) -> list[str]:
    """Captions from a text file (one a line): a regular, UTF-8 file of at most 1 MB."""
    p = Path(path)
    try:
        if not p.is_file():
            raise UserError(f"--file: no such file: {p.name}")
        if p.stat().st_size > MAX_CAPTION_FILE_BYTES:
            raise UserError(f"--file: {p.name} is too large (at most {MAX_CAPTION_FILE_BYTES} bytes)")
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"--file: cannot read {p.name}: {getattr(e, 'strerror', None) or 'not UTF-8 text'}") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def _save(engine, tl, output: str) -> None:
    try:
        engine.save_project(tl, output)
    except OSError as e:
        raise UserError(f"-o: cannot write {Path(output).name}: {e.strerror or e}") from None


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        import engine
        from engine.errors import BackendUnavailable, ValidationError
        try:
            if args.cmd == "plan":
                tl = engine.plan(args.story, args.duration, planner=args.planner, **_planner_options(args))
                _print_warnings(tl)
                if args.output:
                    _save(engine, tl, args.output)
                    print(f"wrote {args.output} ({len(tl.events)} events)", file=sys.stderr)
                else:
                    print(tl.to_json())
            elif args.cmd == "render":
                opts = _mix_options(args)
                _render_mix_export(engine.load_project(args.timeline), args.out, args.renderer, args.format, opts,
                                   args.overwrite, args.renderer_model)
            elif args.cmd == "make":
                opts = _mix_options(args)
                tl = engine.plan(args.story, args.duration, planner=args.planner, **_planner_options(args))
                _print_warnings(tl)
                _render_mix_export(tl, args.out, args.renderer, args.format, opts, args.overwrite, args.renderer_model)
            elif args.cmd == "match":
                if args.list:
                    from engine.rendering.procedural.recipes import catalog
                    for rid, r in catalog().items():
                        print(f"{rid}\t{r.track}\t{'texture' if r.texture else 'event'}")
                    return 0
                captions = list(args.captions)
                if args.file:
                    captions += _caption_lines(args.file)
                if not captions:
                    raise UserError("match: give captions, --file or --list")
                for c in captions:
                    print(json.dumps(dict(engine.match(c), caption=c)))
            elif args.cmd == "bench":
                from engine.bench import run_bench
                return run_bench(quick=args.quick, gpu=args.gpu)
        except (ValidationError, BackendUnavailable) as e:  # bad input, or a model that cannot load
            raise UserError(str(e)) from None
        except BrokenPipeError:  # stdout closed early (``| head``): not an error
            raise
        except OSError as e:  # an output folder that cannot be written, a disk that filled up
            name = Path(e.filename).name if isinstance(e.filename, str) else ""
            raise UserError(f"cannot write{' ' + name if name else ''}: {e.strerror or e}") from None
        return 0
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        try:  # keep the interpreter's final flush from failing on the closed pipe again
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0


if __name__ == "__main__":
    sys.exit(main())
