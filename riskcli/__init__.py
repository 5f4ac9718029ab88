"""riskcli: a terminal tool for keeping a living risk assessment."""

__version__ = "0.1.0"
