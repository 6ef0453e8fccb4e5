"""The embedded ``rules`` planner: offline, no weights.

Sentences and clauses -> ordered scenes (temporal connectives give order,
simultaneity words give overlap); sound concepts are found with the procedural
catalog's keyword lexicon; continuous textures become beds on ``ambience`` spanning
their scene, discrete sounds become ``fx`` events; a ``music`` bed follows the mood."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..rendering.procedural.modifiers import tokenize
from ..timeline import Timeline

SEQUENCE = r"(?:and then|then|after that|afterwards|later|finally|eventually|next|soon|at last|suddenly|until|before|after|when|once)"
SIMULTANEOUS = ("while", "as", "meanwhile", "amid", "amidst", "during", "with")
MOODS = {
    "tense": ("tense", "suspense", "scary", "eerie", "ominous", "menacing", "haunted", "horror", "creepy",
              "dread", "thriller", "sinister", "dark", "storm", "chase"),
    "sad": ("sad", "melancholy", "sorrow", "grief", "mournful", "lonely", "funeral", "tears"),
    "epic": ("epic", "heroic", "triumphant", "battle", "majestic", "war", "explosion", "army"),
    "happy": ("happy", "joyful", "cheerful", "playful", "festive", "laugh", "party", "cartoon", "celebrate"),
    "calm": ("calm", "peaceful", "serene", "gentle", "quiet", "tranquil", "morning", "dawn", "lullaby"),
}
MUSIC_WORDS = ("music", "score", "soundtrack", "melody", "song", "orchestra", "piano", "strings", "theme")
SETTING = re.compile(r"\b(?:in|at|on|over|inside|near|across|through|into|outside)\s+(?:an?|the|this|that)?\s*"
                     r"((?:[a-z'-]+\s+){0,3}?(?:[a-z'-]+))(?=\s+(?:at|in|on|as|while|when|and|with|during)\b|[,.;!?]|$)")
_LEADING = re.compile(rf"^\s*(?:{SEQUENCE}|{'|'.join(SIMULTANEOUS)}|and|but|so)\b[\s,]*", re.I)


@dataclass
class Clause:
    text: str
    index: int
    simultaneous: bool = False


_SPLIT = re.compile(rf"[;:]|,?\s+(?={SEQUENCE}\b)|,?\s+(?=(?:{'|'.join(SIMULTANEOUS)})\b)|,?\s+and\s+|,\s+", re.I)


def split_clauses(story: str) -> list[Clause]:
    """Sentences, then sound units at temporal connectives, simultaneity words,
    conjunctions and commas. Units starting with a simultaneity word overlap the
    previous unit instead of following it."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n+", story.strip()) if s.strip()]
    out: list[Clause] = []
    for s in sentences:
        for p in _SPLIT.split(s):
            p = (p or "").strip(" ,.;!?\"'")
            if not p:
                continue
            simultaneous = bool(re.match(rf"^\s*(?:{'|'.join(SIMULTANEOUS)})\b", p, re.I))
            text = _LEADING.sub("", p).strip(" ,")
            if text:
                out.append(Clause(text=text, index=len(out), simultaneous=simultaneous and bool(out)))
    return out


