"""karstsim: a multi-agent land-use and restoration simulation of Guizhou's karst.

``KarstModel`` is imported on first use, so that ``karstsim --help`` and other light
commands do not load Mesa, pandas and SciPy.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from karstsim.model.karst_model import KarstModel

__all__ = ["KarstModel", "__version__"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "KarstModel":
        from karstsim.model.karst_model import KarstModel

        return KarstModel
    raise AttributeError(f"module 'karstsim' has no attribute {name!r}")
