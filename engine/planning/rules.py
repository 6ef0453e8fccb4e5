"""The embedded ``rules`` planner: offline, no weights, a few milliseconds per story.

1. split the story into paragraphs, sentences and clauses; connectives give each clause
   its place in time (then/after/finally: later; while/as/meanwhile: at the same time;
   'A after B': B first) and time jumps ('the next morning', 'then dawn breaks', 'inside')
   start new scenes; 'then silence' and 'the storm passes' end beds;
2. find the sound concepts of every clause with a stem-indexed lexicon
   (``lexicon.py``, ``rules_extract.py``; words read in context: 'lasers fire' is no
   fire, 'a stormy night' is a storm) and write a renderable caption for each;
3. give every moment its share of the requested duration (explicit 'for ten seconds'
   honoured), lay one background bed per scene on ``ambience`` (crossfading into the
   next scene's), extra textures on further ambience lanes, foreground sounds on ``fx``
   lanes (overlapping sounds never share a lane) and music on ``music`` when the story
   asks for music or a mood; a scene without a bed gets one that suits its setting
   (a spacecraft, a ship, a city, a room) and music captions carry the mood, which is
   named in the story or else implied by its genre words and sounds;
4. keep the reasoning (AudioStory's think step): what was found, where and why."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..timeline import _CONTROL, MAX_EVENTS, MAX_TRACKS, Timeline
from .lexicon import stem
from .rules_extract import PEOPLE, QUALIFIERS, Found, find_in_clause, index
from .rules_text import STOP, Unit, implied_mood, mood_of, split_units

MAX_AMBIENCE_LANES = 3
MAX_FX_LANES = 8
MAX_SCENES = 60
MAX_FX_EVENTS = 300
LOOP_SECONDS = 8.0          # fx this long by nature (a clock, machinery) fill their moment
UNDERSCORE_HEADS = ("music", "soundtrack", "score", "melody", "theme", "tune", "song", "anthem", "symphony")
MUSIC_STYLE = {
    "tense": "tense cinematic underscore, low pulsing strings and dark drones",
    "sad": "slow sad underscore, soft piano and strings",
    "epic": "epic orchestral score with brass and timpani",
    "happy": "cheerful bouncy underscore, pizzicato strings and light percussion",
    "calm": "calm ambient music with soft warm pads",
}
# diegetic music carries the story's mood ("a piano playing a [mood] melody")
MOOD_TUNE = {"tense": "tense, moody", "sad": "slow, sad", "epic": "triumphant", "happy": "cheerful, upbeat",
             "calm": "gentle"}
# a place bed adds nothing when the scene also has one of these beds (a venue is heard
# from inside: "a jazz club downtown" is the club, not the street)
PLACE_COVERED = {"beach": {"ocean"}, "city": {"traffic", "restaurant", "office", "church", "hospital", "school"},
                 "traffic": {"city"}, "forest": {"birds"}, "restaurant": {"crowd"},
                 "crowd": {"restaurant", "stadium"}, "stadium": {"crowd"}, "station": {"crowd"}}
WEATHER_BEDS = frozenset(("rain", "storm", "wind", "snow"))
# an outdoor place after dark sounds of night, not of birdsong
NIGHT_BEDS = {"forest": "a forest at night, crickets chirping and a faint breeze",
              "countryside": "quiet night ambience with crickets chirping",
              "city": "a quiet city street at night, distant traffic humming"}
SILENCE_GAIN_DB = -12.0
# the bed when a scene names none: what the story's sounds say about where it is
SETTING_BEDS = {
    "space": ("space", "the low electronic hum of a spacecraft interior",
              {"spaceship", "laser", "airlock", "spacebridge", "space", "teleport", "robot", "computer"}),
    "sea": ("ship_interior", "waves lapping gently against a wooden hull",
            {"ship", "boat", "ocean", "beach", "gulls", "ship_interior", "whale"}),
    "city": ("city", "a quiet city street, distant traffic humming",
             {"city", "traffic", "siren", "passby", "horn", "tyres", "brakes", "bus", "station", "construction"}),
    "interior": ("house", "quiet room tone",
                 {"house", "kitchen", "castle", "office", "typing", "phone", "clock", "hospital", "church",
                  "restaurant", "appliance", "doorbell", "knock", "door_open", "door_close", "creak", "school",
                  "kettle", "water_tap", "dishes"}),
}
_INDOOR_WORDS = frozenset(("inside", "indoors", "room", "hall", "stairs", "upstairs", "downstairs", "corridor",
                           "birthday", "candles"))
# places heard outdoors: after a silence their scene keeps a quiet outdoor air, never room tone
OUTDOOR_KEYS = frozenset(("countryside", "forest", "beach", "city", "traffic", "desert", "mountain", "battlefield",
                          "stadium", "ocean", "stream", "waterfall", "birds", "frogs", "insects", "construction"))
# a storm is heard with its thunder; these storms are snow and wind
_NO_THUNDER = ("blizzard", "snow", "sand", "dust")


#: person nouns that imply a place bed in the lexicon, and the place they name in the setting
PERSON_PLACES = {"chef": "kitchen", "chefs": "kitchen", "cook": "kitchen", "cooks": "kitchen",
                 "astronaut": "spacecraft", "astronauts": "spacecraft", "cosmonaut": "spacecraft",
                 "cosmonauts": "spacecraft"}


@dataclass
class Slot:
    units: list
    scene: int
    start: float = 0.0
    end: float = 0.0

    @property
    def seconds(self) -> float | None:
        given = [u.seconds for u in self.units if u.seconds]
        return max(given) if given else None


@dataclass
class Scene:
    slots: list = field(default_factory=list)
    start: float = 0.0
    end: float = 0.0
    fallback: list = field(default_factory=list)   # quiet places and times of day named in the scene
    place: Found | None = None                     # the scene's own place bed, if it named one


class RulesPlanner:
    name = "rules"

    def __init__(self, *, music: bool | None = None, sample_rate: int = 44100) -> None:
        self.music = music
        self.sample_rate = sample_rate

    # -- 1. text -> units with concepts, slots and scenes ----------------------------------
    def plan(self, story: str, duration_s: float) -> Timeline:
        story = _CONTROL.sub(" ", story)   # pasted text may carry control characters: never fatal
        units = split_units(story, stem)
        found = {id(u): find_in_clause(u.tokens, u.text) for u in units}
        _in_context(found)
        scenes = self._scenes(units, found)
        notes: list[str] = []
        self._react(scenes, found, notes)
        self._allocate(scenes, duration_s)
        # "an ice cream van approaches, then fades away": a stop without a subject is the
        # previous clause's sound stopping, not a silence over the whole scene
        slot_of = {id(u): s for sc in scenes for s in sc.slots for u in s.units}
        self._fades: dict = {}
        self._stopped_by: dict = {}
        for prev, u in zip(units, units[1:]):
            if u.stops and not u.silence and not found[id(u)] and found[id(prev)] \
                    and prev.sentence == u.sentence and STOP.match(u.text):
                self._fades[id(prev)] = slot_of[id(u)]
                self._stopped_by[id(u)] = prev
        events: list[dict] = []
        lanes = _Lanes()
        self._storms: list = []
        for si, sc in enumerate(scenes):
            events += self._beds(sc, si, scenes, found, duration_s, lanes, notes)
        fx = self._foreground(scenes, found, duration_s, lanes, notes, self._thunder(scenes, found, duration_s))
        events += fx
        words = [w for u in units for w, _, _ in u.tokens]
        music_words = {w for u in units if any(f.concept.kind == "music" for f in found[id(u)]) for w, _, _ in u.tokens}
        mood, mood_words = mood_of(words, music_words)
        keys = [f.concept.key for u in units for f in found[id(u)]] + ["thunder"] * len(self._storms)
        if not mood:
            mood = implied_mood(words, keys)
        events += self._music(units, found, scenes, mood, mood_words, duration_s, lanes, notes)
        setting = self._setting(units, found)
        return self._timeline(story, duration_s, events, lanes, scenes, mood, setting, notes)

    @staticmethod
    def _scenes(units: list[Unit], found: dict) -> list[Scene]:
        scenes = [Scene()]
        para_has_bed = {}
        for u in units:
            if any(f.concept.is_bed for f in found[id(u)]):
                para_has_bed[u.paragraph] = True
        prev_para = units[0].paragraph if units else 0
        for u in units:
            new_para = u.paragraph != prev_para and para_has_bed.get(u.paragraph, False)
            prev_para = u.paragraph
            if (u.scene_break or new_para) and scenes[-1].slots and len(scenes) < MAX_SCENES:
                scenes.append(Scene())
            sc = scenes[-1]
            if u.relation == "sim" and sc.slots:
                sc.slots[-1].units.append(u)
            else:
                sc.slots.append(Slot([u], len(scenes) - 1))
        return [s for s in scenes if s.slots] or [Scene([Slot([], 0)])]

    @staticmethod
    def _react(scenes: list[Scene], found: dict, notes: list[str]) -> None:
        """People named with a reaction verb ("the crowd cheers", "children laugh"): when the
        scene opens on them their sound is the bed ("children laughing"); later in the scene
        the reaction is a foreground sound at its moment and no bed starts from it."""
        for sc in scenes:
            for k, slot in enumerate(sc.slots):
                for u in slot.units:
                    fs = found[id(u)]
                    if not any(f.reaction is not None for f in fs):
                        continue
                    new = []
                    for f in fs:
                        r = f.reaction
                        if r is None:
                            new.append(f)
                        elif k == 0:
                            new.append(Found(f.concept, r.caption.split(" and ")[0], f.word, f.position))
                        else:
                            if not any(g.concept.key == r.concept.key for g in fs):
                                new.append(r)
                            notes.append(f"'{u.text[:60]}': '{f.word} {r.word}' is a reaction at its moment, "
                                         f"not a bed")
                    found[id(u)] = sorted(new, key=lambda f: f.position)

    # -- 2. time: every moment its share, explicit durations honoured ------------------------
    @staticmethod
    def _allocate(scenes: list[Scene], total: float) -> None:
        slots = [s for sc in scenes for s in sc.slots]
        fixed = {id(s): s.seconds for s in slots if s.seconds}
        free = [s for s in slots if id(s) not in fixed]
        fixed_sum = sum(fixed.values())
        cap = total * (0.9 if free else 1.0)
        scale = min(1.0, cap / fixed_sum) if fixed_sum else 1.0
        weights = {id(s): _weight(s) for s in free}
        rest = total - fixed_sum * scale
        wsum = sum(weights.values()) or 1.0
        t = 0.0
        for s in slots:
            span = fixed[id(s)] * scale if id(s) in fixed else rest * weights[id(s)] / wsum
            s.start, s.end = t, t + span
            t += span
        slots[-1].end = total
        for sc in scenes:
            sc.start, sc.end = sc.slots[0].start, sc.slots[-1].end

    # -- 3a. beds: one per scene on 'ambience', textures on further lanes ---------------------
    def _beds(self, sc: Scene, si: int, scenes: list[Scene], found: dict, total: float, lanes, notes) -> list[dict]:
        beds: dict[str, dict] = {}
        fallback: list[Found] = []
        silent = False
        for k, slot in enumerate(sc.slots):
            for u in slot.units:
                prev = self._stopped_by.get(id(u))
                if prev is not None:
                    # "..., then fades away": the previous clause's beds end, the scene's go on
                    for f in found[id(prev)]:
                        if f.concept.key in beds:
                            b = beds[f.concept.key]
                            b["end"] = min(b["end"], max(b["start"] + 0.5, slot.start + 0.5 * (slot.end - slot.start)))
                    continue
                hush = u.silence or (u.stops and not found[id(u)])
                if hush or u.ends_weather:
                    # "then silence": every bed of the scene ends here; "the storm passes": its weather
                    for k2, b in beds.items():
                        if hush or k2 in WEATHER_BEDS:
                            b["end"] = min(b["end"], max(b["start"] + 0.5, slot.start))
                    silent = silent or hush
                for f in found[id(u)]:
                    c = f.concept
                    if c.kind in ("quiet", "time"):
                        fallback.append(f)
                        continue
                    if not c.is_bed:
                        continue
                    if u.stops or hush or (u.ends_weather and c.key in WEATHER_BEDS):
                        if c.key in beds:
                            beds[c.key]["end"] = max(beds[c.key]["start"] + 0.5, slot.start)
                        continue
                    if c.key not in beds:
                        beds[c.key] = {"found": f, "start": sc.start if k == 0 else slot.start, "end": sc.end,
                                       "unit": u}
        for k, b in beds.items():
            if _covered(k, b, list(beds)):
                # "on a windy beach ... a wave crashes": the waves that cover the beach are its
                # sound from the moment the beach is named
                for k2 in PLACE_COVERED.get(k, set()) & set(beds):
                    beds[k2]["start"] = min(beds[k2]["start"], b["start"])
        chosen = [b for k, b in beds.items() if not _covered(k, b, list(beds))][:MAX_AMBIENCE_LANES]
        if any(f.concept.key == "night" for f in fallback):
            for b in chosen:
                night = NIGHT_BEDS.get(b["found"].concept.key)
                if night and not b["found"].caption.startswith(("dense", "a narrow")):
                    b["found"] = Found(b["found"].concept, night, b["found"].word, b["found"].position)
        sc.place = next((b["found"] for b in chosen if b["found"].concept.kind == "place"), None)
        for b in chosen:
            if b["found"].concept.key == "storm" and not any(w in b["found"].caption for w in _NO_THUNDER) \
                    and "thunder" not in b["found"].caption:   # a thunderstorm bed already carries its thunder
                self._storms.append((si, max(sc.start, b["start"]), min(sc.end, b["end"]), b["unit"]))
        main = [(chosen[0], sc.start, chosen[0]["end"])] if chosen else []
        if not main or main[-1][2] < sc.end:
            # no bed named, or the first one stops: the scene's quiet place carries the rest
            f = self._fallback_bed(fallback, scenes, si, found, stopped=bool(main), hushed=silent)
            main.append(({"found": f, "unit": None, "gain_db": SILENCE_GAIN_DB if silent else None},
                         main[-1][2] if main else sc.start, sc.end))
            notes.append(f"scene {si + 1}: {'the bed stops' if len(main) > 1 else 'no sound bed named'}, "
                         f"so '{f.caption}'" + (f" (from '{f.word}')" if f.word else " keeps the soundtrack alive"))
        xfade = min(2.0, 0.1 * (sc.end - sc.start), 0.05 * total)
        out = []
        for k, (b, start, end) in enumerate(main):
            # neighbours on the main lane overlap by xfade: an equal-power crossfade
            start = max(0.0, start - (xfade / 2 if start > 0 else 0))
            end = min(total, end + (xfade / 2 if end < total else 0))
            out.append(self._bed(b, start, end, "ambience", total))
        for k, b in enumerate(chosen[1:], 1):
            out.append(self._bed(b, b["start"], b["end"], lanes.ambience(k), total))
        for e, b in zip(out, [m[0] for m in main] + chosen[1:]):
            if b["unit"] is not None:
                notes.append(f"scene {si + 1} {'bed' if e['track'] == 'ambience' else 'texture'}: "
                             f"'{b['found'].word}' -> '{e['caption']}' ({e['start_s']:.1f}-"
                             f"{e['start_s'] + e['duration_s']:.1f} s)")
        return out

    @staticmethod
    def _bed(b: dict, start: float, end: float, track: str, total: float) -> dict:
        fade = min(2.0, (end - start) / 4)
        out = {"caption": b["found"].caption, "start_s": start, "duration_s": end - start, "track": track,
               "fade_in_s": 0.0 if start <= 0 else fade, "fade_out_s": 0.0 if end >= total else fade,
               "cues": _cue(b["unit"])}
        if b.get("gain_db") is not None:
            out["gain_db"] = b["gain_db"]   # the quiet after a silence stays low
        return out

    @staticmethod
    def _fallback_bed(fallback: list[Found], scenes: list[Scene], si: int, found: dict, *,
                      stopped: bool = False, hushed: bool = False) -> Found:
        """No bed in the scene (or its bed stopped): in this order, the scene's quiet place or
        time of day; a place an earlier scene named (after a passing storm, the scene's own
        place); an earlier scene's quiet place; a bed that suits where the story's sounds
        are (a spacecraft, a ship, a city, a room); the open countryside. After "then
        silence" no place comes back. Night crickets never stand in for a city or a room."""
        here = [f for s in scenes[si].slots for u in s.units for f in found[id(u)]]
        everywhere = [f for sc in scenes for s in sc.slots for u in s.units for f in found[id(u)]]
        setting = _setting_class(here + everywhere, [w for s in scenes[si].slots for u in s.units
                                                     for w, _, _ in u.tokens])

        def quiet(pool):
            f = next((f for kind in ("quiet", "time") for f in pool if f.concept.kind == kind), None)
            return None if f is None or (f.concept.key == "night" and setting in SETTING_BEDS) else f

        places = [scenes[j].place for j in range(si if stopped else si - 1, -1, -1)]
        places = [p for p in places if p is not None and p.concept.key not in WEATHER_BEDS]
        candidates = [quiet(fallback), *([] if hushed else places[:1]),
                      *(quiet(scenes[j].fallback) for j in range(si - 1, -1, -1))]
        f = next((c for c in candidates if c is not None), None)
        if f is not None:
            return f
        outdoor = [f.concept.key for f in here if f.concept.key in OUTDOOR_KEYS]
        if hushed and outdoor and setting in ("interior", ""):
            # a park or a beach after "then silence" is a quiet outdoor place, never a room
            setting = "city" if outdoor[0] in ("city", "traffic") else ""
        key, caption = (SETTING_BEDS[setting][:2] if setting else
                        ("countryside", "quiet outdoor ambience with a light breeze"))
        c = next(c for c in index().concepts if c.key == key)
        return Found(c, caption, "", 0)

    # -- 3b. foreground sounds on fx lanes ---------------------------------------------------
    def _thunder(self, scenes, found, total) -> list[dict]:
        """A storm bed is joined by its thunder when the story names none in that scene."""
        out = []
        for si, start, end, unit in self._storms:
            here = {f.concept.key for s in scenes[si].slots for u in s.units for f in found[id(u)]}
            span = end - start
            if "thunder" in here or span < 3:
                continue
            times = [start + min(3.0, 0.2 * span)] + ([start + 0.6 * span] if span > 25 else [])
            for k, t in enumerate(times):
                dur = max(0.05, min(6.0, end - t, total - t))
                out.append({"caption": "distant thunder rumbling" if k == 0 else "thunder rumbling",
                            "start_s": t, "duration_s": dur, "cues": _cue(unit),
                            "_why": "a storm is heard with its thunder"})
        return out

    def _foreground(self, scenes, found, total, lanes, notes, extra=()) -> list[dict]:
        out = list(extra)
        for sc in scenes:
            for slot in sc.slots:
                span = slot.end - slot.start
                for u in slot.units:
                    fx = [f for f in found[id(u)] if f.concept.kind == "fx"]
                    if u.stops and _STOPS_SOUNDING.search(u.text.lower()):
                        # "the fridge stops humming": heard and cutting out
                        fx = [Found(f.concept, f"{f.caption} and cutting out", f.word, f.position) for f in fx]
                    elif u.stops:
                        notes.extend(f"'{u.text}': '{f.word}' stops, no event" for f in fx)
                        continue
                    step = span / max(1, len(fx))
                    for k, f in enumerate(fx):
                        start = slot.start + min(0.1 * span, 0.5) + k * step
                        natural = f.concept.seconds
                        dur = max(natural, span - (start - slot.start)) if natural >= LOOP_SECONDS else natural
                        start = min(start, total - 0.05)
                        fade = self._fades.get(id(u))
                        extra_fade = {}
                        if fade is not None and natural >= 5:
                            # "approaches, then fades away": it sounds on into that moment, fading
                            end = fade.start + min(0.6 * (fade.end - fade.start), 6.0)
                            if end > start + dur:
                                dur = end - start
                                extra_fade = {"fade_out_s": max(0.05, end - max(fade.start, start + 0.5))}
                        if f.caption.endswith(" and cutting out"):
                            dur = min(dur, natural)
                        dur = max(0.05, min(dur, total - start))
                        out.append({"caption": f.caption, "start_s": start, "duration_s": dur,
                                    "cues": _cue(u), "_why": f"'{f.word}' in '{u.text[:60]}'"
                                    + (f" (overlaps, '{u.connective}')" if u.relation == "sim" else ""),
                                    **extra_fade})
        if len(out) > MAX_FX_EVENTS:
            keep = len(out) / MAX_FX_EVENTS
            out = [out[int(i * keep)] for i in range(MAX_FX_EVENTS)]
            notes.append(f"story names more sounds than fit: {MAX_FX_EVENTS} kept, evenly spread")
        for e in out:
            e["track"] = lanes.fx(e["start_s"], e["start_s"] + e["duration_s"])
            notes.append(f"{e['start_s']:.1f} s {e['track']}: {e.pop('_why')} -> '{e['caption']}'")
        return out

    # -- 3c. music ----------------------------------------------------------------------------
    def _music(self, units, found, scenes, mood, mood_words, total, lanes, notes) -> list[dict]:
        slot_of = {id(u): (s, sc) for sc in scenes for s in sc.slots for u in s.units}
        diegetic, asked = [], False
        for u in units:
            for f in found[id(u)]:
                if f.concept.kind != "music":
                    continue
                if f.concept.key == "music" and f.word in UNDERSCORE_HEADS and not u.stops:
                    asked = True
                elif not u.stops:
                    diegetic.append((u, f))
        underscore = self.music if self.music is not None else (asked or bool(mood_words))
        out = []
        if underscore:
            style = MUSIC_STYLE[mood]
            words = ", ".join(w for w in dict.fromkeys(mood_words[:2]) if w not in style)
            out.append({"caption": f"{words} {style}".strip(), "start_s": 0.0, "duration_s": total,
                        "track": "music", "gain_db": -8.0, "fade_in_s": min(2.0, total / 4),
                        "fade_out_s": min(2.0, total / 4), "tone": mood})
            notes.append(f"music: a {mood} underscore for the whole story"
                         + (f" (the story asks for it: {', '.join(mood_words[:3]) or 'music'})"
                            if (asked or mood_words) else ""))
        if self.music is False:
            return out
        for u, f in diegetic[:20]:
            slot, sc = slot_of[id(u)]
            start = min(slot.start + 0.2 * (slot.end - slot.start), total - 0.05)
            end = max(slot.end, min(sc.end, start + f.concept.seconds))
            dur = max(0.05, min(end, total) - start)
            track = lanes.music(start, start + dur, taken=bool(underscore))
            caption = f.caption.replace("[mood]", MOOD_TUNE[mood])
            out.append({"caption": caption, "start_s": start, "duration_s": dur, "track": track,
                        "gain_db": -4.0, "tone": mood, "cues": _cue(u)})
            notes.append(f"{start:.1f} s {track}: music in the story, '{f.word}' -> '{caption}'")
        return out

    @staticmethod
    def _setting(units, found) -> str:
        """The setting label (context.setting): the place as the story names it, with up to two
        qualifiers ("old farmhouse"), and the time of day."""
        place = next((f for u in units for f in found[id(u)]
                      if f.concept.kind in ("place", "quiet") and f.concept.key != "crowd" and f.word not in PEOPLE),
                     None)
        time = next((f for u in units for f in found[id(u)] if f.concept.kind == "time"), None)
        where = place.word if place else ""
        if place and place.word in PERSON_PLACES:  # "the chef ..." implies the kitchen; name the place
            where = PERSON_PLACES[place.word]
        elif place:
            u = next(u for u in units if place in found[id(u)])
            toks = [w for w, _, _ in u.tokens]
            i = place.position
            lo = i
            while lo > 0 and i - lo < 2 and toks[lo - 1] in QUALIFIERS:
                lo -= 1
            where = " ".join(toks[lo:i + 1])
        when = time.word if time else ""
        if when and where:
            return f"{where} at {when}" if when in ("night", "midnight", "dawn", "dusk", "noon", "sunrise",
                                                       "sunset", "daybreak", "nightfall") else f"{where}, {when}"
        return where or when

    # -- 4. assemble and validate -------------------------------------------------------------
    def _timeline(self, story, total, events, lanes, scenes, mood, setting, notes) -> Timeline:
        events = sorted(events, key=lambda e: (e["start_s"], e["track"]))[:MAX_EVENTS]
        for i, e in enumerate(events, 1):
            e["id"] = f"e{i}"
            e["start_s"] = round(min(e["start_s"], total - 0.01), 3)
            e["duration_s"] = min(round(max(0.005, e["duration_s"]), 3), total - e["start_s"])
            d = e["duration_s"]
            e.setdefault("fade_in_s", min(0.05, d / 4))
            e.setdefault("fade_out_s", min(0.25, d / 4))
            e["fade_in_s"] = round(min(e["fade_in_s"], d / 2), 3)
            e["fade_out_s"] = round(min(e["fade_out_s"], d / 2), 3)
            e.setdefault("tone", mood)
        n_fx = sum(e["track"].startswith("fx") for e in events)
        head = (f"{len(scenes)} scene(s), {sum(len(s.slots) for s in scenes)} moment(s) in story order, "
                f"{n_fx} foreground sound(s); mood '{mood}'" + (f", setting '{setting}'" if setting else "") + ".")
        scene_lines = [f"scene {i + 1}: {s.start:.1f}-{s.end:.1f} s" for i, s in enumerate(scenes[:40])]
        reasoning = "\n".join([head, "; ".join(scene_lines), *notes])[:19000]
        residual = f"{mood} soundtrack" + (f", {setting}" if setting else "")
        return Timeline.from_json({
            "version": 1, "story": story, "duration_s": total, "sample_rate": self.sample_rate,
            "context": {"setting": setting[:200], "mood": mood, "residual": residual[:500]},
            "tracks": [{"id": t} for t in lanes.tracks()],
            "events": events, "reasoning": reasoning, "planner": self.name,
        })


