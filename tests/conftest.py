import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# everything the app writes during tests goes to a throwaway folder
os.environ.setdefault("STORY_AUDIO_HOME", tempfile.mkdtemp(prefix="story-audio-test-"))
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

STORM = ("A storm rolls over a farmhouse at night: heavy rain drums on the tin roof while the wind howls. "
         "Thunder cracks in the distance. Then the old door creaks open and a dog barks twice.")


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def project(**over):
    """A small valid project document; keyword arguments override top-level fields."""
    d = {"version": 1, "story": "test", "duration_s": 10.0, "sample_rate": 22050,
         "context": {"setting": "farmhouse at night", "mood": "tense"},
         "events": [
             {"id": "e1", "caption": "heavy rain on a tin roof", "start_s": 0.0, "duration_s": 10.0,
              "track": "ambience", "seed": 1},
             {"id": "e2", "caption": "a door creaks open", "start_s": 2.0, "duration_s": 3.0, "track": "fx", "seed": 2},
         ]}
    d.update(over)
    return d
