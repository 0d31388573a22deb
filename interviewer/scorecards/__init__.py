"""Scorecards, ratings, debrief and decisions."""
