"""Skills, levels and the competency matrix."""
