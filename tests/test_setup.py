"""Installing and starting the app: no deprecation banner from the build, and the commands
the README names print links to where the app is served."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

from interviewer.urls import app_url

ROOT = Path(__file__).resolve().parent.parent
#: The first setuptools that reads an SPDX ``license`` string and ``license-files``
#: (earlier ones refuse the string; later ones warn on the old ``{ text = ... }`` table).
SPDX_SETUPTOOLS = Version("77")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_license_is_an_spdx_string_with_its_file_so_setuptools_prints_no_banner():
    project = _pyproject()["project"]
    assert project["license"] == "MIT"
    assert project["license-files"], "license-files names the licence text"
    for pattern in project["license-files"]:
        assert list(ROOT.glob(pattern)), f"{pattern} matches no file"
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert not any("License ::" in c for c in project.get("classifiers", []))


def test_the_build_asks_for_a_setuptools_that_reads_the_spdx_license():
    (requirement,) = (
        Requirement(text)
        for text in _pyproject()["build-system"]["requires"]
        if Requirement(text).name == "setuptools"
    )
    lowest = min(Version(spec.version) for spec in requirement.specifier if ">" in spec.operator)
    assert lowest >= SPDX_SETUPTOOLS
    assert not requirement.specifier.contains("76.1.0")


def test_the_readme_names_make_seed_and_the_makefile_has_it():
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "`make seed`" in readme
    assert re.search(r"^seed:", makefile, re.MULTILINE)


def test_make_run_serves_the_port_that_links_made_outside_a_request_name(app):
    served = re.search(r"flask run .*--port (\d+)", (ROOT / "Makefile").read_text())
    assert served, "make run names its port"
    with app.app_context():
        app.config["APP_URL"] = ""
        assert app_url() == f"http://127.0.0.1:{served.group(1)}"
