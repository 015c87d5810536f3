"""Event pages, registrations, staff tools, courses and the Wissenssammlung."""
