"""Models of the ml app."""
