"""Jobs, postings, interview plans, plan stages, kits and coverage."""
