"""netvault: a professional network kept as a plain-markdown vault."""

__version__ = "0.1.0"
