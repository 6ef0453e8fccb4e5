"""Caption modifiers -> synthesis parameters: intensity, distance, count, rate,
surface, size, indoor. Plain word rules; counts are parsed exactly."""
from __future__ import annotations

import re

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "a couple of": 2, "a pair of": 2,
    "single": 1, "a single": 1, "double": 2,
}
ADVERB_COUNTS = {"once": 1, "twice": 2, "thrice": 3}
# nouns that name one discrete occurrence of a sound ("three knocks", "twelve tolls")
COUNT_NOUNS = (
    "times", "time", "knocks", "knock", "barks", "bark", "tolls", "toll", "rings", "ring", "shots", "shot",
    "gunshots", "gunshot", "steps", "step", "footsteps", "hoots", "hoot", "beeps", "beep", "chimes", "chime",
    "claps", "clap", "strikes", "strike", "bangs", "bang", "blasts", "blast", "explosions", "explosion",
    "crows", "meows", "meow", "clicks", "click", "ticks", "tick", "thuds", "thud", "slams", "slam", "taps",
    "tap", "hits", "hit", "booms", "boom", "woofs", "woof", "honks", "honk", "chirps", "chirp", "croaks",
    "strokes", "peals", "dongs", "bongs", "raps", "thumps", "thump", "pops", "cracks", "crack", "whistles",
    "yelps", "yelp", "howls", "howl", "roars", "roar", "blips", "blip", "zaps", "zap", "pings", "ping",
    "screams", "scream", "shrieks", "shriek", "shouts", "shout", "yells", "yell", "cries", "sobs", "moos", "moo",
    "bleats", "bleat", "chops", "chop", "clangs", "clang", "clashes", "clash", "screeches", "boings", "boing",
)

INTENSITY_WORDS = {
    0.1: ("barely", "faint", "faintly", "whisper", "whispering", "very soft", "very light", "very gentle"),
    0.25: ("soft", "softly", "gentle", "gently", "light", "lightly", "quiet", "quietly", "calm", "mild",
           "drizzle", "drizzling", "subtle", "low", "little"),
    0.75: ("strong", "loud", "loudly", "hard", "heavy", "heavily", "steady", "big", "busy", "roaring"),
    0.92: ("violent", "violently", "torrential", "fierce", "fiercely", "raging", "furious", "furiously",
           "intense", "powerful", "massive", "deafening", "thunderous", "pounding", "howling", "huge",
           "very loud", "very heavy", "enormous", "booming", "crashing"),
}
DISTANCE_WORDS = {
    "close": ("close", "closeby", "close-up", "nearby", "near", "up close", "right next", "next to", "overhead",
              "in front", "beside"),
    "far": ("distant", "far", "far away", "far-off", "faraway", "in the distance", "remote", "afar",
            "muffled", "echoing from"),
}
RATE_WORDS = {
    0.55: ("slowly", "slow", "lazy", "lazily", "leisurely", "languid", "sluggish", "measured", "plodding"),
    1.6: ("fast", "rapid", "rapidly", "quick", "quickly", "hurried", "hurriedly", "frantic", "frantically",
          "running", "racing", "urgent", "urgently", "galloping", "furious", "hasty"),
}
SURFACES = {
    "gravel": ("gravel", "pebbles", "pebble", "shingle"),
    "wood": ("wood", "wooden", "floorboards", "floorboard", "plank", "planks", "deck", "oak", "timber"),
    "metal": ("metal", "metallic", "steel", "iron", "tin", "brass", "corrugated", "aluminium", "aluminum"),
    "snow": ("snow", "snowy", "icy", "frost"),
    "grass": ("grass", "grassy", "lawn", "meadow", "field"),
    "concrete": ("concrete", "stone", "pavement", "sidewalk", "tile", "tiles", "tiled", "marble",
                 "cobblestone", "cobblestones", "asphalt", "street", "corridor"),
    "carpet": ("carpet", "carpeted", "rug"),
    "glass": ("glass", "window", "windowpane", "pane"),
    "water": ("water", "puddle", "puddles", "splashing", "wet"),
    "mud": ("mud", "muddy", "swamp"),
    "sand": ("sand", "sandy", "beach", "dune", "dunes"),
    "leaves": ("leaves", "leafy", "dry leaves", "forest floor", "undergrowth"),
}
SIZE_WORDS = {
    0.15: ("tiny", "small", "little", "miniature", "puppy", "kitten", "chick"),
    0.85: ("big", "large", "huge", "giant", "massive", "enormous", "great", "heavy", "deep", "grand"),
}
INDOOR = ("indoors", "inside", "room", "kitchen", "hall", "hallway", "house", "office", "bedroom", "corridor",
          "attic", "basement", "cellar", "church", "cathedral", "apartment", "studio", "barn", "cabin")
