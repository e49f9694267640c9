"""Sphinx integration: one front door onto the same steps as ``regiodocs check``."""
