"""The evidence of a suggestion located in its text, as plain-text spans to highlight.

A suggestion's evidence is '; '-separated phrases: rule phrases as written in the text and the
text's own words that weighed most in the score (folded: lower case, accents off). Both are
found again in the folded text at word boundaries and mapped back to the original characters, so
"énergie" in the text is marked for the evidence word "energie". The result is text spans, never
markup: a page shows the marked spans in <mark> elements with the text escaped.
"""

from __future__ import annotations

import re

from pipelines.tagging.text import fold, fold_with_offsets

MAX_TEXT = 4000  # characters of a text shown in the review queue


def evidence_phrases(evidence: str | None) -> list[str]:
    """Return the distinct non-empty phrases of a '; '-separated evidence value, longest first."""
    phrases = {p.strip() for p in (evidence or "").split(";") if p.strip()}
    return sorted(phrases, key=lambda p: (-len(p), p))


def evidence_spans(text: str | None, evidence: str | None) -> list[tuple[str, bool]]:
    """Return `text` cut into (piece, is_evidence) spans, in order, that join back to the text.

    Matching is case- and accent-insensitive and on whole words; overlapping matches merge.

    Example: ``evidence_spans("Clean énergie.", "energie")``
    ``# [("Clean ", False), ("énergie", True), (".", False)]``
    """
    text = (text or "")[:MAX_TEXT]
    if not text:
        return []
    folded, offsets = fold_with_offsets(text)
    marked = [False] * len(text)
    for phrase in evidence_phrases(evidence):
        needle = fold(phrase)
        if not needle.strip():
            continue
        pattern = re.compile(r"(?<![a-z0-9])" + re.escape(needle) + r"(?![a-z0-9])")
        for m in pattern.finditer(folded):
            first, last = offsets[m.start()], offsets[m.end() - 1]
            for i in range(first, last + 1):
                marked[i] = True
    spans: list[tuple[str, bool]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or marked[i] != marked[start]:
            spans.append((text[start:i], marked[start]))
            start = i
    return spans
