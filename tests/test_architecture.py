"""The shape of the house, checked by parsing the package (STYLE.md).

Each test lists every offence it finds, so a failure says what to move and where:
imports and endpoint names follow the order of the features, no feature reads another's
tables by name, views load rows only through their feature's access helpers, tables live
in ``models.py``, blueprints in a feature's ``__init__.py``, forms in ``forms.py`` and
derived from the base form that keeps text clean, the environment is read by ``config.py``
alone, no view outgrows 25 lines and no module 450.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "interviewer"

#: The layers from the ground up. A module may use its own layer and those below it.
LAYERS: list[set[str]] = [
    {
        "db",
        "extensions",
        "sqlite",
        "idle_ping",
        "read_requests",
        "timezones",
        "urls",
        "forms",
        "signals",
        "logs",
        "pagination",
        "claims",
        "page_cache",
    },
    {"auth"},
    # Shared services that every feature may use: the audit log, the outbox, stored files,
    # and the pages kept rendered under the team's version.
    {"audit", "mail", "files", "kept"},
    # Accounts as admins and their owners run them: invitations, resets, the audit log page.
    {"accounts"},
    # The team's brand, as admins set it and as the faces show it to candidates.
    {"branding"},
    {"catalog"},
    {"plans"},
    {"candidates"},
    # Emails to candidates: the team's texts, and the one way a feature sends one.
    {"emails"},
    {"scheduling"},
    {"scorecards"},
    # The faces read every feature; the commands and the app factory stand on top.
    {"portal", "dashboard", "careers", "privacy", "reports", "api", "ops", "webhooks"},
    {"seed", "backup", "cli", "worker"},
    {"__init__", "templating", "errors", "headers"},
]

MAX_MODULE_LINES = 450
MAX_VIEW_LINES = 25
#: Loading a row by id is the access helpers' job; these calls do it by hand.
BY_HAND_LOADERS = {"get_in_team_or_404", "get_or_404", "first_or_404", "one_or_404"}
VIEW_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def layer_of(part: str) -> int:
    for rank, layer in enumerate(LAYERS):
        if part in layer:
            return rank
    raise AssertionError(f"interviewer/{part} is in no layer of tests/test_architecture.py")


@dataclass
class Module:
    path: Path

    @property
    def name(self) -> str:
        return str(self.path.relative_to(PACKAGE.parent))

    @property
    def part(self) -> str:
        """The feature (or shared module) this file belongs to: ``plans``, ``audit``..."""
        relative = self.path.relative_to(PACKAGE).parts
        return relative[0].removesuffix(".py")

    @cached_property
    def source(self) -> str:
        return self.path.read_text()

    @cached_property
    def tree(self) -> ast.Module:
        return ast.parse(self.source, filename=self.name)

    def imported_parts(self) -> list[tuple[int, str]]:
        """(line, feature) of every import of ``interviewer.<feature>``, nested ones too."""
        found = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = node.module.split(".")
                if names[0] != "interviewer":
                    continue
                if len(names) > 1:
                    found.append((node.lineno, names[1]))
                else:
                    found.extend((node.lineno, alias.name) for alias in node.names)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    names = alias.name.split(".")
                    if names[0] == "interviewer" and len(names) > 1:
                        found.append((node.lineno, names[1]))
        return found

    def calls(self):
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                yield node, call_name(node.func)

    @cached_property
    def is_routes(self) -> bool:
        """True when the module declares views (functions under a blueprint's route)."""
        for node in ast.walk(self.tree):
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    target = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if isinstance(target, ast.Attribute) and target.attr in VIEW_DECORATORS:
                        return True
        return False


def call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def is_column(node: ast.expr) -> bool:
    """``Model.column``: a join condition, not an id the caller brought."""
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id[:1].isupper()
    )


def dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    return "?"


MODULES = sorted(
    (Module(path) for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts),
    key=lambda module: module.name,
)


def blueprint_owners() -> dict[str, str]:
    """Blueprint name → the feature that declares it."""
    owners = {}
    for module in MODULES:
        for node, name in module.calls():
            if name == "Blueprint" and node.args and isinstance(node.args[0], ast.Constant):
                owners[node.args[0].value] = module.part
    return owners


def report(offences: list[str]) -> None:
    assert not offences, f"{len(offences)} found:\n  " + "\n  ".join(offences)


def test_every_part_of_the_package_has_a_layer():
    report(
        [
            f"{module.name}: add {module.part!r} to LAYERS"
            for module in MODULES
            if not any(module.part in layer for layer in LAYERS)
        ]
    )


def test_no_import_goes_up_the_order_of_the_features():
    offences = []
    for module in MODULES:
        own = layer_of(module.part)
        for line, part in module.imported_parts():
            if part != module.part and layer_of(part) > own:
                offences.append(f"{module.name}:{line} imports interviewer.{part}")
    report(offences)


def test_no_feature_names_a_higher_features_endpoint():
    owners = blueprint_owners()
    offences = []
    for module in MODULES:
        own = layer_of(module.part)
        for node, name in module.calls():
            if name not in {"url_for", "link_to"} or not node.args:
                continue
            endpoint = node.args[0]
            if not (isinstance(endpoint, ast.Constant) and isinstance(endpoint.value, str)):
                continue
            blueprint = endpoint.value.partition(".")[0]
            owner = owners.get(blueprint)
            if owner and owner != module.part and layer_of(owner) > own:
                offences.append(f"{module.name}:{node.lineno} names {endpoint.value!r}")
    report(offences)


