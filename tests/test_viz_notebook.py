"""The app in a notebook: ``from karstsim.viz import KarstApp``, and the README's example
run headless (``solara.render``, as a Jupyter cell would show it)."""

from __future__ import annotations

import re
from pathlib import Path

import ipyvuetify as v
import pytest
import solara

from karstsim.model.parameters import InputError
from karstsim.viz import KarstApp

README = Path(__file__).parents[1] / "README.md"


def _texts(rc) -> str:
    return " ".join(str(c) for w in rc.find(v.Html).widgets for c in w.children)


def readme_notebook_example() -> str:
    """The README's Python block that uses ``KarstApp``."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), flags=re.S)
    (example,) = [block for block in blocks if "KarstApp" in block]
    return example


def test_the_readmes_notebook_example_runs_and_its_app_renders():
    namespace: dict = {}
    exec(readme_notebook_example(), namespace)
    app = namespace["app"]
    assert isinstance(app, KarstApp)
    _, rc = solara.render(app.element(), handle_error=False)
    assert app.results()["year"].iloc[-1] == app.model.year == app.controller.year
    assert str(app.model.year) in _texts(rc)
    rc.close()


def test_the_app_takes_map_preset_levers_and_language_and_shares_its_runs():
    app = KarstApp(map="120x80", scenario="no_new_policy", levers={"rangers": 10}, lang="zh")
    assert app.model.params["rangers"] == 10 and app.controller.arms["A"].preset == "no_new_policy"
    _, rc = solara.render(app.element(), handle_error=False)
    assert "森林覆盖率" in _texts(rc)  # the Chinese page
    (step,) = [b for b in rc.find(v.Btn).widgets if "karst-step" in (b.class_ or "")]
    step.click()
    assert app.model.year == app.controller.start_year + 1
    assert len(app.run_to(2025).results()) == 2025 - app.controller.start_year + 1
    rc.close()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"lang": "fr"}, "lang 'fr'"),
        ({"levers": {"rangers": -5}}, "rangers"),
        ({"map": "99999x99999"}, "99999x99999"),
    ],
)
def test_a_bad_argument_is_one_clear_error(options, message):
    with pytest.raises(InputError, match=re.escape(message)):
        KarstApp(**options)
