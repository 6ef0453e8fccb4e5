"""Story text -> sound units for the ``rules`` planner: sentences, clauses, how each
clause relates in time to the one before (sequence, overlap, reversed order), scene
breaks, explicit durations, stop phrases, mood and setting words. Plain regular
expressions; nothing here knows about sounds (see ``rules_extract``)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..rendering.procedural.modifiers import NUMBER_WORDS

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE = re.compile(r"(?<=[.!?…;])[\"'”’)]*\s+|\n+|(?<=:)\s+(?=[A-Z])")
_PARAGRAPH = re.compile(r"\n\s*\n")

SEQUENCE_WORDS = ("and then", "then", "after that", "afterwards", "afterward", "later", "finally", "eventually",
                  "next", "soon", "at last", "suddenly", "all of a sudden", "until", "before", "after", "when",
                  "once", "now", "at once", "in the end", "moments later", "seconds later", "a moment later")
SIMULTANEOUS_WORDS = ("while", "whilst", "as", "meanwhile", "amid", "amidst", "at the same time", "all the while",
                      "during", "even as")
_AFTER_NOT = r"(?! dark\b| midnight\b| nightfall\b| sunset\b| sundown\b| dawn\b| daybreak\b)"   # a time of day
_AS_NOT = r"(?<!\bsuch )(?<!\bjust )(?<!\bso )(?<!\bas soon )(?<!\bas well )(?<!\bas long )(?<!\bas far )"
_SPLIT = re.compile(
    r"\s*[,;:—–]+\s*(?:and\s+)?|\s+(?=(?:and then|then|after that|afterwards|finally|eventually|suddenly|until|"
    rf"before|after{_AFTER_NOT}|meanwhile|while|whilst|amid|amidst|at the same time|at last|once)\b)|"
    rf"\s+{_AS_NOT}(?=as\s+(?!if\b|though\b|well\b|soon\b|much\b|many\b|long\b|far\b|loud\b|quiet\b|if\b)\w)|"
    r"\s+and\s+(?=(?:the|a|an|his|her|its|their|my|your|our|some|someone|somebody|another|he|she|it|they|we|i|"
    r"everything|everyone|nothing|one|two|three|several|then|suddenly|soon|finally|later|somewhere|"
    r"outside|inside|overhead|above|below|far|in|on|at)\b)", re.I)
_LEAD = re.compile(
    r"^\s*(?:(?:and|but|so|yet|or)\s+)?((?:and then|then|after that|afterwards|afterward|later|finally|eventually|"
    rf"next|soon|at last|suddenly|all of a sudden|until|before|after{_AFTER_NOT}|when|once|now|in the end|"
    r"meanwhile|while|whilst|as|amid|amidst|at the same time|all the while|during|even as)\b)?[\s,]*", re.I)

_NUM = {**NUMBER_WORDS, "a": 1, "an": 1, "a few": 3, "several": 5, "half a": 0.5, "thirty": 30, "forty": 40,
        "fifty": 50, "sixty": 60, "ninety": 90, "forty-five": 45, "twenty-five": 25, "fifteen": 15}
_NUM_ALT = "|".join(sorted((re.escape(w) for w in _NUM), key=len, reverse=True))
_DURATION = re.compile(rf"\b(?:for|lasting|over)\s+(?:about|around|nearly|almost|roughly|some|another|a full|the next\s+)?\s*"
                       rf"(\d+(?:\.\d+)?|{_NUM_ALT})\s+(seconds?|secs?|s|minutes?|mins?)\b", re.I)
TIME_JUMP = re.compile(
    r"^\s*(?:(?:and|but|then|so)\s+)?(?:later|much later|hours later|\w+ (?:hours|minutes|days|years|weeks|months|"
    r"moments) later|the next (?:morning|day|night|evening|afternoon)|next (?:morning|day)|that (?:night|evening|"
    r"morning|afternoon)|by (?:nightfall|night|dawn|morning|midday|noon|evening|sunset|sunrise|dusk|daybreak)|"
    r"(?:at|around|about|towards?|just after|just before) (?:dawn|dusk|midday|noon|midnight|night|sunrise|sunset|"
    r"daybreak|nightfall)|in the (?:morning|evening|"
    r"afternoon|night)|(?:when|as) (?:night|morning|dawn|evening|day) (?:falls|comes|breaks|arrives)|"
    r"meanwhile,? (?:in|at|back|across)|back (?:in|at|home)|inside|outside|elsewhere|dawn (?:breaks|comes)|"
    r"night (?:falls|comes)|morning (?:comes|breaks|arrives)|day breaks|the sun (?:rises|sets|comes up|goes down)|"
    r"(?:the )?(?:sun|day) (?:rises|dawns)|years pass|time passes|seasons? (?:pass|change))\b", re.I)
STOP = re.compile(
    r"(?<!\bthe )(?<!\ba )(?<!\bnext )(?<!\bbus )(?<!\blast )(?<!\bfirst )(?<!\bfull )(?<!\bpit )\b(?:stops?|stopped|stopping|ceases?|ceased|ceasing|subsides?|subsided|(?:falls?|fell|go|goes|went|grows?|"
    r"grew|becomes?|became) (?:silent|quiet|still)|(?:dies?|died|dying) (?:down|away|out)|fades? (?:away|out)|"
    r"faded (?:away|out)|peters? out|is over|no longer|lets? up|eases? off|is silenced|are silenced|"
    r"(?:switch|switches|turn|turns) off|goes out|went out|(?:all|everything) (?:is|was) (?:quiet|silent|still)|"
    r"silence (?:falls|fell|returns|returned|descends|descended)|^silence$)\b", re.I)
_SILENCE = re.compile(r"^(?:silence|quiet|stillness)\b|\b(?:all|everything) (?:is|was) (?:quiet|silent|still)\b|"
                      r"\b(?:falls?|fell|goes|went|grows?|grew|becomes?|became) (?:silent|quiet|still)\b|"
                      r"\bsilence (?:falls|fell|returns|returned|descends|descended)\b", re.I)
# a storm that passes ends its bed; "a car passes" is a sound
_WEATHER_ENDS = re.compile(r"\b(?:storm|thunderstorm|rain|downpour|shower|wind|gale|blizzard|snow|hail|fog|tempest)s?\b"
                           r".*\b(?:pass(?:es|ed)?|has passed|moves? on|moved on|has moved on|blows? over|blew over|"
                           r"clears?|cleared|(?:is|was) gone|ends|ended|lifts|lifted|abates?|abated|breaks? up)\b", re.I)
NEGATION = frozenset(("no", "not", "never", "without", "nor", "none", "neither", "cannot"))

MOODS = {
    "tense": ("tense", "tension", "suspense", "suspenseful", "scary", "eerie", "ominous", "menacing", "haunted",
              "haunting", "horror", "creepy", "dread", "thriller", "sinister", "dark", "spooky", "frightening",
              "terrifying", "nervous", "anxious", "fearful", "afraid", "pulsing", "urgent", "threatening", "uneasy",
              "chilling", "mysterious", "mystery", "foreboding"),
    "sad": ("sad", "sadness", "melancholy", "melancholic", "sorrow", "sorrowful", "grief", "mournful", "lonely",
            "funeral", "tears", "tragic", "somber", "sombre", "solemn", "wistful", "bittersweet", "gloomy",
            "heartbroken", "nostalgic"),
    "epic": ("epic", "heroic", "triumphant", "majestic", "grand", "glorious", "victorious", "stirring",
             "rousing", "soaring", "adventurous", "powerful", "anthemic"),
    "happy": ("happy", "joyful", "joyous", "cheerful", "playful", "festive", "fun", "cartoon", "comedy",
              "comic", "whimsical", "bouncy", "jaunty", "upbeat", "merry", "lively", "bright", "silly", "goofy",
              "celebratory", "jolly", "light-hearted", "lighthearted"),
    "calm": ("calm", "peaceful", "serene", "gentle", "tranquil", "relaxing", "soothing", "dreamy", "lullaby",
             "meditative", "wondrous", "wonder", "romantic", "tender", "warm", "cozy", "cosy", "idyllic",
             "ambient", "quiet", "hopeful"),
}
_MOOD_WORD = {w: m for m, ws in MOODS.items() for w in ws}
# words that name a mood for the soundtrack, but are common adjectives elsewhere: only
# count next to a music word ("gentle music") or in a sentence without any sound
_WEAK_MOOD = frozenset(("dark", "gentle", "quiet", "warm", "bright", "grand", "powerful", "urgent", "pulsing",
                        "tears", "afraid", "nervous", "lively", "calm", "peaceful", "serene", "tranquil"))
# moods implied by sounds (concept keys) and by genre words when the story names none;
# the mood with the most cues wins, ties in this order
IMPLIED_MOOD = {
    "tense": ("storm", "thunder", "gunshot", "siren", "explosion", "scream", "ghost", "heartbeat", "wolf", "tyres",
              "alarm", "creak", "cannon", "dragon", "airlock", "sonar", "breathing", "laser", "lion", "impact", "bear",
              "snake", "factory", "construction"),
    "epic": ("battlefield", "fanfare", "sword", "clapping"),
    "happy": ("laugh", "jump", "powerup", "coin_pickup", "music", "school", "restaurant", "candles", "balloon"),
    "sad": ("cry",),
    "calm": ("birds", "stream", "ocean", "beach", "forest", "countryside", "dawn", "insects", "frogs", "chimes",
             "rooster", "cow", "sheep", "chickens", "underwater", "whale", "office", "typing", "kitchen", "sizzle",
             "chop", "cooking", "kettle", "pour"),
}
GENRE_MOOD = {
    "tense": ("detective", "noir", "help", "emergency", "panic", "heist", "thief", "thieves", "burglar", "robber", "robbers", "killer", "murder",
              "corpse", "haunted", "villain", "enemy", "enemies", "intruder", "hunted", "trapped", "danger", "spectral",
              "zombie", "escape", "fugitive", "predator", "tyrannosaurus", "raptor", "flatline", "flatlines", "gale", "gales", "struggle", "struggles", "struggling"),
    "epic": ("king", "queen", "knight", "knights", "kingdom", "throne", "hero", "heroes", "champion", "victory", "marathon",
             "tournament", "army", "warrior", "warriors", "legend", "quest", "coronation", "parade", "finale"),
    "happy": ("party", "birthday", "circus", "carnival", "festival", "fair", "market", "picnic", "playground",
              "recess", "holiday", "celebration", "sunny", "dance", "dancing", "minstrel", "jester"),
    "sad": ("funeral", "grave", "cemetery", "graveyard", "mourners", "widow", "farewell", "goodbye"),
    "calm": ("farm", "meadow", "garden", "lake", "pond", "sleepy", "breeze", "sunrise", "cottage", "kitchen",
             "cooking", "recipe", "chef", "diving", "reef", "coral"),
}
_GENRE_WORD = {w: m for m, ws in GENRE_MOOD.items() for w in ws}


@dataclass
class Unit:
    """One clause: a candidate moment of the soundtrack."""
    text: str
    tokens: list          # (word, stem, start_char) triples
    sentence: int
    paragraph: int
    relation: str = "seq"     # seq | sim (overlaps the previous unit) | first (starts a sentence)
    connective: str = ""
    scene_break: bool = False
    seconds: float | None = None   # explicit duration asked for ("for ten seconds")
    stops: bool = False            # "the rain stops"
    ends_weather: bool = False     # "the storm passes": its weather beds end, other sounds go on
    silence: bool = False          # "then silence", "all is quiet": every bed ends


def tokens_of(text: str, stem) -> list:
    out = []
    for m in TOKEN.finditer(text.lower()):
        for part in m.group(0).replace("’", "'").split("-"):
            if part:
                out.append((part, stem(part), m.start()))
    return out


def explicit_seconds(text: str) -> float | None:
    m = _DURATION.search(text)
    if not m:
        return None
    n, unit = m.group(1).lower(), m.group(2).lower()
    value = float(n) if n[0].isdigit() else float(_NUM[n])
    return value * (60.0 if unit.startswith("m") else 1.0)


def split_units(story: str, stem) -> list[Unit]:
    """Paragraphs -> sentences -> clauses, each with its relation to the previous clause.
    'While A, B' makes B overlap A; 'A after B' and 'Before B, A' put B first."""
    units: list[Unit] = []
    for pi, para in enumerate(_PARAGRAPH.split(story)):
        for sentence in _SENTENCE.split(para):
            sentence = sentence.strip(" \t\"'“”‘’()[]")
            if not sentence:
                continue
            si = len({u.sentence for u in units})
            jump = bool(TIME_JUMP.match(sentence))
            parts = _merge_short([p for p in _SPLIT.split(sentence) if p and p.strip(" ,.;:!?\"'")])
            sent_units: list[Unit] = []
            for k, part in enumerate(parts):
                m = _LEAD.match(part)
                conn = (m.group(1) or "").lower() if m else ""
                text = part[m.end():] if m else part
                text = text.strip(" ,.;:!?\"'“”‘’")
                if not text:
                    continue
                rel = "first" if k == 0 else "seq"
                if conn in SIMULTANEOUS_WORDS:
                    rel = "sim"
                u = Unit(text=text, tokens=tokens_of(text, stem), sentence=si, paragraph=pi, relation=rel,
                         connective=conn, seconds=explicit_seconds(text),
                         stops=bool(STOP.search(text)), ends_weather=bool(_WEATHER_ENDS.search(text)),
                         silence=bool(_SILENCE.search(text)),
                         scene_break=k > 0 and rel != "sim" and bool(TIME_JUMP.match(text)))
                sent_units.append(u)
            if not sent_units:
                continue
            _reorder(sent_units)
            if not units:
                sent_units[0].relation = "seq"
            elif sent_units[0].connective in ("meanwhile", "at the same time", "all the while"):
                sent_units[0].relation = "sim"
            else:
                sent_units[0].relation = "seq"
            sent_units[0].scene_break = (jump or sent_units[0].scene_break) and bool(units)
            units.extend(sent_units)
    return units


def _merge_short(parts: list[str]) -> list[str]:
    """'Calm, wondrous music' and 'Inside, a piano plays' are one clause: a part of one or
    two words before a comma is a qualifier or a connective, not a clause of its own."""
    out: list[str] = []
    carry = ""
    for i, p in enumerate(parts):
        p = (carry + " " + p).strip() if carry else p
        if i < len(parts) - 1 and len(p.split()) <= 2 and not _is_clause(p):
            carry = p
            continue
        carry = ""
        out.append(p)
    return out


_SUBJECT_PRONOUNS = frozenset("someone somebody something he she it they we i you everyone everybody nobody "
                              "one".split())
_TIME_NOUNS = frozenset("seconds minutes hours days weeks months years moments times ages".split())
_CONNECTIVE_WORDS = frozenset(w for phrase in (*SEQUENCE_WORDS, *SIMULTANEOUS_WORDS) for w in phrase.split())


def _is_clause(part: str) -> bool:
    """'Someone whispers', 'pages turn', 'thunder cracks': a subject and its verb are a
    clause of their own, never a qualifier of the next one."""
    words = [w.lower().strip(".,;:!?\"'") for w in part.split()]
    if len(words) != 2 or any(w in _CONNECTIVE_WORDS for w in words):
        return False
    subject, verb = words
    if subject in _SUBJECT_PRONOUNS:
        return True
    if subject.endswith("ly") or verb.endswith("ly") or subject in _TIME_NOUNS or verb in _TIME_NOUNS:
        return False
    plural = subject.endswith("s") and not subject.endswith(("ss", "us", "is", "ous"))
    return plural or (verb.endswith(("s", "ed")) and not verb.endswith(("ss", "us", "is", "ous")))


def _reorder(units: list[Unit]) -> None:
    """In-place: 'A after B' / 'A when B' -> B, A; 'Before B, A' -> A, B; 'While A, B' -> B overlaps A."""
    if len(units) < 2:
        return
    first = units[0]
    if first.connective in ("while", "whilst", "as", "amid", "amidst", "during") and units[1].relation == "seq":
        units[1].relation = "sim"
        first.relation = "first"
    if first.connective == "before":
        units[0], units[1] = units[1], units[0]
        units[1].relation = "seq"
    for i in range(1, len(units)):
        if units[i].connective in ("after", "when", "once") and units[i - 1].relation != "sim":
            units[i - 1], units[i] = units[i], units[i - 1]
            units[i].relation, units[i - 1].relation = "seq", "seq"


def implied_mood(words: list[str], keys: list[str]) -> str:
    """The mood a story implies without naming one: genre words and the sounds found."""
    score = dict.fromkeys(IMPLIED_MOOD, 0)
    for w in words:
        if w in _GENRE_WORD:
            score[_GENRE_WORD[w]] += 1
    for k in keys:
        for m, ks in IMPLIED_MOOD.items():
            score[m] += k in ks
    best = max(score.values())
    return next(m for m in IMPLIED_MOOD if score[m] == best) if best else "calm"


def mood_of(story_lower_tokens: list[str], music_clause_tokens: set[str]) -> tuple[str, list[str]]:
    """The mood the story names, and the words that named it (empty when none)."""
    found: dict[str, list[str]] = {}
    for w in story_lower_tokens:
        m = _MOOD_WORD.get(w)
        if m and (w not in _WEAK_MOOD or w in music_clause_tokens):
            found.setdefault(m, []).append(w)
    if not found:
        return "", []
    mood = max(found, key=lambda m: len(found[m]))
    return mood, found[mood]
