"""Interview kits: questions and guidance per focus skill, versioned."""

from interviewer.plans.routes import bp  # noqa: F401
