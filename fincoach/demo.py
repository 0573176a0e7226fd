"""What `seed_demo` hands to each app's `demo.seed_demo(context)` hook."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DemoContext:
    household: object  # accounts.Household
    user: object  # accounts.User
    months: int
    index: int  # 0 for the main demo household, 1.. for extra ones
    seed: int

    @property
    def is_main(self) -> bool:
        return self.index == 0
