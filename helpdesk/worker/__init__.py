"""The background worker: one loop that schedules every job done outside a web request."""