class _Lanes:
    """Track names in use. Overlapping foreground sounds never share an fx lane (a shared
    lane would crossfade them); a lane is reused once its last sound has ended."""

    def __init__(self) -> None:
        self.ambience_n = 1
        self.fx_ends: list[float] = []
        self.music_n = 1

    def ambience(self, k: int) -> str:
        self.ambience_n = max(self.ambience_n, k + 1)
        return "ambience" if k == 0 else f"ambience{k + 1}"

    def fx(self, start: float, end: float) -> str:
        for i, e in enumerate(self.fx_ends):
            if e <= start + 0.25:
                self.fx_ends[i] = end
                return _lane("fx", i)
        if len(self.fx_ends) < MAX_FX_LANES:
            self.fx_ends.append(end)
            return _lane("fx", len(self.fx_ends) - 1)
        i = min(range(len(self.fx_ends)), key=self.fx_ends.__getitem__)
        self.fx_ends[i] = max(self.fx_ends[i], end)
        return _lane("fx", i)

    def music(self, start: float, end: float, *, taken: bool) -> str:
        if taken:
            self.music_n = 2
            return "music2"
        return "music"

    def tracks(self) -> list[str]:
        names = ["ambience", "fx", "music"]
        names += [f"ambience{k + 1}" for k in range(1, self.ambience_n)]
        names += [_lane("fx", i) for i in range(1, len(self.fx_ends))]
        names += ["music2"] if self.music_n > 1 else []
        return names[:MAX_TRACKS]


