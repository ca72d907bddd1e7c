"""Relais: validate, generate and build the MHPSS knowledge hub for migrants.

Engine-independent logic lives here; only `mkdocs_hooks` and `engine` know about MkDocs.
"""

__version__ = "0.1.0"
