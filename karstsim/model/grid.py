"""Grid presets and the ``WxH`` grid syntax."""

from __future__ import annotations

import re
from dataclasses import dataclass

from karstsim.model.parameters import ParameterError
from karstsim.model.regions import PROVINCE_CODE, find_region


@dataclass(frozen=True)
class GridSpec:
    """The simulated map: a real region of Guizhou (``region``, an adcode; its size in
    cells follows from ``cell_size_km``) or a synthetic ``width`` × ``height`` map."""

    width: int = 0
    height: int = 0
    name: str = ""
    region: str | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    @property
    def is_real(self) -> bool:
        return self.region is not None


PRESETS: dict[str, GridSpec] = {
    "classroom": GridSpec(name="classroom", region="520424"),
    "county": GridSpec(200, 200, name="county"),
    "province": GridSpec(name="province", region=PROVINCE_CODE),
}
"""Named maps: ``province`` is the real Guizhou (176 000 km²); ``classroom`` is Guanling
(关岭), a karst county of 1 464 km² on the Huajiang gorge of the Beipan River, known for its
rocky-desertification treatment; ``county`` is a synthetic 200 × 200 map of the province's
proportions (fast, for experiments and calibration)."""

MAX_CELLS = 4_000_000
_WXH = re.compile(r"^\s*(\d+)\s*[xX×]\s*(\d+)\s*$")


def region_grid_spec(text: str) -> GridSpec:
    """The real map of the region named ``text`` (name or adcode; see ``karstsim regions``)."""
    region = find_region(text)
    if region.adcode == PROVINCE_CODE:
        return PRESETS["province"]
    return GridSpec(name=region.name_en, region=region.adcode)


def parse_grid(text: str) -> GridSpec:
    """A preset, ``WxH`` (cells) or a region's name as a :class:`GridSpec`."""
    if text in PRESETS:
        return PRESETS[text]
    match = _WXH.match(text)
    if not match:
        try:
            return region_grid_spec(text)
        except ParameterError:
            raise ParameterError(
                f"grid {text!r} is not a preset, WxH or a Guizhou region; allowed: "
                f"{', '.join(PRESETS)}, e.g. 120x80, or a prefecture or county such as Bijie "
                "or 520424 (`karstsim regions` lists them)",
                zh=f"地图 {text!r} 既不是预设、宽x高，也不是贵州的市州或县；允许：{', '.join(PRESETS)}、"
                "如 120x80，或如 毕节、520424 的市州或县（`karstsim regions` 列出全部）",
            ) from None
    width, height = int(match[1]), int(match[2])
    if width < 5 or height < 5 or width * height > MAX_CELLS:
        raise ParameterError(
            f"grid {text!r}: each side must be at least 5 cells and the grid at most "
            f"{MAX_CELLS:,} cells",
            zh=f"地图 {text!r}：每边至少 5 个格子，总数最多 {MAX_CELLS:,} 个格子",
        )
    return GridSpec(width, height, name=f"{width}x{height}")
