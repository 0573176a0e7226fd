"""A person's profile and preferences."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Preferences, User

# Every field a person may change; `user` and `id` are not theirs to change.
PREFERENCE_FIELDS = tuple(f.name for f in Preferences._meta.get_fields() if f.concrete and f.name not in {"id", "user"})


@transaction.atomic
def profile_update(*, user: User, display_name: str) -> User:
    user.display_name = display_name.strip()
    user.full_clean(validate_unique=False)
    user.save(update_fields=["display_name"])
    return user


@transaction.atomic
def preferences_update(*, user: User, **changes) -> Preferences:
    """Change some preferences (validated like the model's fields); creates the row on first use."""
    unknown = sorted(set(changes) - set(PREFERENCE_FIELDS))
    if unknown:
        raise ValidationError(f"Unknown preference(s): {', '.join(unknown)}.")
    preferences, _ = Preferences.objects.select_for_update().get_or_create(user=user)
    for name, value in changes.items():
        setattr(preferences, name, value)
    preferences.full_clean(exclude=["user"])
    preferences.save()
    user.preferences = preferences  # refresh the cached reverse one-to-one, so callers see the new values
    return preferences
