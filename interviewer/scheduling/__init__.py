"""Interviews, availability, conflicts and calendar files."""
