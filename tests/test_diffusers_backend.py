"""The ``diffusers`` renderer on tiny random pipelines built in code and loaded from a
folder through ``model=<folder>``, exactly as users point it at downloaded weights."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import engine
from engine.rendering.neural.chunks import join_chunks, plan_chunks

torch = pytest.importorskip("torch")
from tiny_audio_models import save_tiny  # noqa: E402

SR = 8000  # the tiny models' rate; 16000 checks resampling


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny_pipelines")
    return {kind: str(save_tiny(kind, root / kind)) for kind in ("stable_audio", "stable_audio3", "audioldm2")}


def timeline(sample_rate=SR, mood="tense", caption_b="a door creaks", long_s=2.7, short_only=False):
    tl = engine.Timeline.from_json({
        "duration_s": 6, "sample_rate": sample_rate, "context": {"setting": "farmhouse at night", "mood": mood},
        "events": [{"id": "a", "caption": "heavy rain", "start_s": 0, "duration_s": 0.5, "seed": 1},
                   {"id": "b", "caption": caption_b, "start_s": 0.5, "duration_s": 0.3, "seed": 2},
                   {"id": "c", "caption": "wind howls", "start_s": 1.0, "duration_s": 0.9, "seed": 3},
                   {"id": "w", "caption": "steady wind", "start_s": 0, "duration_s": long_s, "seed": 4,
                    "track": "ambience"}]})
    return tl.replace(events=tl.events[:3]) if short_only else tl


@pytest.fixture(scope="module")
def pipes(folders):
    """Each folder loaded once through ``model=<folder>``; later renderers share the pipeline."""
    return {kind: engine.get_renderer("diffusers", model=folder).family.pipe for kind, folder in folders.items()}


@pytest.fixture
def renderer(folders, pipes):
    def make(kind="stable_audio", **kw):
        return engine.get_renderer("diffusers", model=folders[kind], pipe=pipes[kind], **{"steps": 3, **kw})
    return make


# --- known answers --------------------------------------------------------------------
@pytest.mark.parametrize("kind, duration_s", [("stable_audio", 0.5), ("stable_audio3", 0.5), ("audioldm2", 0.384)])
def test_a_row_matches_the_pipelines_own_call(renderer, kind, duration_s):
    """No context blending, no bucketing: the take is what ``pipe(...)`` makes for the seed.
    (AudioLDM2 without guidance: its pipeline pads the negative prompt to the batch's
    longest prompt, which GPT-2's positions see; here every text is encoded on its own.)"""
    tl = engine.Timeline.from_json({"duration_s": 1, "sample_rate": SR, "events": [
        {"id": "a", "caption": "heavy rain", "start_s": 0, "duration_s": duration_s, "seed": 7}]})
    r = renderer(kind, context_weight=0.0, bucket_s=0.0, guidance=1.0 if kind == "audioldm2" else None)
    take = engine.render(tl, r)["a"]
    pipe, g = r.family.pipe, torch.Generator().manual_seed(7)
    if kind == "stable_audio":
        ref = pipe("heavy rain", audio_end_in_s=duration_s, num_inference_steps=3, generator=g).audios[0]
    elif kind == "stable_audio3":
        ref = pipe("heavy rain", duration=duration_s, num_inference_steps=3, generator=g).audios[0]
    else:
        ref = pipe("heavy rain", audio_length_in_s=duration_s, num_inference_steps=3, generator=g,
                   guidance_scale=1.0).audios
    ref = np.asarray(ref, dtype=np.float32)
    assert take.audio.shape == (ref.shape[0], round(duration_s * SR)) == (ref.shape[0], ref.shape[-1])
    np.testing.assert_allclose(take.audio, ref, rtol=0, atol=1e-4 * float(np.abs(ref).max()))


def test_exact_lengths_resampling_and_chunks_longer_than_the_window(renderer):
    r = renderer("stable_audio")
    tl = timeline(sample_rate=16000, long_s=2.1)   # window 1.024 s at 8 kHz: "w" needs 3 chunks
    takes = engine.render(tl, r)
    for e in tl.events:
        assert takes[e.id].audio.shape == (2, round(e.duration_s * 16000)) and takes[e.id].sample_rate == 16000
        assert takes[e.id].audio.dtype == np.float32
    w = takes["w"]
    plan = plan_chunks(round(2.1 * SR), 8192, r._overlap_n())
    assert w.provenance["chunks"] == len(plan) == 3
    # continued, not looped: the audio after the first window is new, to the last sample
    first, later = w.audio[:, :8000], w.audio[:, 16000:24000]
    assert not np.allclose(first, later, atol=1e-3) and np.abs(w.audio[:, -100:]).max() > 1e-3
    # ...and each chunk starts from the previous one's tail (audio-to-audio), so it changes with it
    fresh = engine.render(tl, renderer("stable_audio", continue_strength=0.0), only=["w"])["w"]
    head = round((8192 - r._overlap_n()) / SR * 16000)
    np.testing.assert_allclose(fresh.audio[:, :head - 16], w.audio[:, :head - 16], atol=1e-5)
    assert not np.allclose(fresh.audio[:, head + 4000:], w.audio[:, head + 4000:], atol=1e-3)


@pytest.mark.parametrize("kind", ["stable_audio3", "audioldm2"])
def test_other_families_continue_long_events_to_exact_lengths(renderer, kind):
    tl = timeline(long_s=1.2)
    takes = engine.render(tl, renderer(kind))
    assert takes["w"].provenance["chunks"] > 1
    assert all(takes[e.id].audio.shape[-1] == round(e.duration_s * SR) for e in tl.events)


def test_chunk_plan_covers_exactly_and_the_join_is_equal_power():
    plan = plan_chunks(10_000, 4096, 512)
    assert plan[0] == (0, 4096) and plan[-1][0] + plan[-1][1] == 10_000
    assert all(b[0] == a[0] + a[1] - 512 for a, b in zip(plan, plan[1:]))
    assert plan_chunks(300, 4096, 512) == [(0, 300)]
    ones, zeros = np.ones((1, 4096), np.float32), np.zeros((1, 4096), np.float32)
    fading_out = join_chunks([ones, zeros], [(0, 4096), (3584, 4096)], 512)[0, 3584:4096]
    fading_in = join_chunks([zeros, ones], [(0, 4096), (3584, 4096)], 512)[0, 3584:4096]
    np.testing.assert_allclose(fading_out ** 2 + fading_in ** 2, 1.0, atol=1e-6)
    assert fading_out[0] > 0.99 and fading_in[-1] > 0.99


# --- determinism, batching, re-rendering -------------------------------------------------
def test_same_seeds_same_bytes_and_seeds_matter(renderer):
    a = engine.render(timeline(), renderer())
    b = engine.render(timeline(), renderer())
    assert all(np.array_equal(a[k].audio, b[k].audio) for k in a)
    reseeded = timeline().with_event("a", seed=99)
    c = engine.render(reseeded, renderer(), only=["a"])
    assert not np.allclose(c["a"].audio, a["a"].audio, atol=1e-3)


@pytest.mark.parametrize("kind", ["stable_audio", "stable_audio3"])
def test_batched_equals_one_by_one_in_fewer_calls(renderer, kind):
    batched, single = renderer(kind, batch_size=8), renderer(kind, batch_size=1)
    tl = timeline(long_s=2.0)
    a, b = engine.render(tl, batched), engine.render(tl, single)
    for k in a:
        np.testing.assert_allclose(a[k].audio, b[k].audio, rtol=0, atol=1e-5)
    assert batched.stats["pipeline_calls"] < single.stats["pipeline_calls"]
    if kind == "stable_audio":  # one window for all: 4 first chunks in one call, then w's 2 more chunks
        assert batched.stats["pipeline_calls"] == 3 and single.stats["pipeline_calls"] == 6


def test_rerendering_one_event_leaves_every_other_take_identical(renderer):
    r = renderer()
    tl = timeline()
    res = r.residual(tl)
    first = engine.render(tl, r, residual=res)
    edited = tl.with_event("b", caption="a dog barks twice")
    second = engine.render(edited, r, residual=r.residual(edited))
    assert r.stats["rendered"] == len(tl.events) + 1           # one event re-rendered, the rest cached
    assert not np.allclose(second["b"].audio, first["b"].audio, atol=1e-3)
    assert all(np.array_equal(second[k].audio, first[k].audio) for k in first if k != "b")
    # without the cache the other takes come out the same too (rows are independent; a
    # different batch composition moves float rounding only)
    fresh = engine.render(edited, renderer())
    assert all(np.allclose(fresh[k].audio, first[k].audio, rtol=0, atol=1e-5) for k in first if k != "b")
    again = engine.render(tl, renderer(), only=["c"], residual=res)["c"]
    assert again.take_id == first["c"].take_id and np.allclose(again.audio, first["c"].audio, rtol=0, atol=1e-5)


def test_story_context_is_blended_and_changing_it_rerenders_everything(renderer):
    r = renderer()
    base = engine.render(timeline(), r)
    calm = engine.render(timeline(mood="calm"), r)
    assert r.stats["rendered"] == 2 * len(base) and r.stats["cached"] == 0
    assert all(calm[k].take_id != base[k].take_id for k in base)
    assert all(not np.allclose(calm[k].audio, base[k].audio, atol=1e-4) for k in base)
    unblended = engine.render(timeline(), renderer(context_weight=0.0))
    assert not np.allclose(unblended["a"].audio, base["a"].audio, atol=1e-4)
    assert r.residual(timeline()).data["context_prompt"] == "farmhouse at night, tense"


def test_negative_prompt_and_continuity(renderer):
    plain = engine.render(timeline(), renderer())
    negative = engine.render(timeline(), renderer(negative_prompt="low quality"))
    assert not np.allclose(negative["a"].audio, plain["a"].audio, atol=1e-4)
    r = renderer(continuity=0.3)
    cont = engine.render(timeline(), r)
    assert cont["b"].provenance["continued_from"] == cont["a"].take_id    # b follows a on the fx track
    assert cont["a"].provenance["continued_from"] is None
    np.testing.assert_allclose(cont["a"].audio, plain["a"].audio, rtol=0, atol=1e-5)
    assert not np.allclose(cont["b"].audio, plain["b"].audio, atol=1e-4)
    # re-rendering b alone later continues from the same take of a: same bytes
    again = engine.render(timeline(), r, only=["b"], residual=r.residual(timeline()))["b"]
    assert np.array_equal(again.audio, cont["b"].audio)


# --- progress, cancel, errors ---------------------------------------------------------------
def test_progress_every_step_and_cancel_between_steps(renderer):
    seen = []
    engine.render(timeline(), renderer(), lambda f, m: seen.append((f, m)))
    steps = [m for _, m in seen if "step" in m]
    assert len(steps) == 3 * 3 and seen[-1][0] == 1.0                   # 3 calls x 3 steps
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)
    flag = engine.CancelFlag()

    def cancel_after_first_step(fraction, message):
        if "step 1/" in message:
            flag.set()

    with pytest.raises(engine.RenderCancelled, match="step 1 of 3"):
        engine.render(timeline(), renderer(), cancel_after_first_step, cancel=flag)


