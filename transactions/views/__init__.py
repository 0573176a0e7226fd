"""Money-in pages (HTMX function views): thin — selectors read, services write."""
