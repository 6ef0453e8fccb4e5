"""Events longer than a model's window: where the chunks go and how they are joined.
Pure numpy over sample counts at the model's rate."""
from __future__ import annotations

import numpy as np

from ...mixing.placement import fade_curve


def plan_chunks(n_total: int, window_n: int, overlap_n: int) -> list[tuple[int, int]]:
    """(start, length) of each chunk covering ``n_total`` samples: full windows that overlap
    the previous one by ``overlap_n``, the last one as long as what is left. Nothing is
    truncated or repeated: the union is exactly [0, n_total)."""
    if n_total <= 0 or window_n <= 0:
        raise ValueError("n_total and window_n must be positive")
    if not 0 <= overlap_n < window_n:
        raise ValueError("overlap_n must be in [0, window_n)")
    chunks = [(0, min(n_total, window_n))]
    while chunks[-1][0] + chunks[-1][1] < n_total:
        start = chunks[-1][0] + chunks[-1][1] - overlap_n
        chunks.append((start, min(window_n, n_total - start)))
    return chunks


def join_chunks(pieces: list[np.ndarray], plan: list[tuple[int, int]], overlap_n: int) -> np.ndarray:
    """Concatenate (channels, length) pieces laid out by ``plan`` with an equal-power
    crossfade (cos/sin, constant summed power) over each ``overlap_n``-sample overlap."""
    channels = pieces[0].shape[0]
    n_total = plan[-1][0] + plan[-1][1]
    out = np.zeros((channels, n_total), dtype=np.float32)
    for k, (piece, (start, length)) in enumerate(zip(pieces, plan)):
        piece = piece[:, :length]
        if k == 0 or overlap_n == 0:
            out[:, start:start + length] = piece
            continue
        o = min(overlap_n, length)
        out[:, start:start + o] = (out[:, start:start + o] * fade_curve(o, fade_in=False)
                                   + piece[:, :o] * fade_curve(o, fade_in=True))
        out[:, start + o:start + length] = piece[:, o:]
    return out
