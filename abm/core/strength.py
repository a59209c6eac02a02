"""Strength arithmetic of the professionals' ties (trust ties with residents, ``trust.py``; collaboration
ties between professionals, ``collaboration.py``): contact closes part of the gap to 1, a week without
contact takes a share off, and a tie too weak is gone. Residents' own ties do the same in compiled
loops (``tie_kernels``)."""

from __future__ import annotations

import numpy as np
from numba import njit


def reinforce(strength: np.ndarray, gain: float, times: np.ndarray | int = 1) -> np.ndarray:
    """Strength after ``times`` contacts, each closing ``gain`` of the gap to 1 (same shape as ``strength``)."""
    return 1.0 - (1.0 - strength) * (1.0 - gain) ** times


@njit(cache=True)
def reinforce_once(strength: float, gain: float) -> float:
    """``reinforce`` of one strength by one contact, for compiled loops."""
    return 1.0 - (1.0 - strength) * (1.0 - gain)


def fade(strength: np.ndarray, live: np.ndarray, used: np.ndarray, decay: float, threshold: float) -> np.ndarray:
    """One week's fading, in place: live ties not ``used`` lose ``decay`` of their strength; ties below
    ``threshold`` are gone (strength set to 0). Arrays of one shape (``strength`` contiguous); returns
    the bool mask of ties gone."""
    if not strength.flags.c_contiguous:
        raise ValueError("fade works in place on a contiguous strength array")
    gone = np.zeros(strength.shape, dtype=bool)
    _fade(strength.reshape(-1), np.ascontiguousarray(live).reshape(-1), np.ascontiguousarray(used).reshape(-1),
          decay, threshold, gone.reshape(-1))
    return gone


@njit(cache=True)
def _fade(strength, live, used, decay, threshold, gone):
    """``fade`` over flat arrays in one pass (the same arithmetic as the masked numpy version)."""
    for i in range(len(strength)):
        if live[i]:
            if not used[i]:
                strength[i] *= 1.0 - decay
            if strength[i] < threshold:
                strength[i] = 0.0
                gone[i] = True
