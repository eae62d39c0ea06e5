"""Theorems: worst (filled in by its family)."""