def test_out_of_memory_retries_smaller_batches_then_explains(renderer, monkeypatch):
    r = renderer(batch_size=4)
    tl = timeline(short_only=True)
    fam = r.family
    real = fam.predict

    def small_batches_only(x, t, cond):
        if x.shape[0] > 2:  # guidance doubles the batch: more than one event does not fit
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real(x, t, cond)

    monkeypatch.setattr(fam, "predict", small_batches_only)
    takes = engine.render(tl, r)
    assert r.batch_size == 1
    ref = engine.render(tl, renderer(batch_size=1))
    assert all(np.allclose(takes[k].audio, ref[k].audio, atol=1e-5) for k in takes)

    def never(x, t, cond):
        raise torch.OutOfMemoryError("CUDA out of memory")

    monkeypatch.setattr(fam, "predict", never)
    with pytest.raises(engine.BackendUnavailable, match="out of memory"):
        engine.render(tl.with_event("b", caption="a new caption"), r, only=["b"])


def test_clear_errors_for_missing_weights_and_unsupported_pipelines(tmp_path):
    with pytest.raises(engine.BackendUnavailable, match="model_index.json"):
        engine.get_renderer("diffusers", model=str(tmp_path / "nowhere"))
    with pytest.raises(engine.BackendUnavailable, match="--local-dir") as e:
        engine.get_renderer("diffusers", model="someone/not-a-cached-model", local_files_only=True)
    assert "model=" in str(e.value)
    (tmp_path / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionPipeline"}))
    with pytest.raises(engine.ValidationError, match="StableAudioPipeline, StableAudio3Pipeline, AudioLDM2Pipeline"):
        engine.get_renderer("diffusers", model=str(tmp_path))
    with pytest.raises(engine.ValidationError, match="steps"):
        engine.get_renderer("diffusers", model=str(tmp_path), steps=0)


def test_model_comes_from_the_environment_when_not_passed(folders, monkeypatch):
    monkeypatch.delenv("STORY_AUDIO_TTA_MODEL", raising=False)
    with pytest.raises(engine.ValidationError, match="STORY_AUDIO_TTA_MODEL"):
        engine.get_renderer("diffusers")
    monkeypatch.setenv("STORY_AUDIO_TTA_MODEL", folders["audioldm2"])
    r = engine.get_renderer("diffusers", steps=2)
    assert r.model == folders["audioldm2"] and r.pipeline == "AudioLDM2Pipeline"


def test_device_and_dtype_are_chosen_automatically(monkeypatch):
    from engine.rendering.neural import loading
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert loading.pick_device() in ("cpu", "mps") and loading.pick_dtype("cpu") == torch.float32
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    assert loading.pick_dtype("cuda") == torch.bfloat16
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: False)
    assert loading.pick_dtype("cuda") == torch.float16 and loading.pick_dtype("cpu", "fp16") == torch.float16
    with pytest.raises(engine.ValidationError, match="dtype"):
        loading.pick_dtype("cpu", "int8")


