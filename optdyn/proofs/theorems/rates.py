"""Theorems: rates (filled in by its family)."""
