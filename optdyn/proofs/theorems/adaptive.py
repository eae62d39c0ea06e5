"""Theorems: adaptive (filled in by its family)."""
