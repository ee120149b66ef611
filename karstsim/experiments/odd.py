"""The generated part of the model documentation (``docs/ODD.md``).

The ODD's last section, ``## Parameters``, is the output of
:func:`karstsim.model.parameters.markdown_table` between two marker lines::

    <!-- parameters:start -->

    ...the generated tables...

    <!-- parameters:end -->

:func:`render_parameter_section` rebuilds that part from the declaration;
``scripts/update_odd.py`` writes it, and ``tests/test_odd.py`` fails when the file differs
from it (a parameter added, renamed or changed without regenerating the ODD).
"""

from __future__ import annotations

from karstsim.model.parameters import markdown_table

START_MARKER = "<!-- parameters:start -->"
END_MARKER = "<!-- parameters:end -->"


class OddFormatError(ValueError):
    """The document lacks the marker lines, or has them more than once or out of order."""


def render_parameter_section(text: str) -> str:
    """``text`` with everything between the parameter markers replaced by the current table.

    The markers stay on their own lines, each separated from the table by one blank line;
    the rest of the document is returned unchanged. Raises :class:`OddFormatError` if
    either marker is missing, repeated or not on a line of its own, or if they are out of
    order.
    """
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip() == START_MARKER]
    ends = [i for i, line in enumerate(lines) if line.strip() == END_MARKER]
    for marker, found in ((START_MARKER, starts), (END_MARKER, ends)):
        if len(found) != 1 or text.count(marker) != 1:
            raise OddFormatError(
                f"the document must hold the line {marker} exactly once, on a line of its "
                f"own; found it {text.count(marker)} time(s)"
            )
    start, end = starts[0], ends[0]
    if end < start:
        raise OddFormatError(f"{END_MARKER} comes before {START_MARKER}")
    table = markdown_table().strip("\n").split("\n")
    return "\n".join([*lines[: start + 1], "", *table, "", *lines[end:]])


def is_up_to_date(text: str) -> bool:
    """Whether the parameter section of ``text`` is exactly what the declaration generates."""
    try:
        return render_parameter_section(text) == text
    except OddFormatError:
        return False
