"""Views of the accounts app: the settings page and its sections, invitations, and the login code step."""
