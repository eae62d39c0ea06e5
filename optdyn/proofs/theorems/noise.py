"""Theorems: noise (filled in by its family)."""
