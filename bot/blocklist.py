"""Blocked terms: does a prompt contain a word or phrase a server's admins refused?

Pure functions and one small class, no I/O. A prompt and every term are brought to one form
(:func:`normalize`): Unicode NFKC (fullwidth ``ｎｓｆｗ`` becomes ``nsfw``), case folding
(``NSFW``, ``ß``), accents and zero-width characters removed. A term then becomes a pattern that
matches it as a *whole word*, letter by letter, where

- any run of separators (spaces, punctuation, ``_``) may sit between two letters, so
  ``n.s.f.w``, ``n s f w``, ``n-s-f-w`` and ``N_S_F_W`` are all ``nsfw``;
- each letter may be repeated (``nsssfw``), but never fewer times than in the term: ``ass``
  is ``a+ s+ s+``, so the word ``as`` does not match it;
- the match must start and end at a word boundary (no letter or digit just before or after), so
  ``class`` and ``assistant`` do not contain ``ass``.

A phrase (``bad word``) is the same pattern over all its letters, so its words may be joined or
split any way too. The known cost of letting separators sit anywhere: a run of single letters
that happens to spell a term (``a s.s. officer``) matches it. Admins see this as a rare false
positive; the opposite (spaced-out words getting through) is what members actually try.

All of a server's terms are compiled into one regular expression (:class:`Matcher`), built once
per change and cached by the caller; alternatives are grouped by their first letter, so a prompt
is scanned once whatever the number of terms.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.errors import ValidationError

MAX_TERM_CHARS = 100
"""Longest term accepted; a longer one is surely a pasted paragraph, not a word to block."""
MAX_TERMS = 1000
"""Terms per server; enough for any word list an admin maintains by hand, and still fast."""

_SEP = r"[\W_]*"
_BEFORE = r"(?<![^\W_])"  # not preceded by a letter or digit
_AFTER = r"(?![^\W_])"  # not followed by a letter or digit


def normalize(text: str) -> str:
    """``text`` in the one form that prompts and terms are compared in.

    NFKC folds compatibility forms (fullwidth, ligatures, circled letters), ``casefold`` folds
    case, and the NFKD pass drops combining marks (accents) and format characters (zero-width
    spaces and joiners, soft hyphens, bidi controls).
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Me", "Cf"))
    return unicodedata.normalize("NFC", kept)


def term_key(term: str) -> str:
    """The letters and digits of a term, normalized: two terms with one key block the same text."""
    return "".join(c for c in normalize(term) if c.isalnum())


def check_term(term: str | None) -> str:
    """The term an admin typed, trimmed; refused with a sentence when it cannot be a blocked term."""
    text = " ".join((term or "").split())
    if not text:
        raise ValidationError(msg_id="term-empty")
    if len(text) > MAX_TERM_CHARS:
        raise ValidationError(msg_id="term-too-long", args={"length": len(text), "max": MAX_TERM_CHARS})
    if not term_key(text):
        raise ValidationError(msg_id="term-no-letters")
    return text


def term_pattern(term: str) -> str:
    """The regular expression (without boundaries) for one term: each letter repeatable, any
    separators between letters."""
    first, tail = _first_and_tail(term_key(term))
    return first + tail


def _first_and_tail(key: str) -> tuple[str, str]:
    """A key's pattern, split after its first letter (so that terms can share it).

    A run of ``k`` equal letters is one letter then at least ``k - 1`` more, each optionally
    after separators: every step consumes exactly one letter, so the expression cannot try the
    many ways of splitting a long run among ``x+x+x+`` (which takes seconds on a prompt of a
    few thousand x's).
    """
    runs = [(letter, len(list(group))) for letter, group in itertools.groupby(key)]
    parts = []
    for index, (letter, count) in enumerate(runs):
        escaped = re.escape(letter)
        more = f"(?:{_SEP}{escaped}){{{count - 1},}}"
        parts.append(more if index == 0 else escaped + more)
    return re.escape(runs[0][0]), _SEP.join([parts[0], *parts[1:]]) if len(parts) > 1 else parts[0]


@dataclass(frozen=True)
class Matcher:
    """One server's compiled terms; ``find(prompt)`` says which term a prompt contains."""

    terms: tuple[str, ...]
    _regex: re.Pattern[str] | None = field(repr=False, default=None)
    _singles: tuple[tuple[str, re.Pattern[str]], ...] = field(repr=False, default=())

    @classmethod
    def build(cls, terms: Iterable[str]) -> Matcher:
        """Compile ``terms`` (already checked) into one expression."""
        kept = tuple(dict.fromkeys(t for t in terms if term_key(t)))
        if not kept:
            return cls(())
        by_first: dict[str, list[str]] = defaultdict(list)
        for key in sorted({term_key(t) for t in kept}, key=len, reverse=True):
            first, tail = _first_and_tail(key)
            by_first[first].append(tail)
        groups = [f"{first}(?:{'|'.join(tails)})" for first, tails in sorted(by_first.items())]
        regex = re.compile(f"{_BEFORE}(?:{'|'.join(groups)}){_AFTER}")
        singles = tuple((t, re.compile(f"{_BEFORE}{term_pattern(t)}{_AFTER}")) for t in kept)
        return cls(kept, regex, singles)

    def find(self, prompt: str) -> str | None:
        """The first blocked term found in ``prompt``, or ``None``."""
        if self._regex is None:
            return None
        text = normalize(prompt)
        found = self._regex.search(text)
        if found is None:
            return None
        for term, pattern in self._singles:  # only on a hit: which term was it?
            if pattern.fullmatch(found.group(0)) or pattern.search(text):
                return term
        return self.terms[0]

    def __bool__(self) -> bool:
        return bool(self.terms)
