"""The web app's own state, apart from the published warehouse: users, submissions, audit log."""