class RulesPlanner:
    name = "rules"

    def __init__(self, *, music: bool | None = None, sample_rate: int = 44100) -> None:
        self.music = music
        self.sample_rate = sample_rate

    def _lexicon(self):
        from ..rendering.procedural.matching import _stem
        from ..rendering.procedural.recipes import catalog
        words = set()
        for r in catalog().values():
            if r.track == "music":
                continue
            for kw in r.keywords:
                toks = tuple(_stem(t) for t in tokenize(kw))
                if toks:
                    words.add(toks)
        return sorted(words, key=len, reverse=True), _stem

    @staticmethod
    def _sounds(text: str, lexicon, stem) -> bool:
        toks = [stem(t) for t in tokenize(text)]
        joined = " " + " ".join(toks) + " "
        return any(f" {' '.join(kw)} " in joined for kw in lexicon)

    def plan(self, story: str, duration_s: float) -> Timeline:
        from ..rendering.procedural.matching import match
        from ..rendering.procedural.recipes import catalog
        recipes = catalog()
        lexicon, stem = self._lexicon()
        lower = story.lower()
        mood = next((m for m, words in MOODS.items() if any(re.search(rf"\b{w}", lower) for w in words)), "calm")
        setting_m = SETTING.search(lower)
        setting = setting_m.group(1).strip() if setting_m else ""
        units = [c for c in split_clauses(story) if self._sounds(c.text, lexicon, stem)]
        # sequential units get time slots; simultaneous ones share the previous slot
        slots: list[list[Clause]] = []
        for c in units:
            if c.simultaneous and slots:
                slots[-1].append(c)
            else:
                slots.append([c])
        weights = [max(1.0, sum(len(c.text.split()) for c in s) ** 0.5) for s in slots]
        total_w = sum(weights) or 1.0
        starts, t = [], 0.0
        for w in weights:
            starts.append(t)
            t += duration_s * w / total_w
        xfade = min(2.0, duration_s * 0.05)
        lanes: list[list[dict]] = []   # ambience lanes; beds in one lane follow each other with crossfades
        fx: list[dict] = []
        reasons: list[str] = []
        for si, slot in enumerate(slots):
            s0 = starts[si]
            s1 = starts[si + 1] if si + 1 < len(slots) else duration_s
            lane_i = 0
            fx_i = 0
            for c in slot:
                m = match(c.text)
                rid = m["recipe"]
                rec = recipes[rid]
                caption = self._caption(c.text, rid)
                reasons.append(f"'{c.text}' -> {rid}")
                if rec.texture and rec.track == "ambience":
                    while len(lanes) <= lane_i:
                        lanes.append([])
                    lane = lanes[lane_i]
                    lane_i += 1
                    if lane and lane[-1]["recipe_hint"] == rid:
                        continue  # the same bed simply continues
                    if lane:
                        prev = lane[-1]
                        prev["end"] = min(duration_s, max(prev["start"] + 0.5, s0 + xfade))
                    lane.append({"caption": caption, "start": s0, "end": duration_s, "recipe_hint": rid})
                else:
                    span = s1 - s0
                    count = m["params"].get("count") or 1
                    want = min(rec.default_duration_s * (1 + 0.35 * (count - 1)), 12.0)
                    dur = max(0.5, min(want, max(span * 0.9, 1.0), duration_s))
                    start = min(s0 + 0.1 * span + fx_i * min(0.75, span / 3), duration_s - dur)
                    fx.append({"caption": caption, "start_s": max(0.0, start), "duration_s": dur, "track": "fx",
                               "cues": f"from: {c.text}"[:300]})
                    fx_i += 1
        if lanes and lanes[0] and lanes[0][0]["start"] > 0:
            lanes[0][0]["start"] = 0.0  # the first bed sets the scene from the very start
        tracks = ["ambience", "fx", "music"] + [f"ambience{k + 1}" for k in range(1, len(lanes))]
        out = []
        for k, lane in enumerate(lanes):
            for b in lane:
                d = b["end"] - b["start"]
                out.append({"caption": b["caption"], "start_s": b["start"], "duration_s": d,
                            "track": "ambience" if k == 0 else f"ambience{k + 1}",
                            "fade_in_s": min(1.0, d / 4), "fade_out_s": min(1.0, d / 4)})
        out.extend(fx)
        wants_music = self.music if self.music is not None else (
            any(re.search(rf"\b{w}\b", lower) for w in MUSIC_WORDS) or mood != "calm" or not out)
        if wants_music:
            out.append({"caption": f"{mood} cinematic underscore, soft pad", "start_s": 0.0,
                        "duration_s": duration_s, "track": "music", "gain_db": -8.0,
                        "fade_in_s": min(2.0, duration_s / 4), "fade_out_s": min(2.0, duration_s / 4), "tone": mood})
            reasons.append(f"music: a {mood} underscore under the whole story")
        if not lanes and duration_s >= 2:
            out.insert(0, {"caption": f"quiet {setting or 'outdoor'} room tone", "start_s": 0.0,
                           "duration_s": duration_s, "track": "ambience", "fade_in_s": 0.5, "fade_out_s": 0.5})
            reasons.append("no continuous bed in the story: a quiet room tone keeps the soundtrack alive")
        out.sort(key=lambda e: (e["start_s"], e["track"]))
        for i, e in enumerate(out, 1):
            e["id"] = f"e{i}"
            e["duration_s"] = round(min(e["duration_s"], duration_s - e["start_s"]), 3)
            e["start_s"] = round(e["start_s"], 3)
            e.setdefault("fade_in_s", min(0.05, e["duration_s"] / 4))
            e.setdefault("fade_out_s", min(0.25, e["duration_s"] / 4))
            if e["fade_in_s"] + e["fade_out_s"] > e["duration_s"]:
                e["fade_in_s"] = e["fade_out_s"] = round(e["duration_s"] / 4, 3)
        reasoning = (f"{len(slots)} moment(s) in story order; mood '{mood}'" + (f", setting '{setting}'" if setting else "")
                     + ". " + "; ".join(reasons))
        return Timeline.from_json({
            "version": 1, "story": story, "duration_s": duration_s, "sample_rate": self.sample_rate,
            "context": {"setting": setting, "mood": mood, "residual": f"{mood} scene{' at ' + setting if setting else ''}"},
            "tracks": [{"id": t} for t in tracks],
            "events": out, "reasoning": reasoning[:20000], "planner": self.name,
        })

    @staticmethod
    def _caption(text: str, recipe_id: str) -> str:
        t = re.sub(r"\s+", " ", text).strip(" ,.;")
        if len(t) > 160:
            t = t[:160].rsplit(" ", 1)[0]
        return t or recipe_id.replace("_", " ")
