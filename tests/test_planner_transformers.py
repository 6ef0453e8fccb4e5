"""The ``transformers`` planner on a tiny random chat LM saved to a folder and loaded the
way users load theirs: only the grammar keeps its noise parseable."""
import time
from types import SimpleNamespace

import pytest

import engine
from engine.planning.transformers_planner import TransformersPlanner
from tests.tiny_lm import save_tiny_chat_lm

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("llguidance")

STORY = "A storm rolls over a farmhouse at night. Thunder cracks in the distance. Then a door creaks open."


@pytest.fixture(scope="module")
def tiny_lm(tmp_path_factory):
    threads = torch.get_num_threads()
    torch.set_num_threads(1)     # a 32-wide model gains nothing from threads; shared CPUs lose a lot
    yield str(save_tiny_chat_lm(tmp_path_factory.mktemp("tiny-lm")))
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def planner(tiny_lm):
    return engine.get_planner("transformers", model=tiny_lm, retries=0, max_events=4)


def check(tl, duration_s=30):
    assert engine.Timeline.from_json(tl.to_json()) == tl
    assert tl.events and all(0 <= e.start_s < e.end_s <= duration_s + 1e-6 for e in tl.events)


def test_plan_through_the_public_path_gives_a_valid_timeline(tiny_lm):
    tl = engine.plan(STORY, 30, planner="transformers", model=tiny_lm, retries=0)
    check(tl)
    assert tl.planner == "transformers" and tl.provenance["attempts"] == 1 and tl.provenance["model"] == tiny_lm
    assert tl.reasoning   # reasoning comes first in the answer and is kept


def test_greedy_is_deterministic_and_the_model_is_loaded_once(planner):
    a = planner.plan(STORY, 30)
    loaded = planner._loaded
    b = planner.plan(STORY, 30)
    assert planner._loaded is loaded and a == b and a.planner == "transformers"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sampled_answers_respect_the_schema_bounds(planner, seed):
    planner.temperature, planner.seed = 1.0, seed
    try:
        tl = planner.plan(STORY, 12)
    finally:
        planner.temperature, planner.seed = 0.0, 0
    check(tl, 12)
    assert tl.planner == "transformers" and len(tl.events) <= 4
    assert all(e.track in ("ambience", "fx", "music") for e in tl.events)


def test_without_the_grammar_the_noise_falls_back_to_rules(tiny_lm):
    tl = engine.plan(STORY, 30, planner="transformers", model=tiny_lm, grammar=False, retries=1, max_new_tokens=200)
    check(tl)
    assert tl.planner == "rules" and "transformers planner could not plan" in tl.warnings[-1]
    assert len(tl.provenance["rejected"]) == 2


def test_generation_stops_at_the_deadline(planner):
    planner.plan(STORY, 30)                        # loaded: what is left is generation
    planner.timeout_s, planner.max_new_tokens, planner.grammar = 0.3, 16384, True
    planner.max_events = 64
    t0 = time.monotonic()
    try:
        tl = planner.plan(STORY, 30)
    finally:
        planner.timeout_s, planner.max_new_tokens, planner.max_events = 120.0, 2048, 4
    assert time.monotonic() - t0 < 0.3 + 1.5
    check(tl)


def test_missing_folder_and_hub_ids_fall_back_with_download_advice(tmp_path, monkeypatch):
    tl = engine.plan(STORY, 30, planner="transformers", model=str(tmp_path / "nowhere"))
    assert tl.planner == "rules"
    assert "does not exist" in tl.warnings[-1] and "model='models/" in tl.warnings[-1] and "hf download" in tl.warnings[-1]
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    tl = engine.plan(STORY, 30, planner="transformers", model="acme/no-such-model-xyz")
    assert "cannot load model 'acme/no-such-model-xyz'" in tl.warnings[-1]
    assert "hf download acme/no-such-model-xyz --local-dir models/no-such-model-xyz" in tl.warnings[-1]
    monkeypatch.delenv("STORY_AUDIO_LLM_MODEL", raising=False)
    tl = engine.plan(STORY, 30, planner="transformers")
    assert "no model given" in tl.warnings[-1] and "STORY_AUDIO_LLM_MODEL" in tl.warnings[-1]


def test_model_from_the_environment(tiny_lm, monkeypatch):
    monkeypatch.setenv("STORY_AUDIO_LLM_MODEL", tiny_lm)
    tl = engine.plan(STORY, 20, planner="transformers", retries=0)
    assert tl.planner == "transformers" and tl.provenance["model"] == tiny_lm


def test_prompt_uses_the_chat_template_and_audiostory_instruction(planner):
    from engine.planning.prompt import build_messages
    tokenizer, _, _ = planner._load()
    text = tokenizer.decode(planner._prompt_ids(tokenizer, build_messages(STORY, 30))[0])
    assert text.startswith("<|im_start|>system\n") and text.endswith("<|im_start|>assistant\n")
    assert f"Story: {STORY}\nThe total duration is 30 seconds.<|im_end|>" in text


def test_device_and_dtype_choice():
    p = TransformersPlanner(model="x")
    fake = lambda cuda, mps: SimpleNamespace(cuda=SimpleNamespace(is_available=lambda: cuda),  # noqa: E731
                                             backends=SimpleNamespace(mps=SimpleNamespace(is_available=lambda: mps)))
    assert [p._device(fake(True, True)), p._device(fake(False, True)), p._device(fake(False, False))] == \
        ["cuda", "mps", "cpu"]
    assert TransformersPlanner(model="x", device="cuda:1")._device(fake(False, False)) == "cuda:1"
    assert p._dtype(torch, "cpu") == torch.float32
    for bad in ({"device": "tpu"}, {"dtype": "int8"}, {"max_new_tokens": 10 ** 9}):
        with pytest.raises(engine.ValidationError):
            TransformersPlanner(model="x", **bad)


def test_prompt_without_system_role_or_without_a_template():
    from engine.planning.prompt import SYSTEM, build_messages
    from tests.tiny_lm import CHAT_TEMPLATE, build_tokenizer
    tokenizer = build_tokenizer()
    tokenizer.chat_template = ("{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}"
                               "{% endif %}" + CHAT_TEMPLATE)
    text = tokenizer.decode(TransformersPlanner._prompt_ids(tokenizer, build_messages(STORY, 30))[0])
    assert text.startswith("<|im_start|>user\n" + SYSTEM + "\n\nPlan the sound events") and "system" not in text[:20]
    tokenizer.chat_template = None
    text = tokenizer.decode(TransformersPlanner._prompt_ids(tokenizer, build_messages(STORY, 30))[0])
    assert text.startswith("System: You are a sound designer.") and text.endswith("seconds.\n\nAssistant: ")
