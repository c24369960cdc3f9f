"""Evaluation: the gold format, metrics, and the report generator."""
