"""Pages of what the features share: the notification list and settings."""
