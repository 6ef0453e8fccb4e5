"""Neural renderers over Hugging Face diffusers pipelines (``diffusers`` backend).
Nothing here imports torch or diffusers until a renderer is built."""
from __future__ import annotations


def make_diffusers_renderer(**options):
    from .renderer import DiffusersRenderer
    return DiffusersRenderer(**options)
