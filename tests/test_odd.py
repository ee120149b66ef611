"""docs/ODD.md against the code: generated parameter tables, named modules, parameter names.

Conventions of the ODD that these tests rely on:

* the document ends with ``## Parameters``, generated between the marker lines (run
  ``.venv/bin/python scripts/update_odd.py`` after changing a parameter);
* code is referred to by path, optionally with an object: ``karstsim/model/severity.py``
  or ``karstsim/model/severity.py::classify`` (``::Class.method`` also works);
* in the prose, a backticked snake_case word is a parameter name unless it is a layer
  name, a grid preset, a shipped scenario or a name the model's code uses as a string
  (an output column, a scenario key). Functions are written with ``()``, classes in
  CamelCase, constants in CAPITALS, attributes qualified (``KarstModel.step``).
"""

from __future__ import annotations

import ast
import importlib
import re
from functools import cache
from pathlib import Path

import pytest

from karstsim.experiments.odd import (
    END_MARKER,
    START_MARKER,
    OddFormatError,
    is_up_to_date,
    render_parameter_section,
)
from karstsim.model import parameters
from karstsim.model.grid import PRESETS
from karstsim.model.layers import LAYERS
from karstsim.model.parameters import PARAMETERS
from karstsim.model.scenario import shipped_names

ROOT = Path(__file__).parents[1]
ODD = ROOT / "docs" / "ODD.md"
CODE_REFERENCE = re.compile(r"\b(karstsim/[\w/]+\.py)(?:::([A-Za-z_][\w.]*))?")
BACKTICKED = re.compile(r"`([^`\n]+)`")
SNAKE_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*")


def odd_text() -> str:
    return ODD.read_text(encoding="utf-8")


def prose(text: str) -> str:
    """The document without its generated parameter tables."""
    start, end = text.index(START_MARKER), text.index(END_MARKER)
    return text[:start] + text[end + len(END_MARKER) :]


def level2_section(text: str, title: str) -> str:
    """The body of the first ``## `` section whose heading contains ``title``."""
    match = re.search(rf"^## [^\n]*{re.escape(title)}[^\n]*$", text, flags=re.MULTILINE)
    assert match, f"docs/ODD.md has no '## … {title}' section"
    following = re.search(r"^## ", text[match.end() :], flags=re.MULTILINE)
    return text[match.end() : match.end() + following.start() if following else len(text)]


# --- the generated parameter section ---------------------------------------------------------
def test_parameter_section_matches_the_declaration():
    assert is_up_to_date(odd_text()), (
        "docs/ODD.md: the '## Parameters' section differs from karstsim/model/parameters.py; "
        "regenerate it with: .venv/bin/python scripts/update_odd.py"
    )


def test_parameter_section_is_the_last_section_and_lists_every_parameter():
    text = odd_text()
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings[-1].strip() == "Parameters", "the ODD must end with '## Parameters'"
    heading_at = text.rindex("\n## Parameters")
    assert heading_at < text.index(START_MARKER) < text.index(END_MARKER)
    assert text[text.index(END_MARKER) + len(END_MARKER) :].strip() == ""
    generated = text[text.index(START_MARKER) : text.index(END_MARKER)]
    for name in PARAMETERS:
        assert f"| `{name}` |" in generated


def test_rendering_replaces_only_the_marked_section():
    document = f"# Title\n\nProse.\n\n## Parameters\n\n{START_MARKER}\nstale\n{END_MARKER}\n"
    rendered = render_parameter_section(document)
    assert rendered.startswith("# Title\n\nProse.\n\n## Parameters\n\n")
    assert rendered.endswith(f"{END_MARKER}\n")
    assert "stale" not in rendered
    assert parameters.markdown_table().strip() in rendered
    assert not is_up_to_date(document)
    assert is_up_to_date(rendered)
    assert render_parameter_section(rendered) == rendered


@pytest.mark.parametrize(
    "document",
    [
        "no markers at all",
        f"{END_MARKER}\n{START_MARKER}\n",
        f"{START_MARKER}\n{START_MARKER}\n{END_MARKER}\n",
        f"text {START_MARKER}\n{END_MARKER}\n",
    ],
)
def test_rendering_refuses_a_document_without_proper_markers(document):
    with pytest.raises(OddFormatError):
        render_parameter_section(document)
    assert not is_up_to_date(document)


# --- the modules the ODD names ----------------------------------------------------------------
def test_every_code_path_named_in_the_odd_exists():
    references = CODE_REFERENCE.findall(prose(odd_text()))
    assert references, "the ODD names no karstsim/...py modules"
    missing = sorted({path for path, _ in references if not (ROOT / path).is_file()})
    assert not missing, f"docs/ODD.md names modules that do not exist: {missing}"


def test_every_object_named_in_the_submodels_section_exists():
    section = level2_section(odd_text(), "Submodels")
    references = [(path, obj) for path, obj in CODE_REFERENCE.findall(section) if obj]
    assert len(references) >= 10, "the Submodels section should name the implementing objects"
    problems = []
    for path, obj in sorted(set(references)):
        module_name = path.removesuffix(".py").replace("/", ".")
        try:
            target = importlib.import_module(module_name)
        except ImportError as error:
            problems.append(f"{path}: cannot import ({error})")
            continue
        for part in obj.split("."):
            if not hasattr(target, part):
                problems.append(f"{path}::{obj}: no {part!r}")
                break
            target = getattr(target, part)
    assert not problems, "docs/ODD.md, Submodels section:\n" + "\n".join(problems)


def test_every_land_process_module_has_a_submodel():
    section = level2_section(odd_text(), "Submodels")
    folder = ROOT / "karstsim" / "model" / "processes"
    modules = [p for p in sorted(folder.glob("*.py")) if p.stem not in ("__init__", "base")]
    undocumented = [
        p.relative_to(ROOT).as_posix()
        for p in modules
        if p.relative_to(ROOT).as_posix() not in section
    ]
    assert not undocumented, f"land processes missing from the ODD's Submodels: {undocumented}"


# --- parameter names in the prose -------------------------------------------------------------
@cache
def names_used_as_strings_in_code() -> frozenset[str]:
    """Identifier-like string literals (not docstrings) and keyword names in the model code:
    output columns, dict keys, scenario keys."""
    names: set[str] = set()
    for folder in ("model", "agents"):
        for path in (ROOT / "karstsim" / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.value)
                for node in ast.walk(tree)
                if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            }
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and node.value.isidentifier()
                ):
                    names.add(node.value)
                elif isinstance(node, ast.keyword) and node.arg:
                    names.add(node.arg)
    return frozenset(names)


def is_parameter_like(word: str) -> bool:
    """snake_case words (with an underscore, or all lower case), not CAPITALS or CamelCase."""
    if not SNAKE_WORD.fullmatch(word) or word.isupper():
        return False
    return "_" in word or word.islower()


def test_every_parameter_named_in_the_prose_exists():
    known_other = (
        set(LAYERS) | set(PRESETS) | set(shipped_names()) | names_used_as_strings_in_code()
    )
    words = {w for w in BACKTICKED.findall(prose(odd_text())) if is_parameter_like(w)}
    assert words & set(PARAMETERS), "the prose names no parameters in backticks"
    unknown = sorted(w for w in words if w not in PARAMETERS and w not in known_other)
    assert not unknown, (
        f"docs/ODD.md names {unknown} in backticks, but they are not parameters (renamed or "
        "removed?) nor layers, grids, scenarios or output columns of the model. Fix the name, "
        "or write a function as name(), an attribute as Class.name."
    )
