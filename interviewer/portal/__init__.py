"""The candidate's face: a private link to their timeline, no account needed."""
