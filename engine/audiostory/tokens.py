"""The AudioStory token layout: special tokens, training sequences, the parser of
generated plans and the logits processor that forces the query-token runs.

One answer reads::

    <|think|> 2 events. 1: 0.0 to 4.0 seconds, rain on a roof. ... <|/think|>
    <|gen|> rain on a roof <timestamp> 4.0 </timestamp> <sem> <sem_0> … <sem_N-1> </sem>
                                                           <res> <res_0> … <res_M-1> </res>
    <|gen|> … <eos>

``<sem_i>`` are the paper's ``<t5_i>`` bridging queries, ``<res_i>`` its ``<aud_i>``
residual queries. Everything from ``<sem>`` to ``</res>`` is forced, never learned as
text: the LM loss skips it and the logits processor emits it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

THINK, END_THINK, GEN = "<|think|>", "<|/think|>", "<|gen|>"
TS, END_TS = "<timestamp>", "</timestamp>"
SEM, END_SEM, RES, END_RES = "<sem>", "</sem>", "<res>", "</res>"
IGNORE = -100


def special_tokens(n_semantic: int, n_residual: int) -> list[str]:
    return ([THINK, END_THINK, GEN, TS, END_TS, SEM, END_SEM, RES, END_RES]
            + [f"<sem_{i}>" for i in range(n_semantic)] + [f"<res_{i}>" for i in range(n_residual)])


def instruction_text(story: str, duration_s: float) -> str:
    """The AudioStory instruction: the story plus its total duration."""
    return f"{story.strip()} The total duration is {duration_s:.1f} seconds."


def reasoning_text(events: list[tuple[str, float, float]]) -> str:
    """A storyline summary from (caption, start_s, duration_s): count, spans, content."""
    parts = [f"{len(events)} events."]
    parts += [f"{i + 1}: {s:.1f} to {s + d:.1f} seconds, {c}." for i, (c, s, d) in enumerate(events)]
    return " ".join(parts)


@dataclass
class Layout:
    """Token ids of the special tokens for one tokenizer."""
    ids: dict
    sem: list
    res: list
    eos: int
    pad: int

    @classmethod
    def from_tokenizer(cls, tok, n_semantic: int, n_residual: int) -> "Layout":
        names = special_tokens(n_semantic, n_residual)
        ids = {t: tok.convert_tokens_to_ids(t) for t in names}
        return cls(ids=ids, sem=[ids[f"<sem_{i}>"] for i in range(n_semantic)],
                   res=[ids[f"<res_{i}>"] for i in range(n_residual)], eos=tok.eos_token_id,
                   pad=tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id)

    def forced_after(self) -> dict[int, int]:
        """token id -> the only id allowed next (the query runs)."""
        i = self.ids
        run = [i[SEM]] + self.sem + [i[END_SEM], i[RES]] + self.res + [i[END_RES]]
        nxt = {i[END_TS]: i[SEM]}
        nxt.update({a: b for a, b in zip(run[:-1], run[1:])})
        return nxt

    @property
    def forced_ids(self) -> set[int]:
        return set(self.forced_after().values())


def add_tokens(tok, llm, n_semantic: int, n_residual: int) -> Layout:
    """Extend a tokenizer and its LM with the AudioStory special tokens."""
    tok.add_special_tokens({"additional_special_tokens": special_tokens(n_semantic, n_residual)})
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    llm.resize_token_embeddings(len(tok), mean_resizing=False)
    return Layout.from_tokenizer(tok, n_semantic, n_residual)


def _text_ids(tok, text: str) -> list[int]:
    """Plain text -> ids; user text can never smuggle in a special token (``<sem_0>`` …)."""
    return tok(text, add_special_tokens=False, split_special_tokens=True)["input_ids"] if text else []


def prompt_ids(tok, story: str, duration_s: float) -> list[int]:
    return _text_ids(tok, instruction_text(story, duration_s) + "\n")


def event_ids(tok, lay: Layout, caption: str, duration_s: float) -> tuple[list[int], list[bool]]:
    """One event's tokens and whether each is a learned (LM-loss) target."""
    ids, learn = [lay.ids[GEN]], [True]
    for piece in (_text_ids(tok, caption), [lay.ids[TS]], _text_ids(tok, f"{duration_s:.1f}"), [lay.ids[END_TS]]):
        ids += piece
        learn += [True] * len(piece)
    run = [lay.ids[SEM]] + lay.sem + [lay.ids[END_SEM], lay.ids[RES]] + lay.res + [lay.ids[END_RES]]
    return ids + run, learn + [False] * len(run)


