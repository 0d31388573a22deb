"""Sign-in, users, roles and permissions."""
