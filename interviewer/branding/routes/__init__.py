"""The branding views: the admins' settings page, and the logo and stylesheet the public
pages load."""

from interviewer.branding.routes import public, settings  # noqa: F401
