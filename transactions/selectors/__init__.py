"""Reads for the money-in pages and API. Every selector takes `household=` and never returns another household's
rows."""
