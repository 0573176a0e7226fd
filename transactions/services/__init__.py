"""Writes for money in: one module per entity (`<entity>_<action>` functions), each atomic with its side effects
queued on commit. `pipeline.process_new_transactions` is the entry point for every writer of new transactions."""
