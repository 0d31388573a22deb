"""Reading the forms a page shows, as a browser does: their action, method and fields.

``forms_on(html)`` returns every ``<form>`` of a page with the value each field would
send as the page stands (the typed value, the selected option, the checked boxes), the
choices of each select, radio group and checkbox group, and the kind of input each field
is (``text``, ``textarea``, ``number``, ``date``, ``select`` ...); ``links_on(html)`` the
addresses of its links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Input types that carry free text.
TEXT_TYPES = {"text", "search", "email", "url", "tel", "password", "hidden", "textarea"}
#: Input types whose value is picked from a list.
CHOICE_TYPES = {"select", "radio", "checkbox"}


@dataclass
class FormField:
    """One named field: its kind, the value(s) it would send, and its choices."""

    name: str
    kind: str
    values: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    multiple: bool = False
    #: The longest value the page lets a person type (its ``maxlength``), if it says.
    maxlength: int | None = None


@dataclass
class PageForm:
    """One ``<form>``: where it posts and what it holds."""

    action: str
    method: str
    fields: dict[str, FormField] = field(default_factory=dict)
    #: Named submit buttons, in page order: ``(name, value)``.
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def body(self) -> dict[str, list[str]]:
        """What submitting the form as it stands sends (with its first named button)."""
        sent = {name: list(item.values) for name, item in self.fields.items() if item.values}
        if self.buttons:
            name, value = self.buttons[0]
            sent[name] = [value]
        return sent


def _length(attributes: dict) -> int | None:
    value = attributes.get("maxlength", "")
    return int(value) if value.isdigit() else None


class _Parser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[PageForm] = []
        self.links: list[str] = []
        self.form: PageForm | None = None
        self.select: FormField | None = None
        self.option: tuple[str | None, bool] | None = None
        self.option_text = ""
        self.textarea: FormField | None = None

    def _field(self, name: str, kind: str) -> FormField:
        assert self.form is not None
        return self.form.fields.setdefault(name, FormField(name, kind))

    def handle_starttag(self, tag, attrs):
        attributes = {key: value if value is not None else "" for key, value in attrs}
        if tag in ("a", "link") and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "img" and attributes.get("src"):
            self.links.append(attributes["src"])
        if tag == "form":
            self.form = PageForm(
                action=attributes.get("action") or self.page,
                method=(attributes.get("method") or "get").lower(),
            )
            self.forms.append(self.form)
            return
        if self.form is None or not attributes.get("name") or "disabled" in attributes:
            if tag == "option" and self.select is not None:
                self._start_option(attributes)
            return
        name = attributes["name"]
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            value = attributes.get("value", "")
            if kind in {"submit", "image", "button", "reset"}:
                if kind == "submit":
                    self.form.buttons.append((name, value))
                return
            if attributes.get("inputmode") in {"numeric", "decimal"}:
                kind = "number"
            item = self._field(name, kind)
            if kind in {"radio", "checkbox"}:
                item.choices.append(value or "on")
                item.multiple = kind == "checkbox"
                if "checked" in attributes:
                    item.values.append(value or "on")
            else:
                item.values = [value]
                item.maxlength = _length(attributes)
        elif tag == "button" and attributes.get("type", "submit") == "submit":
            self.form.buttons.append((name, attributes.get("value", "")))
        elif tag == "textarea":
            self.textarea = self._field(name, "textarea")
            self.textarea.values = [""]
            self.textarea.maxlength = _length(attributes)
        elif tag == "select":
            self.select = self._field(name, "select")
            self.select.multiple = "multiple" in attributes

    def _start_option(self, attributes):
        self.option = (attributes.get("value"), "selected" in attributes)
        self.option_text = ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.values = [self.textarea.values[0] + data]
        if self.option is not None:
            self.option_text += data

    def _end_option(self):
        if self.option is None or self.select is None:
            return
        value, selected = self.option
        value = self.option_text.strip() if value is None else value
        self.select.choices.append(value)
        if selected:
            self.select.values.append(value)
        self.option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            # A newline right after ``<textarea>`` is not part of the value.
            if self.textarea is not None:
                value = self.textarea.values[0]
                self.textarea.values = [value.removeprefix("\r").removeprefix("\n")]
            self.textarea = None
        elif tag == "option":
            self._end_option()
        elif tag == "select":
            self._end_option()
            # A single select with nothing marked selected sends its first option.
            select = self.select
            if select is not None and not select.values and select.choices and not select.multiple:
                select.values = [select.choices[0]]
            self.select = None


def forms_on(html: str, page: str) -> list[PageForm]:
    """The forms of ``html`` (the page at path ``page``)."""
    parser = _Parser(page)
    parser.feed(html)
    parser.close()
    return parser.forms


def links_on(html: str) -> list[str]:
    """The ``href`` of every link of ``html``, and the address of each stylesheet, icon
    and image it loads."""
    parser = _Parser("")
    parser.feed(html)
    parser.close()
    return parser.links
