"""Plaid sync bookkeeping: raw sync pages, webhook events and verification keys."""
