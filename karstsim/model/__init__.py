"""The model: landscape layers, land processes, parameters and KarstModel."""
