"""wmpsite: a static website generator for local policing."""

__version__ = "0.1.0"
