"""Regenerate the "## Parameters" section of docs/ODD.md from the parameter declaration.

Usage (from the repository root):

    .venv/bin/python scripts/update_odd.py            # rewrite the section if it changed
    .venv/bin/python scripts/update_odd.py --check    # exit 1 if it is out of date

The section is the output of ``karstsim.model.parameters.markdown_table()`` between the
lines ``<!-- parameters:start -->`` and ``<!-- parameters:end -->``; the rest of the file
is left as it is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's karstsim, whatever is installed

from karstsim.experiments.odd import (  # noqa: E402
    OddFormatError,
    is_up_to_date,
    render_parameter_section,
)

DEFAULT_PATH = ROOT / "docs" / "ODD.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the parameter section is out of date",
    )
    parser.add_argument(
        "--path", type=Path, default=DEFAULT_PATH, help=f"the ODD file (default: {DEFAULT_PATH})"
    )
    args = parser.parse_args(argv)
    path: Path = args.path
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        print(f"update_odd: cannot read {path}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        rendered = render_parameter_section(text)
    except OddFormatError as error:
        print(f"update_odd: {path}: {error}", file=sys.stderr)
        return 2
    if args.check:
        if is_up_to_date(text):
            print(f"{path}: parameter section is up to date")
            return 0
        print(
            f"{path}: the '## Parameters' section differs from karstsim/model/parameters.py "
            "(a parameter was added, removed, renamed or changed).\n"
            "Regenerate it with: .venv/bin/python scripts/update_odd.py",
            file=sys.stderr,
        )
        return 1
    if rendered == text:
        print(f"{path}: parameter section already up to date")
    else:
        path.write_text(rendered, encoding="utf-8")
        print(f"{path}: parameter section regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
