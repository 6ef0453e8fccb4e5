"""The Gradio studio. Handlers are plain functions over Timeline (studio/handlers.py);
panels only lay out components; layout.py wires them. No torch at import time."""
