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


def main() -> None:
    ap = argparse.ArgumentParser(description="Narrative Audio Studio")
    ap.add_argument("--share", action="store_true", help="create a public share link")
    ap.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    ap.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")))
    ap.add_argument("--no-warmup", action="store_true", help="load models on first use only")
    args = ap.parse_args()
    from engine.paths import sub_dir
    from studio.layout import CSS, build_demo
    from studio.services import SERVICES
    demo = build_demo()
    demo.queue(default_concurrency_limit=4, max_size=64)
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, css=CSS,
                allowed_paths=[str(sub_dir("renders")), str(sub_dir("exports"))], show_error=False,
                prevent_thread_lock=True)
    print(f"studio listening on {demo.local_url}", flush=True)
    if not args.no_warmup:
        def warm_up() -> None:
            SERVICES.warm_up()
            print("studio warm: renderer and matcher loaded", flush=True)
        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    demo.block_thread()


if __name__ == "__main__":
    main()
