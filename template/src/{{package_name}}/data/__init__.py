"""Data stages: synthetic sample, prepare (collect, clean, split) and validate."""