def test_no_feature_reads_another_features_tables_by_name():
    offences = []
    for module in MODULES:
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "tables"
                and dotted(node.value).endswith("metadata")
            ):
                offences.append(f"{module.name}:{node.lineno} reads metadata.tables")
        for node, name in module.calls():
            if name == "table" and node.args and isinstance(node.args[0], ast.Constant):
                offences.append(f"{module.name}:{node.lineno} table({node.args[0].value!r})")
    report(offences)


def test_views_load_rows_only_through_access_helpers():
    offences = []
    for module in MODULES:
        if not module.is_routes:
            continue
        for node, name in module.calls():
            func = dotted(node.func)
            if name in BY_HAND_LOADERS or func.endswith("session.get"):
                offences.append(f"{module.name}:{node.lineno} calls {func}")
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Compare)
                and isinstance(node.ops[0], ast.Eq)
                and isinstance(node.left, ast.Attribute)
                and node.left.attr == "id"
                and isinstance(node.left.value, ast.Name)
                and node.left.value.id[:1].isupper()
                and not is_column(node.comparators[0])
            ):
                offences.append(f"{module.name}:{node.lineno} selects {dotted(node.left)} ==")
    report(offences)


def test_every_table_is_declared_in_its_features_models_module():
    offences = []
    for module in MODULES:
        if module.path.name.endswith("models.py"):
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(item, ast.Assign)
                and any(getattr(target, "id", "") == "__tablename__" for target in item.targets)
                for item in node.body
            ):
                offences.append(f"{module.name}:{node.lineno} declares table class {node.name}")
        for node, name in module.calls():
            if name == "Table":
                offences.append(f"{module.name}:{node.lineno} declares a Table")
    report(offences)


def test_blueprints_live_in_their_features_package():
    offences = []
    for module in MODULES:
        for node, name in module.calls():
            if name == "Blueprint" and module.path.relative_to(PACKAGE).parts[1:] != (
                "__init__.py",
            ):
                offences.append(f"{module.name}:{node.lineno} declares a blueprint")
    report(offences)


def test_forms_live_in_forms_modules():
    offences = []
    for module in MODULES:
        if module.path.stem.endswith("forms"):
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ClassDef) and any(
                call_name(base).endswith("Form") for base in node.bases
            ):
                offences.append(f"{module.name}:{node.lineno} declares form {node.name}")
    report(offences)


#: The only module that builds on the form classes of Flask-WTF and WTForms themselves.
FORMS_BASE = "interviewer/forms.py"
RAW_FORMS = {("flask_wtf", "FlaskForm"), ("wtforms", "Form"), ("wtforms.form", "Form")}


def test_forms_build_on_the_base_form_only():
    """``FlaskForm`` and WTForms' ``Form`` are imported by ``interviewer/forms.py`` alone:
    every other form builds on its ``BaseForm`` (or ``SubForm``), which clean the input."""
    offences = []
    for module in MODULES:
        if module.name == FORMS_BASE:
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    if (node.module, alias.name) in RAW_FORMS:
                        offences.append(f"{module.name}:{node.lineno} imports {alias.name}")
            elif isinstance(node, ast.Attribute) and dotted(node) in {
                "flask_wtf.FlaskForm",
                "wtforms.Form",
            }:
                offences.append(f"{module.name}:{node.lineno} uses {dotted(node)}")
    report(offences)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_form_derives_from_the_base_form():
    """Every form class of the package, once all its modules are imported, derives from
    ``interviewer.forms.BaseForm`` or ``SubForm``: their meta adds the text, number and date
    checks to each field, so no form lets NUL or an overflowing number through."""
    import wtforms

    from interviewer import forms

    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="interviewer."):
        importlib.import_module(info.name)
    classes = [
        cls
        for cls in _subclasses(wtforms.form.BaseForm)
        if cls.__module__.startswith("interviewer.") and cls.__module__ != "interviewer.forms"
    ]
    assert len(classes) > 20, "the forms of the package were not found"
    report(
        sorted(
            f"{cls.__module__}.{cls.__qualname__} derives from neither BaseForm nor SubForm"
            for cls in classes
            if not issubclass(cls, forms.BaseForm | forms.SubForm)
        )
    )


def test_only_config_reads_the_environment():
    offences = []
    for module in MODULES:
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Attribute) and dotted(node) in {"os.environ", "os.getenv"}:
                offences.append(f"{module.name}:{node.lineno} reads {dotted(node)}")
    report(offences)


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.name)
def test_no_module_passes_450_lines(module):
    lines = module.source.count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module.name} has {lines} lines; split it by topic"


def view_functions():
    for module in MODULES:
        for node in ast.walk(module.tree):
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(target := (d.func if isinstance(d, ast.Call) else d), ast.Attribute)
                and target.attr in VIEW_DECORATORS
                for d in node.decorator_list
            ):
                yield module, node


def test_no_view_passes_25_lines():
    """A longer view is hiding a service: its body (docstring aside) stays within 25 lines."""
    offences = []
    for module, view in view_functions():
        body = view.body
        if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        lines = body[-1].end_lineno - body[0].lineno + 1 if body else 0
        if lines > MAX_VIEW_LINES:
            offences.append(f"{module.name}:{view.lineno} {view.name} has {lines} lines")
    report(offences)
