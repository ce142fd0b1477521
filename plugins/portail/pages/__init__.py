"""Pages: the model rendered as generated pages and files (Jinja templates, feeds, calendars)."""
