"""The ``sensitivity`` command, registered without loading SALib, pandas or pyarrow."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from karstsim.experiments.atomic_output import check_target, results_folder


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    from karstsim.experiments import sensitivity
    from karstsim.experiments.sensitivity import (
        SensitivityError,
        parse_outputs,
        plain_summary,
    )

    if not 0 < args.conf < 1:
        raise SensitivityError(f"--conf {args.conf}: must be between 0 and 1, e.g. 0.95")
    outputs = parse_outputs(args.outputs)
    analyses = sensitivity.analyse(args.folder, outputs, conf_level=args.conf)
    out = check_target(args.out or args.folder / "sensitivity")
    with results_folder(out) as staging:
        written = sensitivity.write(analyses, staging)
    method = analyses[0].method.title()
    print(f"karstsim sensitivity: {method} indices of {len(analyses)} output(s) from {args.folder}")
    for line in plain_summary(analyses):
        print(f"  {line}" if line else "")
    print(f"  written to {out}/: {', '.join(p.name for p in written)}")
    return 0


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add the ``sensitivity`` command."""
    sens = sub.add_parser(
        "sensitivity", help="Sobol or Morris indices from a finished sweep, and what matters"
    )
    sens.add_argument("folder", type=Path, help="the folder of a sweep made with sobol or morris")
    sens.add_argument(
        "--outputs",
        required=True,
        help="comma-separated COLUMN@YEAR (or COLUMN for the final year), "
        "e.g. forest_cover_pct@2025,carbon_stock_MtC@2035",
    )
    sens.add_argument("--conf", type=float, default=0.95, help="confidence level of the intervals")
    sens.add_argument(
        "--out", type=Path, default=None, help="output folder (default: FOLDER/sensitivity)"
    )
    return {"sensitivity": _cmd_sensitivity}