def sequence(tok, lay: Layout, story: str, duration_s: float, events: list[tuple[str, float, float]],
             reasoning: str | None = None) -> tuple[list[int], list[int]]:
    """(input_ids, labels) of one full sample; events are (caption, start_s, duration_s).
    Labels cover reasoning, captions, timestamps and tags; the prompt and forced runs are IGNORE."""
    p = prompt_ids(tok, story, duration_s)
    think = [lay.ids[THINK]] + _text_ids(tok, reasoning if reasoning is not None else reasoning_text(events)) \
        + [lay.ids[END_THINK]]
    ids, labels = p + think, [IGNORE] * len(p) + think
    for cap, _, dur in events:
        e, learn = event_ids(tok, lay, cap, dur)
        ids += e
        labels += [t if ok else IGNORE for t, ok in zip(e, learn)]
    return ids + [lay.eos], labels + [lay.eos]


def query_positions(ids: list[int], lay: Layout) -> list[tuple[int, int]]:
    """(first semantic slot, first residual slot) positions of each COMPLETE query run,
    in order (a run cut short by the token limit is not an event's conditioning)."""
    i = lay.ids
    run = [i[SEM]] + lay.sem + [i[END_SEM], i[RES]] + lay.res + [i[END_RES]]
    n, out = len(run), []
    for k, t in enumerate(ids):
        if t == i[SEM] and ids[k:k + n] == run:
            out.append((k + 1, k + 3 + len(lay.sem)))
    return out


@dataclass
class ParsedPlan:
    reasoning: str
    events: list  # [(caption, duration_s)]
    complete: bool
    runs: list = None  # per event: the index of its query run among query_positions(ids)


def parse(tok, lay: Layout, ids: list[int]) -> ParsedPlan:
    """Read reasoning and (caption, duration) events from generated ids; malformed
    events (or events whose query run was cut off) are skipped and reported through
    ``complete=False``."""
    i = lay.ids
    reasoning, events, runs, complete = "", [], [], True
    if i[THINK] in ids and i[END_THINK] in ids:
        a, b = ids.index(i[THINK]), ids.index(i[END_THINK])
        reasoning = tok.decode(ids[a + 1:b], skip_special_tokens=True).strip()
    run_starts = [s0 - 1 for s0, _ in query_positions(ids, lay)]   # index of each complete run's <sem>
    starts = [k for k, t in enumerate(ids) if t == i[GEN]]
    for n, k in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(ids)
        seg = ids[k + 1:end]
        own = [r for r, s in enumerate(run_starts) if k < s < end]
        if i[TS] not in seg or i[END_TS] not in seg or not own:
            complete = False
            continue
        a, b = seg.index(i[TS]), seg.index(i[END_TS])
        caption = tok.decode(seg[:a], skip_special_tokens=True).strip()
        m = re.search(r"\d+(?:\.\d+)?", tok.decode(seg[a + 1:b], skip_special_tokens=True).replace(" ", ""))
        if not caption or not m or float(m.group()) <= 0:
            complete = False
            continue
        events.append((caption, float(m.group())))
        runs.append(own[0])
    return ParsedPlan(reasoning=reasoning, events=events, complete=complete and bool(events), runs=runs)


def force_processor(lay: Layout):
    """A transformers LogitsProcessor: after ``</timestamp>`` the whole
    ``<sem> … </sem> <res> … </res>`` run is forced; outside a run no query token may appear."""
    import torch
    from transformers import LogitsProcessor

    nxt = lay.forced_after()
    banned = torch.tensor(sorted(lay.forced_ids))

    class ForceQueryTokens(LogitsProcessor):
        def __call__(self, input_ids, scores):
            scores = scores.clone()
            scores[:, banned.to(scores.device)] = float("-inf")
            for row in range(input_ids.shape[0]):
                forced = nxt.get(int(input_ids[row, -1]))
                if forced is not None:
                    scores[row] = float("-inf")
                    scores[row, forced] = 0.0
            return scores

    return ForceQueryTokens()
