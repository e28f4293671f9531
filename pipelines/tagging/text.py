"""Text normalisation shared by the scorer and the rules: accents folded, lower case, light stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[a-z][a-z0-9]+")

# the commonest function words of English, French and Spanish (accents folded)
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    more most no nor not now of off on once only or other our ours out over own same she should
    so some such than that the their theirs them then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you
    your including include includes particular ensure all through among well per via within
    au aux avec ce ces cet cette dans de des du elle en est et il ils je la le les leur leurs lui
    mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sont
    sur ta te tes toi ton tous tout toute toutes tu un une vos votre vous ainsi afin ici entre
    etre fait faire compris notamment dont ont plus moins tres peu sous sans selon vers
    al algo con contra como cual cuando del desde donde el ella ellas ellos en entre era es esa
    ese eso esta este esto estos estas fue ha han hasta hay la las le les lo los mas mi mis muy
    nos nuestra nuestro para pero por que se sea ser si sin sobre son su sus tambien te tiene
    todo todos toda todas tu un una uno unos unas ya incluidos incluidas particular manera
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# longest first; a suffix is removed only when at least 4 letters remain
_SUFFIX_TEXT = """
    ations ation ency ancy ations itions ition ments ment ements ement ities ity ites ite idades idad
    ances ance ences ence ancias ancia encias encia ciones cion sions sion ing ings ised ized
    ises izes ise ize ismes isme ismos ismo ists ist istes iste istas ista ives ive ifs if ivas
    ivos iva ivo ables able ibles ible ales ale aux al ics ic iques ique icas icos ica ico ers
    er ors or eurs eur euses euse ores ora ies es s e a o y
"""
_SUFFIXES = sorted(set(_SUFFIX_TEXT.split()), key=len, reverse=True)


def fold(text: str) -> str:
    """Return the text in lower case with accents and ligatures folded to ASCII letters."""
    text = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Return fold() of one character (cached)."""
    return fold(ch)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Return (fold(text), the index in `text` of each folded character)."""
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        offsets.extend([i] * len(folded))
    return "".join(out), offsets


def stem(word: str) -> str:
    """Return a crude language-neutral stem: the longest known suffix off, 4+ letters kept."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Return the folded words of a text (2+ letters, stopwords kept), in order."""
    return _WORD.findall(fold(text))


def tokens(text: str) -> list[tuple[str, str]]:
    """Return (stem, folded word) for every content word of a text, in order."""
    return [(stem(w), w) for w in words(text) if w not in STOPWORDS and len(w) > 2]
