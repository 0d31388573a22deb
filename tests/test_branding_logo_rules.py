"""What a logo may be: a PNG that decodes, or an SVG that only draws, up to 512 KB, its type
found from the bytes; everything else is refused with a message that says why."""

from __future__ import annotations

import pytest

from interviewer.branding import logos
from interviewer.branding.logos import LogoError, check_logo
from tests.branding_support import GOOD_SVG, SVG_OPEN, jpeg, png, svg


def test_a_real_png_is_accepted_as_png():
    assert check_logo(png()) == logos.PNG


def test_a_clean_svg_with_fragment_references_and_styles_is_accepted():
    assert check_logo(GOOD_SVG) == logos.SVG


@pytest.mark.parametrize(
    ("data", "words"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "damaged", id="png-signature-only"),
        pytest.param(png()[:60], "damaged", id="png-cut-short"),
        pytest.param(png(5000, 10), "at most 4096 pixels", id="png-too-wide"),
        pytest.param(jpeg(), "a JPEG image, not PNG or SVG", id="jpeg"),
        pytest.param(b"MZ\x90\x00 an executable renamed logo.png", "not an image", id="exe"),
        pytest.param(b"%PDF-1.7 not a logo", "not an image", id="pdf"),
        pytest.param(b"<html><body>hi</body></html>", "not an SVG image", id="html"),
        pytest.param(
            b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "not well-formed", id="broken-xml"
        ),
    ],
)
def test_what_is_not_a_usable_png_or_svg_is_refused(data, words):
    with pytest.raises(LogoError, match=words):
        check_logo(data)


def test_a_file_over_512_kb_is_refused_before_it_is_read_as_an_image():
    big = GOOD_SVG[:-6] + b"<!--" + b"x" * logos.MAX_BYTES + b"--></svg>"
    with pytest.raises(LogoError, match="over 512 KB"):
        check_logo(big)
    assert check_logo(GOOD_SVG.ljust(1024, b" ")) == logos.SVG


@pytest.mark.parametrize(
    ("data", "words"),
    [
        pytest.param(svg("<script>alert(1)</script>"), "<script>", id="script"),
        pytest.param(
            svg('<svg:script xmlns:svg="http://www.w3.org/2000/svg"/>'),
            "<script>",
            id="prefixed-script",
        ),
        pytest.param(
            svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'),
            "<script>",
            id="xhtml-script",
        ),
        pytest.param(
            svg('<h:img xmlns:h="http://www.w3.org/1999/xhtml" src="x"/>'),
            "<img>",
            id="xhtml-element",
        ),
        pytest.param(
            svg("<circle r='4'/>", SVG_OPEN.replace("<svg ", '<svg onload="alert(1)" ')),
            "event handler attribute \\(onload\\)",
            id="onload",
        ),
        pytest.param(svg('<rect width="1" height="1" ONCLICK="x()"/>'), "ONCLICK", id="onclick"),
        pytest.param(
            svg("<foreignObject><div>hi</div></foreignObject>"),
            "<foreignObject>",
            id="foreignobject",
        ),
        pytest.param(
            svg('<set attributeName="href" to="javascript:alert(1)"/>'), "<set>", id="set"
        ),
        pytest.param(
            svg('<animate attributeName="href" values="javascript:x"/>'), "<animate>", id="animate"
        ),
        pytest.param(
            svg('<image href="https://tracker.example/pixel.png"/>'),
            "tracker.example",
            id="external-href",
        ),
        pytest.param(
            svg('<a xlink:href="javascript:alert(1)"><rect/></a>'),
            "javascript:",
            id="javascript-href",
        ),
        pytest.param(
            svg('<image href="data:image/png;base64,AAAA"/>'), "data:image", id="data-href"
        ),
        pytest.param(svg('<use href="other.svg#logo"/>'), "other.svg", id="other-file"),
        pytest.param(
            svg('<rect fill="url(https://x.example/a#b)"/>'), "x.example", id="external-url"
        ),
        pytest.param(
            svg('<rect style="fill: url( http://x.example/p )"/>'), "x.example", id="style-url"
        ),
        pytest.param(
            svg("<style>@import 'https://x.example/a.css';</style>"), "@import", id="import"
        ),
        pytest.param(
            svg(r"<style>rect { fill: \75 rl(http://x.example) }</style>"),
            "escape",
            id="css-escape",
        ),
        pytest.param(
            svg("<style>rect { fill: url(http://x.example/a.png) }</style>"),
            "x.example",
            id="style-element-url",
        ),
        pytest.param(
            b'<?xml-stylesheet href="https://x.example/a.css"?>' + svg("<rect/>"),
            "processing instruction",
            id="xml-stylesheet",
        ),
        pytest.param(
            b'<!DOCTYPE svg [<!ENTITY boom "boom">]>' + svg("<text>&boom;</text>"),
            "DOCTYPE or entity",
            id="entity",
        ),
        pytest.param(
            b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + svg("<text>&x;</text>"),
            "DOCTYPE or entity",
            id="external-entity",
        ),
        pytest.param(
            b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + svg("<rect/>"),
            "DOCTYPE",
            id="doctype",
        ),
    ],
)
def test_an_svg_that_could_run_or_load_anything_is_refused(data, words):
    with pytest.raises(LogoError, match=words):
        check_logo(data)
