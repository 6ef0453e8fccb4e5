"""AudioStory on a micro config (random LM + tokenizer built in code, tiny DiT and VAE):
losses train down, query tokens are forced, inference gives exact-length takes,
re-rendering one event keeps the others bit-identical, save/load is exact."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("diffusers")
pytest.importorskip("peft")

import engine  # noqa: E402
from engine.audiostory import inference as I  # noqa: E402
from engine.audiostory import tokens as T  # noqa: E402
from engine.audiostory.config import get_config  # noqa: E402
from engine.audiostory.data import load_folder, make_synthetic  # noqa: E402
from engine.audiostory.model import AudioStory  # noqa: E402
from engine.audiostory.train import main as train_main  # noqa: E402
from engine.audiostory.train import train  # noqa: E402

SENTENCES = ("Rain falls steadily on the roof.", "A church bell tolls.", "A heartbeat pounds.")


def micro():
    return dataclasses.replace(get_config("tiny"), name="micro", vae_hidden=8, vae_decoder_channels=8,
                               max_clip_s=0.5, batch_size=3, sample_steps=3, n_semantic=4, n_residual=2,
                               lr=3e-3, max_tokens=256)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("audiostory")
    data = make_synthetic(4, root / "data", 16000, sentences=SENTENCES, max_sentences=2,
                          seconds_per_sentence=(0.6, 1.0), seed=1)
    samples = load_folder(data, 16000, 1)
    results = {}
    for stage in (1, 2, 3):  # each stage from fresh weights, so every loss has room to fall
        model = AudioStory.build(micro())
        results[stage] = train(model, samples, stage, 16, seed=stage)
    model.save_pretrained(root / "model")
    return model, root, results, data


def test_every_loss_is_finite_and_decreases(trained):
    _, _, results, _ = trained
    expected = {1: {"vae", "align", "flow"}, 2: {"align", "flow"}, 3: {"align", "flow", "lm"}}
    for stage, r in results.items():
        assert set(r["loss_first"]) == expected[stage]
        for name, first in r["loss_first"].items():
            last = r["loss_last"][name]
            assert np.isfinite(first) and np.isfinite(last)
            assert last < first, f"stage {stage} {name}: {first} -> {last}"


def test_query_runs_are_forced_after_a_timestamp(trained):
    model = trained[0]
    lay = model.layout
    prompt = T.prompt_ids(model.tokenizer, "rain", 2.0) + T.event_ids(model.tokenizer, lay, "rain", 2.0)[0][:-1]
    cut = prompt.index(lay.ids[T.SEM])          # ends right after </timestamp>
    ids = torch.tensor([prompt[:cut]])
    run = [lay.ids[T.SEM]] + lay.sem + [lay.ids[T.END_SEM], lay.ids[T.RES]] + lay.res + [lay.ids[T.END_RES]]
    out = model.llm.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False,
                             max_new_tokens=len(run) + 3, eos_token_id=None, pad_token_id=lay.pad,
                             logits_processor=[T.force_processor(lay)])[0, cut:].tolist()
    assert out[:len(run)] == run
    assert not set(out[len(run):]) & lay.forced_ids   # outside a run no query token appears


def test_processor_bans_query_tokens_outside_runs(trained):
    lay = trained[0].layout
    proc = T.force_processor(lay)
    scores = torch.zeros(2, max(lay.ids.values()) + 5)
    seqs = torch.tensor([[5, lay.sem[1]], [5, 6]])
    out = proc(seqs, scores)
    assert torch.isfinite(out[0]).sum() == 1 and out[0, lay.sem[2]] == 0
    assert torch.isinf(out[1, sorted(lay.forced_ids)]).all() and out[1, 6] == 0


def test_sequence_parses_back_to_its_events(trained):
    model = trained[0]
    events = [("rain on a tin roof", 0.0, 2.5), ("a church bell tolls", 2.5, 1.2)]
    ids, labels = T.sequence(model.tokenizer, model.layout, "Rain. Then a bell.", 3.7, events)
    parsed = T.parse(model.tokenizer, model.layout, ids)
    assert parsed.complete and parsed.events == [("rain on a tin roof", 2.5), ("a church bell tolls", 1.2)]
    assert parsed.reasoning.startswith("2 events.")
    assert len(T.query_positions(ids, model.layout)) == 2
    assert all(lab == T.IGNORE for t, lab in zip(ids, labels) if t in model.layout.forced_ids)


def test_fusion_divides_by_the_one_feature_scale():
    cfg = dataclasses.replace(micro(), feature_scale=10.0)
    model = AudioStory.build(cfg)  # the residual attention starts closed
    sem, res = torch.randn(2, 4, cfg.cond_dim), torch.randn(2, 2, cfg.cond_dim)
    assert torch.allclose(model.fuse(sem, res), sem / 10.0)


def test_save_load_round_trip_is_bit_identical(trained):
    model, root, _, _ = trained
    loaded = AudioStory.from_pretrained(root / "model")
    ids, _ = T.sequence(model.tokenizer, model.layout, "Rain.", 1.0, [("rain", 0.0, 1.0)])
    with torch.no_grad():
        a, b = model.run_llm([ids]), loaded.run_llm([ids])
        assert all(torch.equal(x, y) for x, y in zip(a[:3], b[:3]))
        fused = model.fuse(a[1], a[2])
    assert np.array_equal(I.audio_for(model, fused, 0.7, 11), I.audio_for(loaded, fused, 0.7, 11))


def test_plan_and_render_give_a_valid_timeline_with_exact_lengths(trained):
    folder = str(trained[1] / "model")
    tl = engine.plan("Rain falls on the roof. Then a church bell tolls.", 3.0, planner="audiostory", model=folder)
    assert tl.planner == "audiostory" and tl.events
    assert all(0 <= e.start_s and e.end_s <= 3.0 + 1e-6 for e in tl.events)
    tl = tl.replace(sample_rate=44100)
    takes = engine.render(tl, engine.get_renderer("audiostory", model=folder))
    for e in tl.events:
        a = takes[e.id].audio
        assert a.dtype == np.float32 and a.shape == (2, round(e.duration_s * 44100)) and np.isfinite(a).all()


def test_rerender_reuses_residual_tokens_and_keeps_others_identical(trained):
    folder = str(trained[1] / "model")
    r = engine.get_renderer("audiostory", model=folder)
    tl = engine.Timeline.from_json({"story": "rain then a bell", "duration_s": 2.0, "sample_rate": 16000, "events": [
        {"id": "a", "caption": "rain falls", "start_s": 0.0, "duration_s": 0.8, "seed": 1},
        {"id": "b", "caption": "a church bell tolls", "start_s": 0.8, "duration_s": 0.6, "seed": 2},
        {"id": "c", "caption": "rain falls", "start_s": 1.4, "duration_s": 0.6, "seed": 3}]})
    res = r.residual(tl)
    before = engine.render(tl, r, residual=res)
    assert not np.array_equal(before["a"].audio[:, :9600], before["c"].audio[:, :9600])  # own seed per event
    edited = tl.with_event("b", caption="a heartbeat pounds")
    after = engine.render(edited, r, residual=res)
    for eid in ("a", "c"):
        assert np.array_equal(after[eid].audio, before[eid].audio)
    assert not np.array_equal(after["b"].audio, before["b"].audio)
    _, res_b = r.features(edited.event("b"), res)
    assert torch.equal(res_b[0], I.unpack(res.data["events"]["b"]["res"]))   # stored residual tokens reused


def test_cli_writes_a_loadable_model_and_a_json_summary(trained, tmp_path, capsys):
    out = tmp_path / "cli"
    assert train_main(["--stage", "1", "--config", "tiny", "--steps", "3", "--out", str(out),
                       "--data", str(trained[3])]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(summary["loss_first"]) == {"vae", "align", "flow"} and set(summary["loss_last"]) == set(summary["loss_first"])
    assert AudioStory.from_pretrained(out).cfg.vae_trained
    assert train_main(["--stage", "2", "--steps", "0", "--out", str(out), "--data", str(trained[3])]) == 2


def test_importing_the_engine_does_not_import_torch():
    code = "import sys, engine, engine.audiostory; sys.exit('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def _write_jsonl(folder, lines):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "train.jsonl").write_text("\n".join(lines) + "\n")
    return folder


@pytest.mark.parametrize("line, where", [
    ("{not json", "train.jsonl:1: not valid JSON"),
    ('["a list"]', "train.jsonl:1: must be a JSON object"),
    ('{"events": []}', "train.jsonl:1 instruction: must be a non-empty string"),
    ('{"instruction": "rain", "events": []}', "train.jsonl:1 events: must be a non-empty list"),
    ('{"instruction": "rain", "events": [{"caption": "", "start": 0, "duration": 1, "audio": "a.wav"}]}',
     "train.jsonl:1 events[0].caption: must be a non-empty string"),
    ('{"instruction": "rain", "events": [{"caption": "rain", "start": -1, "duration": 1, "audio": "a.wav"}]}',
     "train.jsonl:1 events[0].start: must be >= 0"),
    ('{"instruction": "rain", "events": [{"caption": "rain", "start": 0, "duration": "x", "audio": "a.wav"}]}',
     "train.jsonl:1 events[0].duration: must be a finite number"),
    ('{"instruction": "rain", "events": [{"caption": "rain", "start": 0, "duration": 1, "audio": "nope.wav"}]}',
     "train.jsonl:1 events[0].audio: no such file (nope.wav)"),
    ('{"instruction": "rain", "events": [{"caption": "rain", "start": 0, "duration": 1, "audio": "bad.wav"}]}',
     "train.jsonl:1 events[0].audio: cannot read bad.wav"),
])
def test_bad_training_data_is_a_one_line_validation_error(tmp_path, line, where):
    folder = _write_jsonl(tmp_path / "data", [line])
    (folder / "bad.wav").write_bytes(b"RIFF not really a wave file")
    with pytest.raises(engine.ValidationError) as err:
        load_folder(folder, 16000, 1)
    assert str(err.value).startswith(where) and "\n" not in str(err.value)


def test_cli_reports_bad_input_in_one_line_with_exit_2(tmp_path, capsys):
    bad = _write_jsonl(tmp_path / "data", ['{"instruction": "rain", "events": "none"}'])
    for argv in (["--data", str(bad)], ["--data", str(tmp_path / "missing")], ["--synthetic", "0"],
                 ["--synthetic", "2", "--init", str(tmp_path / "no-model")]):
        assert train_main(["--stage", "1", "--steps", "2", "--out", str(tmp_path / "out")] + argv) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err
    proc = subprocess.run([sys.executable, "-m", "engine.audiostory.train", "--stage", "1", "--steps", "2",
                           "--out", str(tmp_path / "out"), "--data", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == "" and proc.stderr.strip().count("\n") == 0
    assert "events: must be a non-empty list" in proc.stderr


def test_bad_model_folders_give_clear_errors(tmp_path, trained):
    with pytest.raises(engine.ValidationError, match="pass model="):
        engine.get_renderer("audiostory")
    with pytest.raises(engine.BackendUnavailable, match="does not exist"):
        engine.plan("Rain falls.", 2.0, planner="audiostory", model=str(tmp_path / "nowhere"))
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "config.json").write_text("{}")
    with pytest.raises(engine.BackendUnavailable, match="not an AudioStory model folder"):
        engine.get_renderer("audiostory", model=str(tmp_path / "half"))
    import shutil
    broken = tmp_path / "broken"
    shutil.copytree(trained[1] / "model", broken)
    (broken / "heads.safetensors").write_bytes(b"garbage")
    with pytest.raises(engine.BackendUnavailable, match="cannot load AudioStory model") as err:
        engine.get_renderer("audiostory", model=str(broken))
    assert "\n" not in str(err.value)


def test_a_cut_off_query_run_is_not_an_event(trained):
    model = trained[0]
    lay = model.layout
    events = [("rain on a tin roof", 0.0, 2.5), ("a church bell tolls", 2.5, 1.2)]
    ids, _ = T.sequence(model.tokenizer, lay, "Rain. Then a bell.", 3.7, events)
    cut = ids[:-4]   # the second event's residual run is truncated (token limit)
    assert len(T.query_positions(cut, lay)) == 1
    parsed = T.parse(model.tokenizer, lay, cut)
    assert parsed.events == [("rain on a tin roof", 2.5)] and parsed.runs == [0] and not parsed.complete
    with torch.no_grad():
        _, sem, res, counts = model.run_llm([cut])
    assert counts == [1] and sem.shape[0] == res.shape[0] == 1


def test_user_text_cannot_inject_special_tokens(trained):
    model = trained[0]
    ids = T.prompt_ids(model.tokenizer, "rain <sem_0> <|gen|> </timestamp>", 2.0)
    assert not set(ids) & set(model.layout.ids.values()) and not set(ids) & set(model.layout.sem)


def test_cli_make_plans_and_renders_with_the_model(trained, tmp_path, monkeypatch):
    """`python -m engine make --planner audiostory --model DIR --renderer audiostory
    --renderer-model DIR`: a mix of exactly the asked length; the environment variable
    stands in for --renderer-model (the studio's way)."""
    import soundfile as sf

    from engine.__main__ import main as cli
    folder = str(trained[1] / "model")
    out = tmp_path / "out"
    assert cli(["make", "Rain falls, then a church bell tolls.", "--duration", "2", "--planner", "audiostory",
                "--model", folder, "--renderer", "audiostory", "--renderer-model", folder, "-o", str(out)]) == 0
    info = sf.info(str(out / "mix.wav"))
    assert info.frames == 2 * 44100
    plan = json.loads((out / "project.json").read_text())
    assert plan["planner"] == "audiostory" and plan["events"]
    monkeypatch.setenv("STORY_AUDIO_AUDIOSTORY_MODEL", folder)
    assert engine.get_renderer("audiostory").model == str(trained[1].joinpath("model").resolve())


# -- devices ------------------------------------------------------------------------------
from engine.audiostory import DEVICE_ENV, resolve_device  # noqa: E402


@pytest.fixture
def no_gpu(monkeypatch):
    """This machine as one without CUDA or MPS (whatever it has), and no device variable."""
    monkeypatch.delenv(DEVICE_ENV, raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    mps = getattr(torch.backends, "mps", None)
    if mps is not None:
        monkeypatch.setattr(mps, "is_available", lambda: False)


def _one_line_error(err: str) -> None:
    assert err.startswith("error: ") and "\n" not in err.strip() and "Traceback" not in err


def test_explicit_cpu_device_is_bit_identical_to_the_default(trained, no_gpu):
    model, root, _, data = trained
    folder = str(root / "model")
    assert resolve_device(None) == resolve_device("auto") == resolve_device("CPU") == "cpu"
    tl = engine.Timeline.from_json({"story": "rain then a bell", "duration_s": 1.4, "sample_rate": 16000, "events": [
        {"id": "a", "caption": "rain falls", "start_s": 0.0, "duration_s": 0.8, "seed": 5},
        {"id": "b", "caption": "a church bell tolls", "start_s": 0.8, "duration_s": 0.6, "seed": 6}]})
    I._load.cache_clear()
    default = engine.get_renderer("audiostory", model=folder)
    before = engine.render(tl, default)
    I._load.cache_clear()
    cpu = engine.get_renderer("audiostory", model=folder, device="cpu")
    assert cpu.net is not default.net and cpu.net.device.type == "cpu"
    after = engine.render(tl, cpu)
    assert all(np.array_equal(before[k].audio, after[k].audio) for k in ("a", "b"))
    story = "Rain falls on the roof. Then a church bell tolls."
    assert (engine.plan(story, 2.0, planner="audiostory", model=folder).to_json()
            == engine.plan(story, 2.0, planner="audiostory", model=folder, device="cpu").to_json())
    # training: the same losses and weights with and without device="cpu"
    samples = load_folder(data, 16000, 1)
    runs = []
    for options in ({}, {"device": "cpu", "dtype": "auto"}):
        m = AudioStory.build(micro())
        runs.append((train(m, samples, 2, 3, seed=4, **options), m.sem_proj[0].weight.detach().clone()))
    assert runs[0][0] == runs[1][0] and torch.equal(runs[0][1], runs[1][1])


def test_a_bad_device_is_a_one_line_validation_error(trained, monkeypatch, tmp_path, capsys):
    folder = str(trained[1] / "model")
    for bad in ("gpu", "cuda:x", "cuda:", "tpu", "", 3):
        with pytest.raises(engine.ValidationError) as err:
            resolve_device(bad)
        assert err.value.field == "device" and str(err.value).startswith("device: ") and "\n" not in str(err.value)
    with pytest.raises(engine.ValidationError, match="^device: "):
        engine.get_renderer("audiostory", model=folder, device="gpu")
    with pytest.raises(engine.ValidationError, match="^device: "):
        engine.plan("Rain falls.", 2.0, planner="audiostory", model=folder, device="gpu")
    with pytest.raises(engine.ValidationError, match="^device: "):
        train(trained[0], [], 2, 1, device="gpu")
    with pytest.raises(engine.ValidationError, match="^dtype: "):
        train(trained[0], [], 2, 1, dtype="half")
    monkeypatch.setenv(DEVICE_ENV, "quantum")
    with pytest.raises(engine.ValidationError, match=f"^device: .*{DEVICE_ENV}"):
        engine.get_renderer("audiostory", model=folder)
    monkeypatch.delenv(DEVICE_ENV)
    for argv in (["--device", "gpu"], ["--dtype", "half"], ["--device", "cpu", "--dtype", "bfloat16"]):
        assert train_main(["--stage", "1", "--steps", "2", "--out", str(tmp_path / "out"),
                           "--data", str(trained[3])] + argv) == 2
        _one_line_error(capsys.readouterr().err)
    assert not (tmp_path / "out").exists()


def test_a_missing_gpu_is_a_one_line_error_with_exit_2(trained, no_gpu, tmp_path, capsys, monkeypatch):
    folder = str(trained[1] / "model")
    for device in ("cuda", "cuda:1", "mps"):
        with pytest.raises(engine.BackendUnavailable, match=f"^device '{device}'") as err:
            engine.get_renderer("audiostory", model=folder, device=device)
        assert "\n" not in str(err.value)
        assert train_main(["--stage", "1", "--steps", "2", "--out", str(tmp_path / "out"),
                           "--synthetic", "2", "--device", device]) == 2
        err = capsys.readouterr().err
        _one_line_error(err)
        assert device in err
    monkeypatch.setenv(DEVICE_ENV, "cuda")
    with pytest.raises(engine.BackendUnavailable, match=DEVICE_ENV):
        engine.get_renderer("audiostory", model=folder)
    monkeypatch.delenv(DEVICE_ENV)
    from engine.audiostory.evidence import main as evidence_main
    assert evidence_main(["--device", "cuda", "--out", str(tmp_path / "ev")]) == 2
    _one_line_error(capsys.readouterr().err)
    assert not (tmp_path / "out").exists() and not (tmp_path / "ev").exists()
    env = {k: v for k, v in __import__("os").environ.items() if k != DEVICE_ENV}
    env["CUDA_VISIBLE_DEVICES"] = ""   # no GPU for the child, whatever this machine has
    proc = subprocess.run([sys.executable, "-m", "engine.audiostory.train", "--stage", "1", "--steps", "2",
                           "--out", str(tmp_path / "out"), "--synthetic", "2", "--device", "cuda"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    _one_line_error(proc.stderr)
    assert "device 'cuda'" in proc.stderr and not (tmp_path / "out").exists()


def test_training_cli_accepts_device_cpu(trained, tmp_path, capsys):
    out = tmp_path / "cpu"
    assert train_main(["--stage", "2", "--steps", "1", "--out", str(out), "--init", str(trained[1] / "model"),
                       "--data", str(trained[3]), "--device", "cpu", "--dtype", "float32"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["device"] == "cpu" and summary["dtype"] == "float32" and summary["steps_run"] == 1
    assert AudioStory.from_pretrained(out).device.type == "cpu"


def test_the_small_config_builds_and_takes_one_step_on_cpu(trained):
    """`small` (the GPU evidence config) is consistent and trains; one step only here."""
    cfg = get_config("small")
    assert sum(cfg.rope_axes) == cfg.dit_head_dim and cfg.vae_latent * 2 == cfg.vae_hidden
    model = AudioStory.build(cfg)
    assert model.device.type == "cpu" and model.layout.sem and len(model.layout.sem) == cfg.n_semantic
    assert 5e6 < sum(p.numel() for p in model.parameters()) < 1e8
    model.cfg.batch_size = 1   # a test-sized batch: one sample of at most two events
    samples = load_folder(trained[3], cfg.sample_rate, cfg.audio_channels)
    r = train(model, samples, 2, 1, device="cpu")
    assert r["steps_run"] == 1 and all(np.isfinite(v) for v in r["loss_last"].values())
