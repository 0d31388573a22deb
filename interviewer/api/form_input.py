"""The pages' forms, run on an API request's data: the same fields, rules and messages.

A page's form holds rules the services do not repeat (lengths, formats, choices among the
team's rows, the characters no text may hold). Rather than write them a second time, the
API fills the page's own form with the request's values, as a browser would send them, and
answers its messages as problem details naming each field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from interviewer.api.problems import problem
from interviewer.forms import BaseForm

F = TypeVar("F", bound=BaseForm)


def as_form_value(value: Any) -> str | None:
    """``value`` as the text a browser would post for it (``None``: the field is left out)."""
    if value is None or value is False:
        return None
    if value is True:
        return "y"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def posted(values: Mapping[str, Any]) -> MultiDict:
    """``values`` as the form data a browser would post."""
    texts = {name: as_form_value(value) for name, value in values.items()}
    return MultiDict([(name, text) for name, text in texts.items() if text is not None])


def filled(form_class: type[F], values: Mapping[str, Any], setup: Callable[[F], None]) -> F:
    """``form_class`` filled with ``values`` and validated (``setup`` gives it its choices);
    its messages, if any, stop the request with a 422 naming each field."""
    form = form_class(formdata=posted(values), meta={"csrf": False})
    setup(form)
    check(form)
    return form


def check(form: BaseForm, names: Mapping[str, str] | None = None) -> None:
    """Stop the request with a 422 naming each field (by its API name in ``names``, if it
    has another) unless ``form`` (filled) is valid."""
    names = names or {}
    if not form.validate():
        refuse(
            [
                {"field": names.get(name, name), "message": str(message)}
                for name, messages in form.errors.items()
                for message in messages
            ]
        )


def refuse(errors: list[dict[str, str]], status: int = 422) -> NoReturn:
    """Stop the request with ``errors`` (field and message); the first is the detail."""
    raise HTTPException(response=problem(status, errors[0]["message"], errors=errors))
