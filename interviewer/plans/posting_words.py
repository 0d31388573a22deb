"""The posting checker's word lists: ``posting_words.toml`` plus the team's own file.

The team's file is named by the ``POSTING_WORDS_FILE`` setting or environment variable (a path
relative to the instance folder, or absolute); it has the same format as the built-in file, and
its groups and terms are added to the built-in ones. Edits are picked up without a restart.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context

log = logging.getLogger(__name__)

BUILTIN_WORDS_FILE = Path(__file__).with_name("posting_words.toml")
KINDS = ("error", "warning")
SCOPES = ("anywhere", "hire")


@dataclass(frozen=True)
class WordGroup:
    name: str
    #: "error" or "warning".
    kind: str
    reason: str
    scope: str
    terms: tuple[str, ...]
    pattern: re.Pattern


@dataclass(frozen=True)
class WordLists:
    groups: tuple[WordGroup, ...]
    hire: re.Pattern
    salary: re.Pattern
    #: ``(side, pattern)`` of each gender-coded term, side "m" or "f", longest term first.
    coded: tuple[tuple[str, re.Pattern], ...]
    masculine_margin: int
    #: Why the team's file, or part of it, was left out.
    problems: tuple[str, ...] = ()


def term_pattern(term: str) -> str:
    """A regular expression for one list term: a whole word or phrase, or a stem ending in ``*``.

    Words of a phrase may be separated by spaces or hyphens ("digital-native").
    """
    stem = term.endswith("*")
    parts = re.split(r"[\s-]+", term.rstrip("*").strip())
    body = r"[\s-]+".join(re.escape(part) for part in parts)
    return rf"(?<!\w){body}" + (r"\w*" if stem else r"(?!\w)")


def _compile(terms: Iterable[str]) -> re.Pattern:
    # Longest first, so that "he or she" wins over "he" at the same place.
    ordered = sorted(set(terms), key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!)")
    return re.compile("|".join(term_pattern(term) for term in ordered), re.IGNORECASE)


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def _terms(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise ValueError("terms must be a list of non-empty strings")
    return [term.strip() for term in value]


def _merge(builtin: dict[str, Any], extra: dict[str, Any], problems: list[str]) -> WordLists:
    disabled = {term.lower() for term in _terms(extra.get("disabled", []))}
    groups = []
    for number, raw in enumerate(builtin.get("group", []) + extra.get("group", []), start=1):
        try:
            kind = raw.get("kind", "error")
            scope = raw.get("scope", "anywhere")
            if kind not in KINDS or scope not in SCOPES:
                raise ValueError(f"kind must be one of {KINDS} and scope one of {SCOPES}")
            terms = tuple(t for t in _terms(raw["terms"]) if t.lower() not in disabled)
            groups.append(
                WordGroup(
                    name=str(raw["name"]),
                    kind=kind,
                    reason=" ".join(str(raw["reason"]).split()),
                    scope=scope,
                    terms=terms,
                    pattern=_compile(terms),
                )
            )
        except (KeyError, ValueError, AttributeError) as error:
            problems.append(f"word group {raw.get('name', number)!r} was left out: {error}")

    def listed(table: str, key: str) -> list[str]:
        terms = _terms(builtin.get(table, {}).get(key, []))
        terms += _terms(extra.get(table, {}).get(key, []))
        return [term for term in terms if term.lower() not in disabled]

    coded = [(term, "m") for term in listed("coded", "masculine")]
    coded += [(term, "f") for term in listed("coded", "feminine")]
    coded.sort(key=lambda entry: len(entry[0]), reverse=True)
    margin = {**builtin.get("coded", {}), **extra.get("coded", {})}.get("masculine_margin", 3)
    return WordLists(
        groups=tuple(groups),
        hire=_compile(listed("hire", "terms")),
        salary=_compile(listed("salary", "terms")),
        coded=tuple((side, re.compile(term_pattern(term), re.IGNORECASE)) for term, side in coded),
        masculine_margin=int(margin),
        problems=tuple(problems),
    )


@lru_cache(maxsize=8)
def _load(extra_path: str | None, mtime: float | None) -> WordLists:
    """The merged lists; ``mtime`` is part of the cache key so that an edited file is re-read."""
    builtin = _read(BUILTIN_WORDS_FILE)
    if not extra_path:
        return _merge(builtin, {}, [])
    problems: list[str] = []
    try:
        return _merge(builtin, _read(Path(extra_path)), problems)
    except (OSError, tomllib.TOMLDecodeError, ValueError, TypeError, AttributeError) as error:
        log.error("posting word list %s was not read: %s", extra_path, error)
        return _merge(builtin, {}, [f"word list {extra_path} was not read: {error}"])


def words_file() -> Path | None:
    """The team's extra word list: ``POSTING_WORDS_FILE`` (relative to the instance folder)."""
    name = None
    if has_app_context():
        name = current_app.config.get("POSTING_WORDS_FILE")
    if not name:
        return None
    path = Path(name).expanduser()
    if not path.is_absolute() and has_app_context():
        path = Path(current_app.instance_path) / path
    return path


def load_word_lists(extra_path: Path | str | None = None) -> WordLists:
    """The built-in word lists merged with ``extra_path`` (default: the configured file)."""
    path = Path(extra_path) if extra_path else words_file()
    if path is None:
        return _load(None, None)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = None
    return _load(str(path), mtime)
