"""How names and counts are spelt to a user: did-you-mean hints for a misspelt name (stack settings keys,
regions, policy names in a policy config and guardrails named in the selection all get the same one)
and counts that agree with their number."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`did you mean 'x'? ` for the closest known name, or nothing when none is close. Of equally close
    names, one with the same letters wins: `us-esat-1` is a transposed us-east-1, not a us-west-1."""
    close = difflib.get_close_matches(name, list(known), n=5)
    close.sort(key=lambda c: (-difflib.SequenceMatcher(None, name, c).ratio(), sorted(c) != sorted(name)))
    return f"did you mean {close[0]!r}? " if close else ""


def counted(number: int, noun: str, plural: str = "") -> str:
    """`1 violation`, `2 violations`; `plural` where adding an s will not do (`policies`)."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"
