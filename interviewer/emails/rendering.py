"""Rendering a team's email text in Jinja's sandbox, and checking one before it is saved.

The texts are written by the team, so they are treated as untrusted code: the immutable
sandbox refuses attributes that reach Python's internals (``__class__``...) and methods that
change a value; the environment has no globals (no ``range``, ``lipsum``, ``namespace``),
so a text sees nothing but the plain strings and flags it is given; an unknown name is an
error, not a blank. Emails are plain text, so nothing is escaped.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

#: Longest text a rendering may produce: a loop or a product must not fill the memory.
MAX_OUTPUT = 100_000
#: Largest repeat count of ``*`` and exponent of ``**``.
MAX_FACTOR = 1_000


class _Environment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator_name, left, right):
        """Refuse ``"x" * 10**9`` and ``9 ** 9 ** 9`` before they are computed."""
        for value in (left, right):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_FACTOR:
                raise SecurityError(f"numbers above {MAX_FACTOR} cannot be multiplied here")
        return {"*": operator.mul, "**": operator.pow}[operator_name](left, right)


def _environment() -> _Environment:
    env = _Environment(
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals.clear()
    return env


_ENV = _environment()


class TemplateProblem(ValueError):
    """A text that cannot be used, with the message and line to show on the form."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message, self.line = message, line
        super().__init__(f"Line {line}: {message}" if line else message)


def _names(tree: nodes.Template) -> list[tuple[str, int]]:
    """(name, line) of every variable the text reads that it does not set itself."""
    assigned = {node.name for node in tree.find_all(nodes.Name) if node.ctx in ("store", "param")}
    return [
        (node.name, node.lineno)
        for node in tree.find_all(nodes.Name)
        if node.ctx == "load" and node.name not in assigned
    ]


def check(source: str, allowed: frozenset[str]) -> None:
    """Raise :class:`TemplateProblem` unless ``source`` parses and reads only ``allowed``
    variables (the kind's), and nothing of the template machinery (``self``, ``loop``
    outside a loop is caught at render time)."""
    try:
        tree = _ENV.parse(source)
        _ENV.compile(tree)
    except TemplateSyntaxError as error:
        raise TemplateProblem(error.message or "the text cannot be read", error.lineno) from None
    for name, line in _names(tree):
        if name not in allowed and name != "loop":
            raise TemplateProblem(f"“{name}” is not one of this email's variables.", line) from None


def render(source: str, values: dict) -> str:
    """``source`` rendered with ``values`` in the sandbox; raises :class:`TemplateProblem`."""
    try:
        tree = _ENV.parse(source)
        if any(node.name == "self" for node in tree.find_all(nodes.Name)):
            # The template's own blocks: nothing an email needs, and a way round the checks.
            raise TemplateProblem("“self” is not one of this email's variables.")
        text = _ENV.from_string(tree).render(values)
    except TemplateSyntaxError as error:
        raise TemplateProblem(error.message or "the text cannot be read", error.lineno) from None
    except (TemplateError, SecurityError, ArithmeticError, TypeError, ValueError) as error:
        raise TemplateProblem(str(error) or type(error).__name__) from None
    if len(text) > MAX_OUTPUT:
        raise TemplateProblem(f"The email would be longer than {MAX_OUTPUT:,} characters.")
    return text.strip()


def render_subject(source: str, values: dict) -> str:
    """A subject is one line: what a rendering puts on several lines is joined."""
    return " ".join(render(source, values).split())


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
