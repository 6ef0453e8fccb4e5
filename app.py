"""Start the studio: ``python app.py [--share] [--host 0.0.0.0]``.
Listens on 127.0.0.1:7860 unless GRADIO_SERVER_PORT / --host say otherwise."""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def main() -> None:
    ap = argparse.ArgumentParser(description="Narrative Audio Studio")
    ap.add_argument("--share", action="store_true", help="create a public share link")
    ap.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    ap.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")))
    args = ap.parse_args()
    from engine.paths import sub_dir
    from studio.layout import build_demo
    demo = build_demo()
    demo.queue(default_concurrency_limit=4, max_size=64)
    demo.launch(server_name=args.host, server_port=args.port, share=args.share,
                allowed_paths=[str(sub_dir("renders"))], show_error=False)


if __name__ == "__main__":
    main()
