"""Caption -> recipe: sentence-embedding similarity against several written
descriptions per recipe, combined with lexical cues (the recipe's keywords in the
caption). Below a confidence threshold the closest *texture* recipe is used and the
match says so (``fallback``), so the studio can show it."""
from __future__ import annotations

import hashlib
import re
import threading

import numpy as np

from ...errors import BackendUnavailable
from ...paths import sub_dir
from . import modifiers
from .embedder import MODEL_ID, get_embedder
from .recipes import Recipe, catalog

CONFIDENCE_THRESHOLD = 0.40
EMBED_WEIGHT = 0.65
LEXICAL_WEIGHT = 0.35
_STRUCK = re.compile(r"\b(?:clocks?|bells?|clock tower|belfry)\b(?:[\w' -]{0,30}?)\b(?:strik(?:es|ing)|struck|chim(?:es|ing|ed)|"
                     r"toll(?:s|ing|ed)|peal(?:s|ing|ed)|bong(?:s|ing)|dong(?:s|ing))\b|"
                     r"\b(?:strik(?:es|ing)|struck|chim(?:es|ing|ed)|toll(?:s|ing|ed))\b[\w ]{0,12}\b(?:the hour|midnight|noon|"
                     r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+) times)\b")


def _stem(w: str) -> str:
    """A light stemmer applied alike to captions and keywords; a final silent 'e' goes too,
    so 'chime', 'chimes' and 'chiming' (or 'horse' and 'horses') meet on one stem."""
    for suf in ("ing", "ed", "es", "s"):
        if len(w) > len(suf) + 2 and w.endswith(suf):
            w = w[: -len(suf)]
            break
    if len(w) > 3 and w.endswith("e") and not w.endswith(("ee", "ie", "ye")):
        w = w[:-1]
    return w


class Matcher:
    """Holds the recipe description embeddings (cached on disk by content hash)."""

    def __init__(self, recipes: dict[str, Recipe] | None = None, *, use_embeddings: bool = True):
        self.recipes = recipes if recipes is not None else catalog()
        self.ids = list(self.recipes)
        self._kw = {rid: [tuple(_stem(t) for t in modifiers.tokenize(k)) for k in r.keywords]
                    for rid, r in self.recipes.items()}
        self.embedder = None
        self.note = ""
        if use_embeddings:
            try:
                self.embedder = get_embedder()
            except BackendUnavailable as e:
                self.note = str(e)
        self._desc_owner, self._desc_vecs = self._description_vectors() if self.embedder else (None, None)

    def _description_vectors(self):
        owner, texts = [], []
        for rid, r in self.recipes.items():
            for d in (*r.descriptions, rid.replace("_", " ")):
                owner.append(rid)
                texts.append(d)
        key = hashlib.sha256(("\n".join(texts) + MODEL_ID).encode()).hexdigest()[:20]
        path = sub_dir("cache") / f"recipe-embeddings-{key}.npy"
        try:
            vecs = np.load(path)
            if vecs.shape[0] != len(texts):
                raise ValueError
        except (OSError, ValueError):
            vecs = self.embedder.encode(texts)
            tmp = path.with_suffix(f".{threading.get_ident()}.tmp.npy")
            np.save(tmp, vecs)
            tmp.replace(path)
        return np.asarray(owner), vecs

    def lexical_scores(self, caption: str) -> np.ndarray:
        toks = [_stem(t) for t in modifiers.tokenize(caption)]
        joined = " " + " ".join(toks) + " "
        out = np.zeros(len(self.ids))
        matched: list[tuple] = []
        for i, rid in enumerate(self.ids):
            best, best_kw = 0.0, ()
            for kw in self._kw[rid]:
                if kw and f" {' '.join(kw)} " in joined:
                    score = min(1.0, 0.75 + 0.25 * (len(kw) - 1))
                    if score > best or (score == best and len(kw) > len(best_kw)):
                        best, best_kw = score, kw
            out[i] = best
            matched.append(best_kw)
        # the longer phrase wins: a recipe whose only cue is one word of another recipe's
        # matched phrase ('clock' inside 'clock chiming') keeps half its cue
        longer = [" " + " ".join(kw) + " " for kw in matched if len(kw) > 1]
        for i, kw in enumerate(matched):
            if kw and any(f" {' '.join(kw)} " in p and len(p.split()) > len(kw) for p in longer):
                out[i] *= 0.5
        return out

    def embedding_scores(self, caption: str) -> np.ndarray:
        if self.embedder is None:
            return np.zeros(len(self.ids))
        q = self.embedder.encode([caption])[0]
        sims = self._desc_vecs @ q
        out = np.full(len(self.ids), -1.0)
        index = {rid: i for i, rid in enumerate(self.ids)}
        for rid in self.ids:  # best description per recipe, softened by the mean of the top two
            s = np.sort(sims[self._desc_owner == rid])[::-1]
            out[index[rid]] = 0.7 * s[0] + 0.3 * (s[1] if s.size > 1 else s[0])
        return out

    def match(self, caption: str) -> dict:
        emb = self.embedding_scores(caption)
        lex = self.lexical_scores(caption)
        w_emb, w_lex = (EMBED_WEIGHT, LEXICAL_WEIGHT) if self.embedder else (0.0, 1.0)
        score = w_emb * np.clip(emb, 0, 1) + w_lex * lex
        if _STRUCK.search(caption.lower()) and "church_bell" in self.ids:
            # a clock that strikes, chimes or tolls (the hour, twelve times) is heard as its
            # bell, not its tick; the bell recipe honours the count
            score[self.ids.index("church_bell")] = max(score[self.ids.index("church_bell")], float(score.max()) + 0.05)
        order = np.argsort(-score)
        best = int(order[0])
        result = {"recipe": self.ids[best], "score": round(float(score[best]), 4), "fallback": False,
                  "params": modifiers.parse(caption),
                  "alternatives": [{"recipe": self.ids[int(i)], "score": round(float(score[i]), 4)} for i in order[1:4]]}
        if score[best] < CONFIDENCE_THRESHOLD:
            textures = [int(i) for i in order if self.recipes[self.ids[int(i)]].texture]
            if textures:
                result["recipe"] = self.ids[textures[0]]
                result["score"] = round(float(score[textures[0]]), 4)
            result["fallback"] = True
            result["note"] = (f"low confidence ({float(score[best]):.2f} < {CONFIDENCE_THRESHOLD}): "
                              f"using the closest texture '{result['recipe']}'")
        if self.note:
            result["note"] = (result.get("note", "") + "; " if result.get("note") else "") + self.note
        return result


_LOCK = threading.Lock()
_MATCHER: Matcher | None = None


def get_matcher() -> Matcher:
    global _MATCHER
    with _LOCK:
        if _MATCHER is None or len(_MATCHER.recipes) != len(catalog()):
            _MATCHER = Matcher()
        return _MATCHER


def match(caption: str) -> dict:
    """Public entry (``engine.match``): recipe id, score, params, fallback flag."""
    if not isinstance(caption, str) or not caption.strip():
        from ...errors import ValidationError
        raise ValidationError("caption", "must not be empty")
    return get_matcher().match(re.sub(r"\s+", " ", caption.strip())[:500])
