"""The rule catalogue, one module per kind of content; `relais.rules` assembles it."""
