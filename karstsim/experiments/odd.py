"""The generated part of the model documentation (``docs/ODD.md``).

The ODD's last section, ``## Parameters``, is the output of
:func:`karstsim.model.parameters.markdown_table` between two marker lines::

    <!-- parameters:start -->

    ...the generated tables...

    <!-- parameters:end -->

:func:`render_parameter_section` rebuilds that part from the declaration;
``scripts/update_odd.py`` writes it, and ``tests/test_odd.py`` fails when the file differs
from it (a parameter added, renamed or changed without regenerating the ODD). The output
table (:func:`karstsim.model.outputs.markdown_table`) is generated the same way between
:data:`OUTPUTS_START_MARKER` and :data:`OUTPUTS_END_MARKER`, in the ODD and the README.
"""

from __future__ import annotations

from karstsim.model import gep_prices, outputs
from karstsim.model.parameters import markdown_table

START_MARKER = "<!-- parameters:start -->"
END_MARKER = "<!-- parameters:end -->"
OUTPUTS_START_MARKER = "<!-- outputs:start -->"
OUTPUTS_END_MARKER = "<!-- outputs:end -->"
"""The output table (:func:`karstsim.model.outputs.markdown_table`) sits between these
lines in docs/ODD.md (Section 7.18) and in the README."""
GEP_START_MARKER = "<!-- gep-prices:start -->"
GEP_END_MARKER = "<!-- gep-prices:end -->"
"""The GEP accounts' prices (:func:`karstsim.model.gep_prices.markdown_table`) sit between
these lines in docs/ODD.md (Section 7.28) and in the README."""


class OddFormatError(ValueError):
    """The document lacks the marker lines, or has them more than once or out of order."""


def render_parameter_section(text: str) -> str:
    """``text`` with everything between the parameter markers replaced by the current table
    (see :func:`render_section`)."""
    return render_section(text, START_MARKER, END_MARKER, markdown_table())


def render_output_section(text: str) -> str:
    """``text`` with the output table between the output markers regenerated."""
    return render_section(text, OUTPUTS_START_MARKER, OUTPUTS_END_MARKER, outputs.markdown_table())


def render_gep_section(text: str) -> str:
    """``text`` with the GEP price table between the GEP markers regenerated."""
    return render_section(text, GEP_START_MARKER, GEP_END_MARKER, gep_prices.markdown_table())


def render_section(text: str, start_marker: str, end_marker: str, table_text: str) -> str:
    """``text`` with everything between the two markers replaced by ``table_text``.

    The markers stay on their own lines, each separated from the table by one blank line;
    the rest of the document is returned unchanged. Raises :class:`OddFormatError` if
    either marker is missing, repeated or not on a line of its own, or if they are out of
    order.
    """
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip() == start_marker]
    ends = [i for i, line in enumerate(lines) if line.strip() == end_marker]
    for marker, found in ((start_marker, starts), (end_marker, ends)):
        if len(found) != 1 or text.count(marker) != 1:
            raise OddFormatError(
                f"the document must hold the line {marker} exactly once, on a line of its "
                f"own; found it {text.count(marker)} time(s)"
            )
    start, end = starts[0], ends[0]
    if end < start:
        raise OddFormatError(f"{end_marker} comes before {start_marker}")
    table = table_text.strip("\n").split("\n")
    return "\n".join([*lines[: start + 1], "", *table, "", *lines[end:]])


def is_up_to_date(text: str) -> bool:
    """Whether the parameter section of ``text`` is exactly what the declaration generates."""
    try:
        return render_parameter_section(text) == text
    except OddFormatError:
        return False


def outputs_up_to_date(text: str) -> bool:
    """Whether the output table of ``text`` is exactly what the declaration generates."""
    try:
        return render_output_section(text) == text
    except OddFormatError:
        return False


def gep_prices_up_to_date(text: str) -> bool:
    """Whether the GEP price table of ``text`` is exactly what the declaration generates."""
    try:
        return render_gep_section(text) == text
    except OddFormatError:
        return False
