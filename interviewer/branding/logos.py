"""Checking an uploaded logo: a PNG that decodes, or an SVG with nothing active in it.

The type comes from the bytes, never from the file name. An SVG is parsed with defusedxml
(no DOCTYPE, entities or external references) and refused when it holds anything that could
run or reach out when the file is opened on its own: scripts, event handler attributes,
``foreignObject`` or HTML, animation (which can rewrite links), processing instructions,
and links or ``url(...)`` references to anything but a fragment of the file itself.
"""

from __future__ import annotations

import io
import re
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException
from PIL import Image, UnidentifiedImageError

PNG = "image/png"
SVG = "image/svg+xml"
#: The largest logo kept, in bytes: a logo is shown small, and served on every public page.
MAX_BYTES = 512 * 1024
#: The largest side of a PNG logo, in pixels.
MAX_SIDE = 4096
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
#: Elements that run code, embed other documents or change the file once shown.
FORBIDDEN_ELEMENTS = frozenset(
    {
        "script",
        "foreignobject",
        "iframe",
        "object",
        "embed",
        "audio",
        "video",
        "handler",
        "listener",
        "animate",
        "animatemotion",
        "animatetransform",
        "animatecolor",
        "set",
        "discard",
    }
)
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)


class LogoError(ValueError):
    """A file that cannot be the team's logo, in words for the admin."""


def check_logo(data: bytes) -> str:
    """The content type of ``data`` (:data:`PNG` or :data:`SVG`) once it passes the checks.

    Raises :class:`LogoError` saying what is wrong: empty, too large, neither PNG nor SVG,
    a PNG that does not decode, or an SVG with anything active in it.
    """
    if not data:
        raise LogoError("The file is empty: choose a PNG or SVG image.")
    if len(data) > MAX_BYTES:
        raise LogoError(
            f"The file is over {_kilobytes(MAX_BYTES)}, the most a logo may be: "
            "export it smaller, or as SVG."
        )
    if data.startswith(PNG_SIGNATURE):
        _check_png(data)
        return PNG
    if _looks_like_xml(data):
        _check_svg(data)
        return SVG
    raise LogoError(f"This file is {_other_kind(data)}; upload a PNG or SVG image.")


def _kilobytes(size: int) -> str:
    return f"{size / 1024:.0f} KB"


def _looks_like_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _other_kind(data: bytes) -> str:
    """What a file that is neither PNG nor SVG is, if Pillow knows it."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return f"a {image.format} image, not PNG or SVG"
    except (UnidentifiedImageError, OSError, ValueError):
        return "not an image"


def _check_png(data: bytes) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise LogoError("This file starts like a PNG but is not one.")
            width, height = image.size
            if max(width, height) > MAX_SIDE:
                raise LogoError(
                    f"The image is {width}×{height} pixels; a logo may be at most "
                    f"{MAX_SIDE} pixels on each side."
                )
            image.verify()
        # ``verify`` checks the chunks; decoding the pixels finds a cut-off file.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except LogoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise LogoError(
            "This PNG is damaged or incomplete and cannot be shown: export it again."
        ) from None


def _check_svg(data: bytes) -> None:
    try:
        events = safe_xml.iterparse(
            io.BytesIO(data),
            events=("start", "end", "pi"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        root_seen = False
        for event, element in events:
            if event == "pi":
                raise LogoError(
                    "The SVG holds a processing instruction (such as xml-stylesheet); "
                    "remove it: a logo must not load anything."
                )
            if event == "end":
                # An element's text is complete only at its end.
                if _local(element.tag)[1].lower() == "style":
                    _check_css(element.text or "", "style")
                continue
            if not root_seen:
                root_seen = True
                if element.tag != f"{{{SVG_NS}}}svg":
                    raise LogoError(
                        "This file is XML but not an SVG image (its first element must be "
                        '<svg xmlns="http://www.w3.org/2000/svg">).'
                    )
            _check_element(element)
    except DefusedXmlException:
        raise LogoError(
            "The SVG has a DOCTYPE or entity declarations, which a logo may not have: "
            "remove the <!DOCTYPE ...> part, or export it again as plain SVG."
        ) from None
    except ParseError as error:
        raise LogoError(f"This SVG is not well-formed XML ({error}).") from None


def _local(name: str) -> tuple[str, str]:
    """``(namespace, local name)`` of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _check_element(element) -> None:
    namespace, tag = _local(element.tag)
    if namespace == XHTML_NS or tag.lower() in FORBIDDEN_ELEMENTS:
        raise LogoError(
            f"The SVG holds a <{tag}> element, which could run code or change the image "
            "once shown; a logo may only draw."
        )
    for name, value in element.attrib.items():
        _, attribute = _local(name)
        lowered = attribute.lower()
        if lowered.startswith("on"):
            raise LogoError(
                f"The SVG's <{tag}> has an event handler attribute ({attribute}); remove it: "
                "a logo must not run code."
            )
        if lowered == "href" and not value.strip().startswith("#"):
            raise LogoError(
                f"The SVG's <{tag}> links to “{value.strip()[:60]}”; a logo may only refer "
                'to parts of itself (href="#id").'
            )
        if lowered == "style":
            _check_css(value, tag)
        else:
            _check_urls(value, tag)


def _check_css(text: str, tag: str) -> None:
    if "@import" in text.lower() or "\\" in text:
        raise LogoError(
            f"The SVG's <{tag}> has styles that import or escape text (@import, \\); "
            "a logo's styles may only set plain values."
        )
    _check_urls(text, tag)


def _check_urls(text: str, tag: str) -> None:
    opened = text.lower().count("url(")
    if not opened:
        return
    references = list(_URL.finditer(text))
    if len(references) != opened:
        raise LogoError(f"The SVG's <{tag}> has a url(...) that cannot be read; remove it.")
    for found in references:
        if not found.group(2).strip().startswith("#"):
            raise LogoError(
                f"The SVG's <{tag}> refers to “{found.group(2).strip()[:60]}”; a logo may "
                "only refer to parts of itself (url(#id))."
            )
