"""The procedural catalog. Every module in this package registers its recipes with
``@recipe(...)`` from ``base``; importing the package imports them all, so a new
recipe file needs no edit anywhere else."""
from __future__ import annotations

import importlib
import pkgutil

from .base import REGISTRY, Recipe, SynthRequest, recipe  # noqa: F401

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _mod != "base" and not _mod.startswith("_"):
        importlib.import_module(f"{__name__}.{_mod}")


def catalog() -> dict[str, Recipe]:
    """Recipe id -> Recipe, sorted by id."""
    return dict(sorted(REGISTRY.items()))
