"""The password rules: long enough, not guessable, hashed at today's cost."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from flask import current_app, has_app_context
from werkzeug.security import generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 12
#: Longer passwords are refused: hashing megabytes on every sign-in is a way to slow the site.
MAX_LENGTH = 256
#: zxcvbn's score, 0 to 4: 3 is "safely unguessable" (about 10^8 guesses and more).
MIN_SCORE = 3
#: zxcvbn's time grows with the length; the first characters tell a guessable password.
_ESTIMATED_CHARACTERS = 100
#: What production hashes with (werkzeug's current scrypt cost).
DEFAULT_METHOD = "scrypt"


def weakness(password: str, *, user_inputs: Iterable[str] = ()) -> str | None:
    """Why ``password`` is refused, in words that say how to pick a better one; ``None``
    when it is good. ``user_inputs`` (the person's name and email, the team's name) count
    as known words, so a password made of them is guessable."""
    if len(password) < MIN_LENGTH:
        return (
            f"The password needs at least {MIN_LENGTH} characters; a few unusual words work well."
        )
    if len(password) > MAX_LENGTH:
        return f"The password can have at most {MAX_LENGTH} characters."
    inputs = [word for text in user_inputs if text for word in _words(text)]
    result = zxcvbn(password[:_ESTIMATED_CHARACTERS], user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result["feedback"]
    hints = [feedback["warning"], *feedback["suggestions"]]
    advice = " ".join(hint for hint in hints if hint)
    return f"This password is too easy to guess. {advice or 'Add another word or two.'}".strip()


def _words(text: str) -> list[str]:
    """``text``, its parts and its letters run together: ``Ada Lovelace`` gives ``ada``,
    ``lovelace`` and ``adalovelace``, as people type a name into a password."""
    parts = [text.lower()]
    for separator in "@._- +":
        parts = [piece for part in parts for piece in part.split(separator)] + parts
    parts.append("".join(character for character in text.lower() if character.isalnum()))
    return sorted({part for part in parts if len(part) >= 3})


def hash_method() -> str:
    """The hashing method of new hashes: ``PASSWORD_HASH_METHOD``, scrypt by default."""
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_METHOD
    return DEFAULT_METHOD


def hash_password(password: str) -> str:
    """A hash of ``password`` with the current method and cost."""
    return generate_password_hash(password, method=hash_method())


def needs_rehash(password_hash: str) -> bool:
    """Whether ``password_hash`` was made with another method or cost than new hashes get."""
    return password_hash.split("$", 1)[0] != _full_method(hash_method())


@cache
def _full_method(method: str) -> str:
    """``method`` with werkzeug's defaults filled in, as a hash made with it names it."""
    return generate_password_hash("", method=method).split("$", 1)[0]