_STOPS_SOUNDING = re.compile(r"\b(?:stops?|stopped|ceases?|ceased|quits?)\s+[a-z]+ing\b")


# a place word whose sense the rest of the story decides: "the silent station" of an astronaut
# is a space station, not a railway hall
CONTEXT_SENSE = {"station": (frozenset(("space", "spaceship", "spacebridge", "airlock", "laser", "teleport", "robot")),
                             "space")}


def _in_context(found: dict) -> None:
    keys = {f.concept.key for fs in found.values() for f in fs}
    for uid, fs in found.items():
        new = []
        for f in fs:
            sense = CONTEXT_SENSE.get(f.concept.key)
            if sense and keys & sense[0] and not f.caption.startswith("a crowd murmuring in a busy airport"):
                c = next(c for c in index().concepts if c.key == sense[1])
                f = Found(c, re.sub(r"\{_?([a-z' ]+)\}", r"\1", c.template), f.word, f.position)
            new.append(f)
        found[uid] = new


def _covered(key: str, bed: dict, keys: list[str]) -> bool:
    """A place bed another bed of the scene already covers; of two that cover each other
    (city, traffic) the first named stays."""
    if bed["found"].concept.kind != "place":
        return False
    mine = PLACE_COVERED.get(key, set())
    i = keys.index(key)
    return any(k in mine and (j < i or key not in PLACE_COVERED.get(k, set())) for j, k in enumerate(keys) if k != key)


def _setting_class(founds: list[Found], words: list[str]) -> str:
    """'space', 'sea', 'city', 'interior' or '' from the concepts found (the scene's first)."""
    score = {name: sum(f.concept.key in keys for f in founds) for name, (_, _, keys) in SETTING_BEDS.items()}
    score["interior"] += 2 * sum(w in _INDOOR_WORDS for w in words)
    best = max(score, key=score.get)
    return best if score[best] else ""


def _lane(base: str, i: int) -> str:
    return base if i == 0 else f"{base}{i + 1}"


def _weight(slot: Slot) -> float:
    words = sum(len(u.tokens) for u in slot.units)
    return 1.0 + 0.04 * min(words, 60)


def _cue(u: Unit | None) -> str:
    return f"from: {u.text}"[:300] if u is not None else ""
