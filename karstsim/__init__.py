"""karstsim: a multi-agent land-use and restoration simulation of Guizhou's karst."""

from karstsim.model.karst_model import KarstModel

__all__ = ["KarstModel", "__version__"]
__version__ = "0.1.0"
