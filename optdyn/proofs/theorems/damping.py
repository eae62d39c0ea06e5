"""Theorems: damping (filled in by its family)."""
