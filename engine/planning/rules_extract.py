"""Sound concepts in one clause, and the caption that renders each.

Lookup is by word stem in a prebuilt index (no embeddings), so a 300-word story
costs a few milliseconds. Captions name the source, the action and qualifiers from
the clause (adjectives before the source, material/surface, a manner adverb, an exact
count, distance) and never the plot around them. Words are read in context: a homograph
used as a verb ("lasers fire", "an explosion rocks") or a silent noun ("the bark of an oak")
is no source, a noun that only qualifies a place ("a goat farm") or is only the object of a
silent verb next to another sound ("rocks the ship") makes no event, and the longest
phrase wins ("opens fire", "fire engine")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..rendering.procedural.modifiers import ADVERB_COUNTS, COUNT_NOUNS, NUMBER_WORDS
from .lexicon import BED_KINDS, HOMOGRAPHS, Concept, Trigger, parse_lexicon, stem
from .rules_text import NEGATION

_RANK = {"strong": 3, "head": 3, "alone": 2, "needs": 1, "weak": 1}
_SOUNDING = ("fx", "bed", "music")
QUALIFIERS = frozenset("""
heavy light soft gentle loud distant faint huge giant big small little tiny old ancient rusty wooden metal metallic
iron steel tin brass copper glass stone brick concrete deep low high sharp shrill angry hungry lone single dry icy
cold warm tropical steady sudden massive enormous thunderous powerful violent fierce torrential sleepy wild stray
great grand creaky squeaky electric mechanical digital electronic fresh dead wet muddy busy crowded empty quiet
noisy rolling howling roaring crackling rushing raging pouring driving freezing biting summer winter spring autumn
morning evening night midnight early late nearby far huge mighty tall rickety broken cracked leaking loose hollow
thick thin bright dull frantic nervous excited tired wounded injured frightened scared lonely baby young newborn
fat large long short slow fast rapid furious gusty stormy rainy windy snowy foggy misty salty sandy rocky grassy
frozen burning smoking blazing flickering chattering rumbling clattering
""".split())
ADVERBS = ("slowly", "quickly", "softly", "loudly", "gently", "violently", "furiously", "rapidly", "rhythmically",
           "steadily", "faintly", "nervously", "angrily", "frantically", "lazily", "heavily", "sharply", "briefly",
           "repeatedly", "insistently", "wildly", "hard", "hurriedly", "quietly", "fiercely", "relentlessly",
           "intermittently", "constantly", "continuously")
_DISTANCE = re.compile(r"\b(in the distance|far away|far off|far-off|from afar|far out at sea|far below|nearby|"
                       r"close by|overhead|next door|upstairs|downstairs|from above|from below|outside|"
                       r"down the hall|across the valley|somewhere (?:above|below|nearby|outside|in the dark))\b")
SURFACES = frozenset("""
roof roofs floor floors floorboards gravel snow leaves stairs staircase steps window windows glass pavement
cobblestones cobbles street streets road roads tiles tile table deck sand rocks rock stones stone puddles puddle mud
grass wood metal door walls wall hull rails rail bridge ice path paths carpet concrete marble porch counter board
pan pot cup sink bars shutters pipes branches trees canopy alley corridor hallway tarmac asphalt platform dirt
shore beach water surface lake pond river ground field fields window-pane windowpane car cars tent canvas dome
keyboard console planks plank boards wet-pavement sidewalk
""".split())
_PREPS = ("on", "onto", "against", "across", "along", "over", "through", "into", "down", "off", "under", "upon",
          "around", "between", "from")
_PREP = re.compile(rf"\b({'|'.join(_PREPS)})\s+")
_NUMS = {**NUMBER_WORDS, **{str(i): i for i in range(1, 101)}}
_COUNT = re.compile(
    r"\b(?:(" + "|".join(ADVERB_COUNTS) + r")|((?:" + "|".join(sorted((re.escape(w) for w in _NUMS), key=len, reverse=True))
    + r")\s+(?:[a-z]+\s+)?(?:" + "|".join(sorted(COUNT_NOUNS, key=len, reverse=True)) + r")))\b")
_SLOT = re.compile(r"\{(_?)([a-z' ]+)\}")
_SKIP_BACK = frozenset("""
start starts started starting begin begins began beginning continue continues keep keeps kept to is are was were be
been being can could will would suddenly slowly then also still again just now softly loudly quickly gently once
sometimes always often finally later soon abruptly faintly
""".split())
_STOP_BACK = frozenset("""
the a an his her its their my your our this that these those of in on at with by from for and or but as while when
into onto over under through across to some every each no
""".split())
_DETERMINERS = frozenset("the a an his her its their my your our this that these those every each some".split())
_SUBJECT_WORDS = frozenset("he she it they we i you who which that to will would can could may might must shall should "
                           "not never also".split())
_NOUN_KINDS = ("head", "alone", "needs")
_HOMOGRAPH_STEMS = frozenset(stem(w) for w in HOMOGRAPHS)
_PRONOUN = {"he": "man", "she": "woman", "they": "people", "someone": "someone", "somebody": "someone",
            "i": "person", "we": "people", "you": "person", "everyone": "people", "everybody": "people",
            "it": "", "something": "", "one": ""}


@dataclass
class Hit:
    concept: Concept
    trigger: Trigger
    positions: tuple


@dataclass
class Found:
    """One concept in one clause, with its caption."""
    concept: Concept
    caption: str
    word: str          # the story word that found it (for the reasoning text)
    position: int      # token index of that word (order inside the clause)
    # a bed of people ("the crowd", "children") whose verb is a discrete reaction ("cheers",
    # "laugh"): the reaction as a foreground sound, used when the clause comes late in its
    # scene (the crowd cheers at the end, not for the whole scene)
    reaction: "Found | None" = None


@dataclass(frozen=True)
class Index:
    concepts: tuple
    single: dict
    phrases: dict
    together: dict
    nouns: frozenset
    order: dict
    stems: dict        # concept key -> every single-word trigger stem
    verbs: frozenset   # stems of sound words (what a verb before an object makes it sound)
    places: frozenset  # noun stems of places and times ("farm", "club", "station")


@lru_cache(maxsize=1)
def index() -> Index:
    concepts = parse_lexicon()
    single: dict = {}
    phrases: dict = {}
    together: dict = {}
    nouns = set()
    seen = set()
    for c in concepts:
        for t in c.triggers:
            if (c.key, t.stems, t.together) in seen:
                continue
            seen.add((c.key, t.stems, t.together))
            if t.together:
                together.setdefault(t.stems[0], []).append((c, t))
            elif len(t.stems) == 1:
                single.setdefault(t.stems[0], []).append((c, t))
            else:
                phrases.setdefault(t.stems[0], []).append((c, t))
            if t.strength in ("head", "alone", "needs") and len(t.stems) == 1:
                nouns.update(t.stems)
    stems = {c.key: frozenset(t.stems[0] for t in c.triggers if len(t.stems) == 1) for c in concepts}
    verbs = {s for c in concepts for t in c.triggers
             if (t.strength in ("strong", "weak") and len(t.stems) == 1) or t.together for s in t.stems}
    places = {t.stems[0] for c in concepts if c.kind in ("place", "quiet", "time") for t in c.triggers
              if t.strength in _NOUN_KINDS and len(t.stems) == 1}
    return Index(concepts, single, phrases, together, frozenset(nouns), {c.key: i for i, c in enumerate(concepts)},
                 stems, frozenset(verbs), frozenset(places))


def _hits(tokens: list) -> list[Hit]:
    ix = index()
    stems = [s for _, s, _ in tokens]
    first_at: dict = {}
    for i, s in enumerate(stems):
        first_at.setdefault(s, i)
    hits = []
    for i, s in enumerate(stems):
        for c, t in ix.single.get(s, ()):
            hits.append(Hit(c, t, (i,)))
        for c, t in ix.phrases.get(s, ()):
            n = len(t.stems)
            if tuple(stems[i:i + n]) == t.stems:
                hits.append(Hit(c, t, tuple(range(i, i + n))))
        for c, t in ix.together.get(s, ()):
            if first_at[s] == i and all(x in first_at for x in t.stems[1:]):
                hits.append(Hit(c, t, (i, *(first_at[x] for x in t.stems[1:]))))
    # the longest phrase wins: "fire engine" is a siren, "jazz club" a place, "opens fire" gunfire
    phrase_at = {p: h.concept.key for h in hits if len(h.positions) > 1 and not h.trigger.together
                 for p in h.positions}
    out = []
    for h in hits:
        i = h.positions[0]
        if len(h.positions) == 1 and phrase_at.get(i, h.concept.key) != h.concept.key:
            continue
        if len(h.positions) == 1 and _wrong_sense(h, tokens, i, ix):
            continue
        if len(h.positions) == 1 and h.trigger.strength in _NOUN_KINDS and tokens[i][0].endswith(("'s", "’s")) \
                and i + 1 < len(tokens) and tokens[i + 1][1] in ix.nouns \
                and tokens[i + 1][1] not in ix.stems[h.concept.key]:
            continue   # "the spaceship's engines": the owner of the sound, not a second one
        if not _negated(tokens, min(h.positions)):
            out.append(h)
    # "the creaky floor", "a squeaky wheel": a sound adjective qualifies the noun after it; it is
    # no second sound when the clause names another one
    adjectival = [h for h in out if _adjective_on_noun(h, tokens, ix)]
    if adjectival and any(h not in adjectival and h.trigger.strength in ("strong", "head", "alone")
                          for h in out):
        out = [h for h in out if h not in adjectival]
    return out


def _adjective_on_noun(h: Hit, tokens: list, ix: Index) -> bool:
    i = h.positions[0]
    if len(h.positions) != 1 or h.trigger.strength != "strong" or i + 1 >= len(tokens) or h.concept.kind != "fx":
        return False
    word, nxt = tokens[i][0], tokens[i + 1]
    if not (word in QUALIFIERS or word.endswith("y")) or word == tokens[i][1] and not word.endswith("y"):
        return False
    own = ix.stems[h.concept.key]
    return nxt[0].isalpha() and nxt[0] not in _STOP_BACK and nxt[1] not in own \
        and not (nxt[1] in ix.verbs and nxt[1] not in ix.nouns) and i > 0 and tokens[i - 1][0] in _DETERMINERS


def _wrong_sense(h: Hit, tokens: list, i: int, ix: Index) -> bool:
    """A word read in the sense that makes no sound: a homograph used as a verb ("lasers
    fire", "the explosion rocks"), a sound word used as a silent noun ("the bark of an
    oak", "in the ring"), a noun that only qualifies a place ("a goat farm", "fire station")."""
    noun_hit = h.trigger.strength in _NOUN_KINDS
    if noun_hit and h.concept.kind not in BED_KINDS and tokens[i][0] in PEOPLE and any(
            s in REACTIONS or s in _ERUPT for _, s, _ in tokens[i + 1:i + 6]):
        return True   # "the fans erupt in cheers": people reacting, not electric fans
    if noun_hit and i + 1 < len(tokens) and tokens[i + 1][1] in ix.places \
            and tokens[i + 1][1] not in ix.stems[h.concept.key] and h.concept.kind not in (*BED_KINDS, "time"):
        return True
    if noun_hit and h.concept.kind in ("place", "quiet"):
        j = i - 1
        while j >= 0 and (tokens[j][0] in _DETERMINERS or tokens[j][0] in QUALIFIERS):
            j -= 1
        if j >= 0 and tokens[j][0] in ("toward", "towards"):
            return True   # "walks toward the saloon": where one goes, not where the scene is
    word = tokens[i][0]
    if (h.concept.is_bed or _generic_verb(h.concept)) and word.endswith("ing") and tokens[i][1] != word \
            and i + 1 < len(tokens) and tokens[i + 1][1] in ix.nouns and tokens[i + 1][1] not in ix.stems[h.concept.key] \
            and (i == 0 or tokens[i - 1][0] in _DETERMINERS or tokens[i - 1][0] in QUALIFIERS
                 or tokens[i - 1][0] in NUMBER_WORDS):
        return True   # "a bubbling cauldron", "a roaring fire": the noun's own sound, no bed or stray sound
    if stem(word) not in _HOMOGRAPH_STEMS and word not in HOMOGRAPHS:
        return False
    sense = _sense(tokens, i)
    if noun_hit:
        return sense == "verb"
    if sense != "noun":
        return False
    j = i - 1
    while j >= 0 and (tokens[j][0] in _DETERMINERS or tokens[j][0] in QUALIFIERS):
        j -= 1
    silent_noun = (i + 1 < len(tokens) and tokens[i + 1][0] == "of") or (j >= 0 and tokens[j][0] in _PREPS + ("in", "at")) \
        or (j >= 0 and j < i - 1 and tokens[j][1] in _HANDLING)
    source_named = any(s in ix.stems[h.concept.key] and k != i for k, (_, s, _) in enumerate(tokens)
                       if s in ix.nouns)
    return silent_noun and not source_named


# verbs of handling a thing: their object is no sound ("zips open the flap", "pulls the ring")
_HANDLING = frozenset(stem(w) for w in "open close lift raise lower pull push hold grab tie fold zip unzip "
                      "untie fasten unfasten pick carry".split())


def _sense(tokens: list, i: int) -> str:
    """'noun', 'verb' or '' for the word at i, from the word before it."""
    if i == 0:
        return ""
    prev, word = tokens[i - 1][0], tokens[i][0]
    if prev in _DETERMINERS or prev in QUALIFIERS or prev in NUMBER_WORDS or prev.endswith("'s"):
        return "noun"
    if prev in _SUBJECT_WORDS:
        return "verb"
    if prev in _STOP_BACK or prev in ADVERBS or prev.endswith("ly"):
        return ""
    plural_subject = prev.endswith("s") and not prev.endswith(("ss", "us", "is"))
    inflected = word.endswith(("s", "ed", "ing")) and not word.endswith("ss")
    return "verb" if inflected != plural_subject else ""


def _negated(tokens: list, i: int) -> bool:
    for w, _, _ in tokens[max(0, i - 3):i]:
        if w in NEGATION or w.endswith("n't"):
            return True
    return False


def find_concepts(tokens: list, text: str) -> list[Found]:
    """Every distinct sound concept the clause names, in clause order."""
    by_concept: dict = {}
    for h in _hits(tokens):
        by_concept.setdefault(h.concept.key, []).append(h)
    if not by_concept:
        return []
    order = index().order
    eligible = []
    for key, hs in by_concept.items():
        kinds = {h.trigger.strength for h in hs}
        noun = bool(kinds & {"head", "alone", "needs"})
        strong = bool(kinds & {"strong", "head"}) or any(h.trigger.together for h in hs) or "alone" in kinds
        paired = "needs" in kinds and bool(kinds & {"weak", "strong"})
        if strong or paired:
            eligible.append((key, hs, noun))
    # a sound verb without its own source noun describes another named source when that
    # source can make it ("the wind howls", "thunder cracks"): no second event
    explained = {s for _, hs, noun in eligible if noun and hs[0].concept.kind in _SOUNDING
                 for s in index().stems[hs[0].concept.key]}
    eligible = [(k, hs, n) for k, hs, n in eligible
                if n or not any(h.trigger.stems[0] in explained for h in hs)]
    if not eligible:
        # "the marathon starts": a verb of beginning or going on is no sound of its own
        weak = [(k, [h for h in hs if tokens[h.positions[0]][0] not in _ASPECT])
                for k, hs in by_concept.items() if all(h.trigger.strength == "weak" for h in hs)]
        weak = [(k, hs) for k, hs in weak if hs]
        if weak:
            # a lone ambiguous verb is a foreground sound, in the sense its trigger names
            # ("crashes to the mat": a heavy crash, not waves)
            k, hs = min(weak, key=lambda kh: (kh[1][0].concept.is_bed, -len(kh[1]),
                                              not any(h.trigger.template for h in kh[1]), order[kh[0]]))
            own = _lone_verb_with_subject(hs, tokens)
            if own is not None:
                return [own]
            eligible = [(k, hs, False)]
    elif all(hs[0].concept.kind in ("place", "quiet", "time") for _, hs, _ in eligible):
        # "a cowboy rides into a dusty town": a place is no source, and what a person does
        # there still sounds in its verb's sense (a horse), unless the place makes it itself
        # ("the crowd roars")
        own = {s for k, _, _ in eligible for s in index().stems[k]}
        weak = [(k, [h for h in hs if tokens[h.positions[0]][0] not in _ASPECT and h.trigger.stems[0] not in own
                     and _person_subject(tokens, h.positions[0])])
                for k, hs in by_concept.items()
                if all(h.trigger.strength == "weak" for h in hs) and not hs[0].concept.is_bed]
        weak = [(k, hs) for k, hs in weak if hs]
        if weak:
            k, hs = min(weak, key=lambda kh: (-len(kh[1]), not any(h.trigger.template for h in kh[1]), order[kh[0]]))
            eligible.append((k, hs, False))
    if len(eligible) > 1:
        # a source that is only the object of a silent verb ("an explosion rocks the ship",
        # "he walks the dog") makes no sound of its own when the clause has another sound
        objects = [e for e in eligible if _only_object(e[1], tokens)]
        if any(e not in objects and e[1][0].concept.kind in _SOUNDING for e in eligible):
            eligible = [e for e in eligible if e not in objects]
    eligible.sort(key=lambda e: (not e[2], -sum(_RANK[h.trigger.strength] + 2 * h.trigger.together for h in e[1]), order[e[0]]))
    claimed: set = set()
    owner: dict = {}          # token position -> index in out of the concept that claimed it
    out: list = []
    out_hits: list = []
    music_heads: set = set()
    for key, hs, noun in eligible:
        evidence = {p for h in hs if h.trigger.strength != "weak" or len(hs) == 1 for p in h.positions}
        if evidence and evidence <= claimed:
            continue
        if not noun and hs[0].concept.kind in _SOUNDING and not any(h.trigger.together for h in hs):
            subj = _subject_at(tokens, min(min(h.positions) for h in hs))
            if subj in claimed:
                # "the doors hiss open": the doors already sound. But a source named only by
                # its noun takes the clause's own sound verb ("the engines hum": humming, not
                # the revving its template would invent)
                j = owner.get(subj)
                vpos = min(min(h.positions) for h in hs)
                if j is not None and _generic_verb(hs[0].concept) and _noun_only(out_hits[j]) \
                        and out[j].concept.kind == "fx":
                    cap, _ = _caption(hs, tokens, text)
                    tverb = re.search(r"\}\s+([a-z]+ing)\b", hs[0].concept.template)
                    if tverb:   # the story's own verb: "the klaxon wails" -> wailing
                        cap = re.sub(rf"\b{tverb.group(1)}\b", ing(tokens[vpos][0]), cap, count=1)
                    out[j] = Found(hs[0].concept, cap, out[j].word, out[j].position)
                    out_hits[j] = hs
                    continue
                if j is None or out[j].concept.kind not in ("quiet", "place") \
                        or tokens[subj][0] in PEOPLE or hs[0].concept.kind != "fx":
                    continue
                # "the old house creaks": a setting is no source, but its sound is an event
                who = _subject(tokens, vpos)
                if who and vpos not in claimed:
                    claimed.add(vpos)
                    out.append(Found(hs[0].concept, _article("a ", who) + who + " " + ing(tokens[vpos][0]),
                                     tokens[vpos][0], vpos))
                    out_hits.append(hs)
                continue
        cap, used = _caption(hs, tokens, text)
        if hs[0].concept.kind == "music":
            # "a trumpet fanfare plays": one trumpet, not a melody and a fanfare
            head = _music_head(cap)
            if head and head in music_heads:
                continue
            music_heads.add(head)
        # a place bed keeps its nouns; its ambiguous verbs stay free for foreground sounds
        # ("the crowd erupts in cheers": a crowd bed and cheering)
        mine = {p for h in hs for p in h.positions if not (h.concept.is_bed and h.trigger.strength == "weak")}
        mine |= used
        claimed |= mine
        for p in mine:
            owner.setdefault(p, len(out))
        pos = min(min(h.positions) for h in hs)
        out.append(Found(hs[0].concept, cap, tokens[pos][0], pos))
        out_hits.append(hs)
    if any(f.concept.kind == "music" and f.concept.key != "music" for f in out):
        # "a piano plays a ragtime tune": the tune is the piano's
        out = [f for f in out if f.concept.key != "music" or f.word not in _GENERIC_MUSIC]
    out = [_with_reaction(f, tokens, out) for f in out]
    out.sort(key=lambda f: f.position)
    return out


def find_in_clause(tokens: list, text: str) -> list[Found]:
    """``find_concepts`` for a clause that may join two sounds with 'and' ("pans clatter and
    oil sizzles": two subjects, two verbs, two events). Each part is read on its own too;
    when the parts name more distinct sounds than the whole, the parts win."""
    whole = find_concepts(tokens, text)
    ix = index()
    # only where the words after 'and' open with a subject of their own ("and oil sizzles",
    # "and the crowd cheers"); "explodes and rocks the freighter" shares its subject
    cuts = [i for i, (w, _, _) in enumerate(tokens) if w == "and" and 1 < i < len(tokens) - 2
            and (tokens[i + 1][0] in _DETERMINERS or tokens[i + 1][0] in NUMBER_WORDS
                 or tokens[i + 1][0] in QUALIFIERS
                 or (tokens[i + 1][1] in ix.nouns and tokens[i + 1][1] not in ix.verbs)
                 or (tokens[i + 1][0].endswith("s") and tokens[i + 1][1] not in ix.verbs and i + 2 < len(tokens)
                     and tokens[i + 2][1] in ix.verbs))]
    if not cuts:
        return whole
    parts, lo = [], 0
    for c in [*cuts, len(tokens)]:
        if c - lo >= 1:
            parts.append((lo, c))
        lo = c + 1
    found: list = []
    named = 0
    for a, b in parts:
        seg = tokens[a:b]
        start = seg[0][2]
        end = tokens[b][2] if b < len(tokens) else len(text)
        local = [(w, s, ch - start) for w, s, ch in seg]
        fs = find_concepts(local, text[start:end])
        named += bool(fs)
        found += [Found(f.concept, f.caption, f.word, f.position + a,
                        None if f.reaction is None else
                        Found(f.reaction.concept, f.reaction.caption, f.reaction.word, f.reaction.position + a))
                  for f in fs]
    keys = list(dict.fromkeys(f.concept.key for f in found))
    if named < 2 or len(keys) < len({f.concept.key for f in whole}):
        return whole
    seen: set = set()
    out = []
    for f in found:
        if f.concept.key not in seen:
            seen.add(f.concept.key)
            out.append(f)
    return out


_HEAD_WORD = re.compile(r"[a-z]+")


def _music_head(caption: str) -> str:
    """The instrument a music caption names: the word before its first '-ing' verb."""
    words = _HEAD_WORD.findall(caption.lower())
    k = next((i for i, w in enumerate(words) if w.endswith("ing") and i > 0), len(words))
    return stem(words[k - 1]) if words else ""
# verbs of a reacting audience: a discrete sound at its moment, not a bed ("the crowd cheers")
REACTIONS = {"cheer": ("clapping", "cheering and applauding"), "applaud": ("clapping", "applauding"),
             "clap": ("clapping", "clapping and applauding"), "whoop": ("clapping", "whooping and cheering"),
             "gasp": ("breathing", "gasping"), "laugh": ("laugh", "laughing"), "giggl": ("laugh", "giggling"),
             "chuckl": ("laugh", "chuckling"), "boo": ("shout", "booing"), "jeer": ("shout", "jeering"),
             "scream": ("scream", "screaming"), "shriek": ("scream", "shrieking"), "roar": ("shout", "roaring"),
             "groan": ("shout", "groaning"), "chant": ("shout", "chanting"), "sob": ("cry", "sobbing")}
_ERUPT = frozenset(("erupt", "burst", "break", "explod"))
PEOPLE = frozenset("""
crowd crowds audience audiences spectators onlookers children kids people fans guests passengers diners throng mob
students pupils villagers townsfolk townspeople congregation
""".split())


def _with_reaction(f: Found, tokens: list, out: list) -> Found:
    """A people bed followed by a reaction verb carries that reaction as a foreground sound."""
    if not f.concept.is_bed or tokens[f.position][0] not in PEOPLE:
        return f
    i = f.position + 1
    while i < len(tokens) and (tokens[i][0] in _SKIP_BACK or tokens[i][0] in ADVERBS or tokens[i][0] in ("all", "both")):
        i += 1
    if i >= len(tokens):
        return f
    s = tokens[i][1]
    if s in _ERUPT:
        nxt = next((k for k in range(i + 1, min(len(tokens), i + 5)) if tokens[k][1] in REACTIONS), None)
        if nxt is None:
            return f
        i, s = nxt, tokens[nxt][1]
    if s not in REACTIONS:
        return f
    key, ing = REACTIONS[s]
    same = next((g for g in out if g.concept.key == key and g is not f), None)
    if same is not None:
        return Found(f.concept, f.caption, f.word, f.position, same)
    src = tokens[f.position][0]
    concept = next(c for c in index().concepts if c.key == key)
    cap = _article("a ", src) + src + " " + ing
    return Found(f.concept, f.caption, f.word, f.position, Found(concept, cap, tokens[i][0], i))


def ing(word: str) -> str:
    """The -ing form of a present or past verb: creaks -> creaking, hums -> humming,
    whines -> whining, cries -> crying, hummed -> humming."""
    w = word.lower()
    if w.endswith("ing"):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "ying"
    if w.endswith(("shes", "ches", "sses", "xes", "zzes")):
        return w[:-2] + "ing"
    if w.endswith("ed") and len(w) > 4:
        return w[:-2] + "ing"
    if w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    if w.endswith("e") and not w.endswith(("ee", "ye", "oe")) and len(w) > 2:
        return w[:-1] + "ing"
    vowels = "aeiou"
    if len(w) >= 3 and w[-1] not in vowels + "wxy" and w[-2] in vowels and w[-3] not in vowels \
            and sum(ch in vowels for ch in w) == 1:
        w += w[-1]   # hum -> humming, throb -> throbbing
    return w + "ing"


def _generic_verb(c: Concept) -> bool:
    """A sound verb whose source is its subject ("{_something} humming")."""
    return c.kind == "fx" and c.template.startswith("{_")


def _noun_only(hits: list[Hit]) -> bool:
    """The concept was found by its source nouns alone, with no sound word of its own."""
    return all(h.trigger.strength in _NOUN_KINDS and not h.trigger.together and not h.trigger.template
               for h in hits)


# prepositions whose object is where a sound happens ("off the boat", "at the dog"); a place
# after them is still the scene's bed ("in the forest")
_PLACE_PREPS = frozenset("off on onto in into at from aboard inside near beside behind under past toward towards "
                         "beneath above".split())
_NOT_VERBS = frozenset("inside outside somewhere nearby overhead upstairs downstairs below above behind beyond "
                       "then suddenly again also only even".split())
_GENERIC_MUSIC = frozenset("music song songs melody tune tunes play plays playing played".split())


def _person_subject(tokens: list, vpos: int) -> bool:
    """The verb at vpos has a person for subject ("a cowboy rides", "she walks")."""
    i = _subject_at(tokens, vpos)
    return i >= 0 and (tokens[i][0] in _PRONOUN and _PRONOUN[tokens[i][0]] != "" or _is_person(tokens[i][0]))


def _only_object(hits: list[Hit], tokens: list) -> bool:
    """True when the concept's only evidence is a source noun after a determiner that
    follows a verb which is no sound word ("rocks the ship", "feeds the chickens")."""
    if any(h.trigger.strength not in ("alone", "needs") or h.trigger.together for h in hits):
        return False
    ix = index()
    for h in hits:
        j = min(h.positions) - 1
        while j >= 0 and (tokens[j][0] in QUALIFIERS or tokens[j][0] in NUMBER_WORDS):
            j -= 1
        if j < 2 or tokens[j][0] not in _DETERMINERS:   # the verb is never the clause's first word
            return False
        verb, vstem = tokens[j - 1][0], tokens[j - 1][1]
        if verb in _PLACE_PREPS and h.concept.kind not in BED_KINDS:
            continue   # "we roll off the boat and splash": the boat is where, not what sounds
        if verb in _STOP_BACK or verb in _PREPS or verb in _NOT_VERBS or vstem in ix.verbs or vstem in ix.nouns:
            return False
    return True


_ASPECT = frozenset("start starts started starting begin begins began beginning continue continues continued "
                    "keep keeps kept resume resumes resumed".split())
_TIME_NOUNS = frozenset("second seconds minute minutes hour hours day days week weeks month months year years "
                        "moment moments time times".split())
_COMPLEMENT_PREPS = frozenset((*_PREPS, "to", "up", "away", "past", "toward", "towards", "behind", "below", "with"))
_CLAUSE_END = frozenset("and but while as then when until before after because so".split())


# people named as the subject of a verb: they act, the verb's own source sounds ("the host
# chops": a knife chopping; "the guard walks": footsteps)
_PERSONS = frozenset("""
man men woman women boy boys girl girls child person persons lady ladies gentleman guy guys host hostess chef cook
king queen prince princess knight knights witch wizard sorcerer captain sailor sailors soldier soldiers guard guards
doctor nurse teacher driver officer detective thief thieves hunter farmer stranger figure champion player players
fighter fighters runner runners rider riders diver divers climber worker workers keeper villager prisoner passenger
customer waiter waitress butler baker butcher miner ranger gunslinger sheriff cowboy cowboys bartender commander
leader mother father brother sister daughter son grandmother grandfather grandma grandpa mum mom dad baby toddler
teenager friend friends neighbour neighbor crew helmsman pilot monk nun priest hero heroine villain warrior
warriors archer giant boxer dancer singer drummer musician magician scientist student teacher nurse surgeon maid
servant merchant vendor pirate pirates robber burglar intruder killer ghost someone somebody everyone everybody
""".split())


def _is_person(word: str) -> bool:
    return word in _PERSONS or word in PEOPLE or word.endswith(("man", "men", "woman", "women", "keeper", "ist",
                                                                 "ician"))


def _own_subject(tokens: list, vpos: int, key: str) -> tuple[str, set]:
    """The noun a sound verb has for subject when it is not the verb's default source: "a
    radiator ticks" is a radiator, "suitcases roll" are suitcases (not a clock, not thunder).
    Pronouns, people, places, times and the concept's own nouns are no such subject."""
    ix = index()
    i = vpos - 1
    while i >= 0 and (tokens[i][0] in _SKIP_BACK or tokens[i][0] in ADVERBS or tokens[i][0].endswith("ly")):
        i -= 1
    if i < 0:
        return "", set()
    w, s, _ = tokens[i]
    if (w in _PRONOUN or w in PEOPLE or w in _STOP_BACK or w in QUALIFIERS or w in NUMBER_WORDS or w in _NOT_VERBS
            or w in _SUBJECT_WORDS or w in _TIME_NOUNS or s in ix.stems[key] or s in ix.places
            or (s in ix.verbs and s not in ix.nouns)
            or w.endswith(("ing", "ed")) or not w.isalpha() or _is_person(w)):
        return "", set()
    if vpos + 1 < len(tokens) and (tokens[vpos + 1][0] in _DETERMINERS or tokens[vpos + 1][0] in QUALIFIERS
                                   or tokens[vpos + 1][0] in NUMBER_WORDS):
        return "", set()   # "he chops the onions": the verb acts on an object, its subject is an agent
    lo = i
    while lo > 0 and i - lo < 2 and (tokens[lo - 1][0] in QUALIFIERS or tokens[lo - 1][1] in ix.nouns) \
            and tokens[lo - 1][1] not in ix.places and tokens[lo - 1][1] not in ix.verbs:
        lo -= 1
    before = tokens[lo - 1][0] if lo > 0 else ""
    if lo > 1 and tokens[lo - 2][0] in _DETERMINERS and before.isalpha() and before not in _STOP_BACK \
            and before not in _SKIP_BACK and before not in _PRONOUN and tokens[lo - 1][1] not in ix.verbs \
            and not before.endswith(("ly", "ing", "ed")):
        lo -= 1   # "a pirate ship", "the saloon doors": a noun that qualifies the subject
        before = tokens[lo - 1][0]
    if lo > 0 and before not in _DETERMINERS and before != "of" and not before.endswith("'s"):
        return "", set()   # "the marathon starts with": no determiner, no noun phrase
    return " ".join(w for w, _, _ in tokens[lo:i + 1]), set(range(lo, i + 1))


def _complement(tokens: list, vpos: int) -> str:
    """'to the floor', 'across the floor': the phrase after a verb, up to five words."""
    if vpos + 1 >= len(tokens) or tokens[vpos + 1][0] not in _COMPLEMENT_PREPS:
        return ""
    words = []
    for w, _, _ in tokens[vpos + 1:vpos + 6]:
        if w in _CLAUSE_END:
            break
        words.append(w)
    while words and (words[-1] in _DETERMINERS or words[-1] in _COMPLEMENT_PREPS):
        words.pop()
    return " ".join(words)


@lru_cache(maxsize=1)
def _generic_source() -> Concept:
    return next(c for c in index().concepts if c.key == "sound")


def _lone_verb_with_subject(hits: list[Hit], tokens: list) -> "Found | None":
    """A lone ambiguous verb whose subject is a noun of its own: the subject sounds, in the
    story's verb ("suitcases roll across the floor": no thunder; "a stack of books crashes to
    the floor": books crashing with a heavy thud)."""
    concept = hits[0].concept
    if concept.kind not in ("fx", "bed"):
        return None
    vpos = min(h.positions[0] for h in hits)
    who, _ = _own_subject(tokens, vpos, concept.key)
    if not who:
        return None
    action = " ".join(x for x in (ing(tokens[vpos][0]), _complement(tokens, vpos)) if x)
    source = _article("a ", who) + who
    template = next((h.trigger.template for h in hits if h.trigger.template), concept.template)
    if _SLOT.search(template) or concept.kind == "bed":
        # the verb's default source ("{thunder} rumbling") is not what sounds here
        return Found(_generic_source(), f"{source} {action}", tokens[vpos][0], vpos)
    sound = concept.template if not _SLOT.search(concept.template) else template
    return Found(concept, f"{source} {action} with {sound}", tokens[vpos][0], vpos)


# --- captions ------------------------------------------------------------------------------------
def _caption(hits: list[Hit], tokens: list, text: str) -> tuple[str, set]:
    concept = hits[0].concept
    with_template = [h for h in hits if h.trigger.template]
    template = (max(with_template, key=lambda h: _RANK[h.trigger.strength]).trigger.template
                if with_template else concept.template)
    used: set = set()
    m = _SLOT.search(template)
    whole = [h for h in hits if h.trigger.strength in _NOUN_KINDS and h.trigger.template
             and not _SLOT.search(h.trigger.template) and not h.trigger.together]
    if m and not m.group(1) and whole and not any(
            h.trigger.strength in _NOUN_KINDS and not h.trigger.template and not h.trigger.together for h in hits):
        # "gallops on horseback": the noun's own caption ("a horse galloping"), never
        # "a horseback galloping"
        template = whole[0].trigger.template
        used = set(whole[0].positions)
        m = None
    if m:
        if m.group(1):
            fill = _subject(tokens, min(min(h.positions) for h in hits)) or m.group(2)
            if m.group(2) in _SUBSTANCES and m.group(2) in fill.split()[:-1]:
                # "the old steam locomotive hisses": the steam hisses, the locomotive only holds it
                fill = m.group(2)
        else:
            fill, used = _head(hits, tokens, m.group(2), template[m.end():])
            if not used and concept.kind == "fx":
                # "a radiator ticks": the story's own subject, not the verb's default clock
                verbs = [h.positions[0] for h in hits if h.trigger.strength in ("strong", "weak")
                         and not h.trigger.together]
                vpos = min(verbs) if verbs else -1
                who, where = _own_subject(tokens, vpos, concept.key) if verbs else ("", set())
                if who:
                    # the template's tail belongs to its default source ("a door slamming shut")
                    fill, used = who, where
                    template = template[:m.end()] + " " + ing(tokens[vpos][0])
        after = template[m.end():]
        rest = template[:m.start()] + after
        words = fill.split()
        last = words[-1] if words else ""
        follows = re.match(r"\s*([a-z'-]+)", after)
        if len(words) > 1 and follows and stem(follows.group(1)) == stem(last) \
                and words[-2] not in NUMBER_WORDS:
            # a compound whose head the template already names: "the jet engines" in
            # "a {car} engine revving" is "a jet engine", never "a car engine"
            fill = " ".join(words[:-1])
        elif last and any(stem(w) == stem(last) for w in re.findall(r"[a-z'-]+", rest)):
            # "the murmur of children in a {classroom}": no second "children"; "the engines"
            # in "a {car} engine revving": no "engines engine"
            fill = m.group(2)
        if not m.group(1) and concept.kind == "fx":
            after = _story_verb(after, hits, tokens, used)
        elif not m.group(1) and concept.kind == "bed" and used:
            after = _bed_verb(after, concept, tokens, max(used))
        template = _article(template[:m.start()], fill) + fill + after
    low = text.lower()
    extras = []
    pp = _surface(low, template)
    if pp:
        extras.append(pp)
    lo_h = min(p for h in hits for p in h.positions)
    hi_h = max(p for h in hits for p in h.positions)
    adverb = next((w for k, (w, _, _) in enumerate(tokens) if w in ADVERBS and w not in template
                   and lo_h - 2 <= k <= hi_h + 3), "")
    if adverb:
        extras.append(adverb)
    count = _COUNT.search(low) if concept.kind not in BED_KINDS else None   # a bed is never counted
    one = count is not None and bool(re.match(r"(?:a single|single|one|an?)\b", count.group(0)))
    if count and not one and not re.search(rf"\b{re.escape(count.group(0).split()[0])}\b", template):
        extras.append(count.group(0))
        template = template.replace(" the hour", "")
    elif not count and _THE_HOUR.search(low) and re.search(r"\b(chiming|striking|tolling)\b", template):
        extras.append("twelve times")   # a clock striking midnight, bells ringing noon
        template = template.replace(" the hour", "")
    dist = _DISTANCE.search(low)
    if dist and dist.group(0) not in " ".join([template, *extras]) and not (dist.group(0) == "outside" and "inside" in template):
        extras.append("in the distance" if dist.group(0) in ("far off", "far-off", "from afar") else dist.group(0))
    caption = " ".join([template, *extras])
    caption = re.sub(r"\b(\w+) \1\b", r"\1", re.sub(r"\s+", " ", caption)).strip(" ,")
    return caption[:160], used


def _bed_verb(after: str, concept: Concept, tokens: list, hi: int) -> str:
    """A bed's source keeps the story's own verb: "rain hammers the windows" -> "rain hammering
    against the windows", not the template's "falling steadily"."""
    ix = index()
    if hi + 1 >= len(tokens):
        return after
    w, s, _ = tokens[hi + 1]
    if s not in ix.verbs or s in ix.stems[concept.key] or w in _ASPECT or not w.endswith("s") or w.endswith("ss"):
        return after
    tail = _complement(tokens, hi + 1)
    if not tail and hi + 3 < len(tokens) + 1 and hi + 2 < len(tokens) and tokens[hi + 2][0] in _DETERMINERS:
        obj = next((t[0] for t in tokens[hi + 3:hi + 5] if t[0] in SURFACES), "")
        tail = f"against the {obj}" if obj else ""
    if not tail or not any(x in SURFACES for x in tail.split()):
        return after   # only a sound on a surface: "knocks out the power" is no sound of the rain
    return " " + ing(w) + " " + tail


# template defaults that name a sounding substance (what a generic verb's subject may hold)
_SUBSTANCES = frozenset(("steam", "water"))


def _story_verb(template: str, hits: list[Hit], tokens: list, head: set) -> str:
    """The story's own sound verb after the source replaces the template's: "the jet engines
    roar" -> "a jet engine roaring", not the "revving" the template would invent. Only a plain
    sound verb of the concept (a weak trigger without its own template) that is also a
    generic sound word ("roar", "hum", "rumble") and follows the source noun counts."""
    if not head:
        return template
    generic = _generic_verb_stems()
    verbs = [h.positions[0] for h in hits if h.trigger.strength == "weak" and not h.trigger.template
             and len(h.positions) == 1 and h.positions[0] > max(head)
             and tokens[h.positions[0]][1] in generic
             and (tokens[h.positions[0]][0].endswith(("s", "ed", "ing")) or tokens[max(head)][0].endswith("s"))]
    tv = re.match(r"[a-z' -]*?\b(?!being\b)([a-z]+ing)\b", template)
    if not verbs or not tv:
        return template
    word = ing(tokens[verbs[0]][0])
    return template[:tv.start(1)] + word + template[tv.end(1):]


@lru_cache(maxsize=1)
def _generic_verb_stems() -> frozenset:
    return frozenset(t.stems[0] for c in index().concepts if _generic_verb(c) for t in c.triggers
                     if t.strength == "strong" and len(t.stems) == 1)


_THE_HOUR = re.compile(r"\b(?:struck|strikes?|striking|chimes?|chimed|chiming|tolls?|tolled|rings?|rang)(?: out)? "
                       r"(?:the )?(?:midnight|noon|twelve)\b")


def _head(hits: list[Hit], tokens: list, default: str, after: str = "") -> tuple[str, set]:
    nouns = [h for h in hits if h.trigger.strength in ("alone", "needs", "head") and not h.trigger.together
             and not (h.trigger.template and not _SLOT.search(h.trigger.template))]
    if not nouns:
        return default, set()
    # "its wheels clattering over the rails": the subject sounds, the noun after a preposition
    # is where it sounds
    free = [h for h in nouns if not _after_prep(tokens, min(h.positions))]
    nouns = free or nouns
    best = max(nouns, key=lambda h: ({"alone": 2, "head": 1}.get(h.trigger.strength, 0), max(h.positions)))
    lo, hi = min(best.positions), max(best.positions)
    ix = index()
    own = ix.stems[best.concept.key]
    sounds = set(re.findall(r"[a-z]+ing\b", after))
    claim = set()
    while lo > 0 and hi - lo < 3:
        w, s, _ = tokens[lo - 1]
        if w in sounds:
            claim.add(lo - 1)   # "a bubbling cauldron": "a cauldron bubbling", never "a bubbling cauldron bubbling"
            break
        # a compound noun ("car alarm", "sled dog") but not another named source ("lasers fire")
        other = s in ix.nouns and s not in own and (w.endswith("s") or s in ix.places or _is_music_noun(s))
        if s in ix.verbs and s not in own:
            break   # "a rainy street": the rain is a sound of its own
        if w in QUALIFIERS or w in NUMBER_WORDS or (s in ix.nouns and not other):
            lo -= 1
        else:
            break
    words = [w for w, _, _ in tokens[lo:hi + 1]]
    return " ".join(words), set(range(lo, hi + 1)) | claim


def _after_prep(tokens: list, i: int) -> bool:
    j = i - 1
    while j >= 0 and (tokens[j][0] in _DETERMINERS or tokens[j][0] in QUALIFIERS or tokens[j][0] in NUMBER_WORDS):
        j -= 1
    return j >= 0 and (tokens[j][0] in _PLACE_PREPS or tokens[j][0] in _PREPS)


def _is_music_noun(s: str) -> bool:
    return any(c.kind == "music" and s in index().stems[c.key] for c in index().concepts)


def _subject_at(tokens: list, at: int) -> int:
    i = at - 1
    while i >= 0 and (tokens[i][0] in _SKIP_BACK or tokens[i][0].endswith("ly")):
        i -= 1
    return i


def _subject(tokens: list, at: int) -> str:
    words: list[str] = []
    i = at - 1
    while i >= 0 and tokens[i][0] in _SKIP_BACK or (i >= 0 and tokens[i][0].endswith("ly") and not words):
        i -= 1
    while i >= 0 and len(words) < 3:
        w = tokens[i][0]
        if w in _STOP_BACK:
            break
        if w in _PRONOUN:
            if not words:
                words.append(_PRONOUN[w])
            break
        words.append(w)
        i -= 1
    return " ".join(reversed([w for w in words if w]))


# nouns that take no article ("water boiling", never "a water boiling")
_MASS = frozenset("water steam rain smoke oil air gas sand coffee tea soup mud snow ice fire machinery traffic "
                  "thunder wind music laughter applause gunfire rubble debris gravel static".split())


def _article(prefix: str, fill: str) -> str:
    """The article before the head slot agrees with the head: 'a huge {explosion}' ->
    'huge explosions', 'a sci-fi {laser}' -> 'sci-fi lasers', 'a {owl}' -> 'an owl'."""
    m = re.search(r"\b(an?) ((?:[\w-]+ ){0,2})$", prefix)
    if not m:
        return prefix
    first = fill.split()[0] if fill else ""
    last = fill.split()[-1] if fill else ""
    plural = (last.endswith("s") and not last.endswith(("ss", "us", "is", "'s"))) or NUMBER_WORDS.get(first, 1) > 1 \
        or last in ("people", "children", "sheep", "cattle", "geese", "mice", "men", "women", "someone", "wolves")
    if plural or (last in _MASS and not m.group(2).strip()):
        return prefix[:m.start()] + m.group(2)
    after = (m.group(2) + fill).split()[0] if (m.group(2) + fill).split() else ""
    art = "an" if after[:1] in "aeiou" and not after.startswith(("one", "uni", "use", "eu")) else "a"
    return prefix[:m.start()] + art + " " + m.group(2)


def _surface(low: str, template: str) -> str:
    """'on the tin roof', 'through fresh snow': a preposition, up to three words, a surface."""
    if any(f" {p} " in f" {template} " for p in _PREPS + ("in", "at")):
        return ""
    for m in _PREP.finditer(low):
        words = low[m.end():].split(None, 4)[:4]
        for k, w in enumerate(words):
            w = w.strip(",.;:!?\"'")
            if w in SURFACES:
                phrase = [m.group(1), *(x.strip(",.;:!?\"'") for x in words[:k]), w]
                # "under the dripping canopy" adds nothing to "water dripping"
                if not any(len(x) > 3 and re.search(rf"\b{re.escape(x[:4])}", template) for x in phrase[1:]):
                    return " ".join(phrase)
                break
    return ""
