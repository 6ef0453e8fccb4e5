"""Start the studio: ``python app.py [--share] [--host 0.0.0.0] [--port N] [--no-warmup]``.
Listens on 127.0.0.1:7860 unless GRADIO_SERVER_PORT / --host / --port say otherwise.
Nothing heavy is imported before the server listens; the default renderer's matcher
(torch + the sentence embedder) then loads in a background thread, so the first
render does not wait for it (``--no-warmup`` loads it on first use instead)."""
from __future__ import annotations

import argparse
import os
import threading

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def _port(text: str) -> int:
    """A TCP port (the flag or GRADIO_SERVER_PORT); anything else is a usage error (exit 2)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a port number (got {text[:20]!r})") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 1 and 65535 (got {port})")
    return port


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Flags; the host is 127.0.0.1 unless --host or GRADIO_SERVER_NAME asks otherwise."""
    ap = argparse.ArgumentParser(description="Narrative Audio Studio")
    ap.add_argument("--share", action="store_true", help="create a public share link")
    ap.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    ap.add_argument("--port", type=_port, default=os.environ.get("GRADIO_SERVER_PORT", "7860"))
    ap.add_argument("--no-warmup", action="store_true", help="load models on first use only")
    return ap.parse_args(argv)


def main() -> None:
    args = parse_args()
    from studio.layout import CSS, build_demo, launch_options
    from studio.services import SERVICES
    demo = build_demo()
    demo.queue(default_concurrency_limit=4, max_size=64)
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, css=CSS, prevent_thread_lock=True,
                **launch_options())
    print(f"studio listening on {demo.local_url}", flush=True)
    if not args.no_warmup:
        def warm_up() -> None:
            SERVICES.warm_up()
            print("studio warm: renderer and matcher loaded", flush=True)
        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    demo.block_thread()


if __name__ == "__main__":
    main()
