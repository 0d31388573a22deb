"""Logo files for the branding tests: a real PNG, a clean SVG, and SVGs that must be refused."""

from __future__ import annotations

import io

from PIL import Image

SVG_OPEN = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'viewBox="0 0 120 40">'
)

#: An SVG as design tools export it: a title, a gradient used by fragment, a style block.
GOOD_SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    + SVG_OPEN
    + "<title>Northwind</title>"
    + '<defs><linearGradient id="g"><stop offset="0" stop-color="#0b5394"/>'
    + '<stop offset="1" stop-color="#073763"/></linearGradient></defs>'
    + "<style>.word { font: bold 20px sans-serif; fill: url(#g); }</style>"
    + '<rect width="40" height="40" rx="8" fill="url(\'#g\')"/>'
    + '<use xlink:href="#g"/>'
    + '<text class="word" x="48" y="27">Northwind</text></svg>'
).encode()


def svg(inner: str, opening: str = SVG_OPEN) -> bytes:
    return (opening + inner + "</svg>").encode()


def png(width: int = 64, height: int = 32, colour: str = "#0b5394") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#0b5394").save(buffer, format="JPEG")
    return buffer.getvalue()