OUTDOOR = ("outdoors", "outside", "street", "field", "forest", "woods", "park", "garden", "yard", "beach",
           "sky", "mountain", "valley", "road", "city", "countryside", "farm", "meadow")

_WORD = re.compile(r"[a-z0-9']+(?:-[a-z0-9']+)*")


def tokenize(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _has(text: str, tokens: set[str], phrase: str) -> bool:
    return (f" {phrase} " in f" {text} ") if " " in phrase else phrase in tokens


def _first_level(text: str, tokens: set[str], table: dict) -> float | None:
    hits = [level for level, words in table.items() for w in words if _has(text, tokens, w)]
    if not hits:
        return None
    # the most extreme qualifier wins ("very loud" beats "loud"); ties go to the stronger
    return max(hits, key=lambda v: (abs(v - 0.5), v))


def parse_count(text: str) -> int | None:
    """Exact count of discrete occurrences, or None. "knocks three times" -> 3,
    "twelve tolls" -> 12, "barks twice" -> 2, "3 gunshots" -> 3."""
    t = " ".join(tokenize(text))
    for word, k in ADVERB_COUNTS.items():
        if re.search(rf"\b{word}\b", t):
            return k
    nums = {**NUMBER_WORDS, **{str(i): i for i in range(1, 101)}}
    alts = "|".join(sorted((re.escape(w) for w in nums), key=len, reverse=True))
    nouns = "|".join(sorted(COUNT_NOUNS, key=len, reverse=True))
    # "three loud knocks": one adjective may stand between; a plural noun there names
    # the sources, not the occurrences ("two dogs bark" is not a count of barks)
    m = re.search(rf"\b({alts})\s+(?:[a-z]+(?<!s)\s+|[a-z]+ss\s+)?({nouns})\b", t)
    if m:
        return nums[m.group(1)]
    return None


def parse(caption: str) -> dict:
    """All modifiers found in a caption, as SynthRequest keyword arguments."""
    text = " ".join(tokenize(caption))
    tokens = set(text.split())
    out: dict = {}
    inten = _first_level(text, tokens, INTENSITY_WORDS)
    if inten is not None:
        if "very" in tokens and inten > 0.5:
            inten = min(1.0, inten + 0.05)
        out["intensity"] = inten
    for label, words in DISTANCE_WORDS.items():
        if any(_has(text, tokens, w) for w in words):
            out["distance"] = label
            break
    count = parse_count(caption)
    if count is not None:
        out["count"] = count
    rate = _first_level(text, tokens, RATE_WORDS)
    if rate is not None:
        out["rate"] = rate
    for surface, words in SURFACES.items():
        if any(_has(text, tokens, w) for w in words):
            out["surface"] = surface
            break
    size = _first_level(text, tokens, SIZE_WORDS)
    if size is not None:
        out["size"] = size
    if any(w in tokens for w in INDOOR):
        out["indoor"] = True
    elif any(w in tokens for w in OUTDOOR):
        out["indoor"] = False
    return out
