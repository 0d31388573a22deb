"""Candidates, applications and the pipeline board."""
