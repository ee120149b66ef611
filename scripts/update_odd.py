"""Regenerate the generated tables of docs/ODD.md and README.md from the declarations.

Usage (from the repository root):

    .venv/bin/python scripts/update_odd.py            # rewrite the section if it changed
    .venv/bin/python scripts/update_odd.py --check    # exit 1 if it is out of date

The ODD's "## Parameters" section is the output of
``karstsim.model.parameters.markdown_table()`` between the lines
``<!-- parameters:start -->`` and ``<!-- parameters:end -->``; the output table
(``karstsim.model.outputs.markdown_table()``) sits between ``<!-- outputs:start -->`` and
``<!-- outputs:end -->`` in the ODD and in the README, and the GEP accounts' prices
(``karstsim.model.gep_prices.markdown_table()``) between ``<!-- gep-prices:start -->`` and
``<!-- gep-prices:end -->`` in both. The rest of each file is left as it is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's karstsim, whatever is installed

from karstsim.experiments.odd import (  # noqa: E402
    OddFormatError,
    render_gep_section,
    render_output_section,
    render_parameter_section,
)

DEFAULT_PATH = ROOT / "docs" / "ODD.md"
README = ROOT / "README.md"


def _update(path: Path, render, check: bool) -> int:
    """Regenerate (or with ``check`` only compare) one file; 0 up to date, 1 stale, 2 error."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        print(f"update_odd: cannot read {path}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        rendered = render(text)
    except OddFormatError as error:
        print(f"update_odd: {path}: {error}", file=sys.stderr)
        return 2
    if check:
        if rendered == text:
            print(f"{path}: generated tables are up to date")
            return 0
        print(
            f"{path}: a generated table differs from karstsim/model/parameters.py or "
            "karstsim/model/outputs.py (a parameter or output was added, removed, renamed "
            "or changed).\nRegenerate it with: .venv/bin/python scripts/update_odd.py",
            file=sys.stderr,
        )
        return 1
    if rendered == text:
        print(f"{path}: generated tables already up to date")
    else:
        path.write_text(rendered, encoding="utf-8")
        print(f"{path}: generated tables regenerated")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if a generated table is out of date",
    )
    parser.add_argument(
        "--path", type=Path, default=DEFAULT_PATH, help=f"the ODD file (default: {DEFAULT_PATH})"
    )
    args = parser.parse_args(argv)
    if args.path != DEFAULT_PATH:  # another document: its parameter section only
        return _update(args.path, render_parameter_section, args.check)
    odd = _update(
        args.path,
        lambda text: render_gep_section(render_output_section(render_parameter_section(text))),
        args.check,
    )
    readme = _update(
        README, lambda text: render_gep_section(render_output_section(text)), args.check
    )
    return max(odd, readme)


if __name__ == "__main__":
    sys.exit(main())