def test_import_engine_stays_light_and_bench_gpu_says_no_gpu():
    code = ("import sys, engine; engine.get_renderer; "
            "assert 'torch' not in sys.modules and 'diffusers' not in sys.modules, 'heavy import'")
    subprocess.run([sys.executable, "-c", code], check=True)
    out = subprocess.run([sys.executable, "-m", "engine", "bench", "--gpu"], capture_output=True, text=True,
                         env={"CUDA_VISIBLE_DEVICES": "", "PATH": ""}, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1 and "no GPU" in lines[0]


def test_gpu_story_timing_runs_on_any_device_and_batches(pipes, capsys):
    """The --gpu measuring path (minus the CUDA check) on the tiny pipeline: one JSON line
    per (steps, batching), batched runs need fewer pipeline calls than one by one."""
    from engine.bench import time_story
    tl = timeline(short_only=True)
    time_story(pipes["stable_audio"], "cpu", steps_list=(2,), batch_sizes=(8, 1), timeline=tl)
    lines = [json.loads(l) for l in capsys.readouterr().out.splitlines() if l.startswith("{")]
    assert [(d["bench"], d["batch_size"], d["steps"]) for d in lines] == [("diffusers_story", 8, 2),
                                                                        ("diffusers_story", 1, 2)]
    assert lines[0]["pipeline_calls"] < lines[1]["pipeline_calls"] == len(tl.events)
    assert all(d["wall_s"] > 0 and d["event_audio_s"] == pytest.approx(sum(e.duration_s for e in tl.events))
               for d in lines)
