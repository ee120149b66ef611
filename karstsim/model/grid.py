"""Grid presets and the ``WxH`` grid syntax."""

from __future__ import annotations

import re
from dataclasses import dataclass

from karstsim.model.parameters import PROVINCE_LAND_KM2, ParameterError


@dataclass(frozen=True)
class GridSpec:
    """Size of the simulated grid, in cells, and whether it has the province's outline."""

    width: int
    height: int
    province_outline: bool = False
    name: str = ""

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)


PRESETS: dict[str, GridSpec] = {
    "classroom": GridSpec(60, 60, name="classroom"),
    "county": GridSpec(200, 200, name="county"),
    "province": GridSpec(600, 500, province_outline=True, name="province"),
}
"""Named grids. ``province`` carries an outline of about 176 000 land cells of 1 km²."""

PROVINCE_LAND_CELLS = round(PROVINCE_LAND_KM2)
MAX_CELLS = 4_000_000
_WXH = re.compile(r"^\s*(\d+)\s*[xX×]\s*(\d+)\s*$")


def parse_grid(text: str) -> GridSpec:
    """A preset name or ``WxH`` (cells) as a :class:`GridSpec`; a clear error otherwise."""
    if text in PRESETS:
        return PRESETS[text]
    match = _WXH.match(text)
    if not match:
        raise ParameterError(
            f"grid {text!r} is not a preset or WxH; allowed: {', '.join(PRESETS)} or e.g. 120x80",
            zh=f"地图 {text!r} 既不是预设也不是 宽x高；允许：{', '.join(PRESETS)} 或如 120x80",
        )
    width, height = int(match[1]), int(match[2])
    if width < 5 or height < 5 or width * height > MAX_CELLS:
        raise ParameterError(
            f"grid {text!r}: each side must be at least 5 cells and the grid at most "
            f"{MAX_CELLS:,} cells",
            zh=f"地图 {text!r}：每边至少 5 个格子，总数最多 {MAX_CELLS:,} 个格子",
        )
    return GridSpec(width, height, name=f"{width}x{height}")
