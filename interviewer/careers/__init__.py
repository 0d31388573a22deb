"""The public face of a team: its open jobs' postings, no sign-in needed."""
