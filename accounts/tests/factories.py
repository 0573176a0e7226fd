"""Factories for people and households (one per model; the cross-household test finds them by model)."""

from __future__ import annotations

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.keys import digest, new_secret
from accounts.models import ApiToken, Household, Invitation, Membership, Preferences, User
from accounts.services import household_create_for_user


class UserFactory(factory.django.DjangoModelFactory):
    """A verified user with a household of their own (as sign-up leaves them)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("first_name")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "correct-horse-battery-staple-42")
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def with_household(self, create, extracted, **kwargs):
        if create and extracted is not False:
            household_create_for_user(self)
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Household {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A membership; for someone who already has one (everyone made by UserFactory), that one is returned."""

    class Meta:
        model = Membership
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory, with_household=False)
    household = factory.SubFactory(HouseholdFactory)
    role = Membership.Role.MEMBER


class PreferencesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preferences
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation. Its link token is unknown (only a digest is stored); use `invitation_create` when a
    test needs the link."""

    class Meta:
        model = Invitation

    household = factory.SubFactory(HouseholdFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Membership.Role.MEMBER
    token_hash = factory.LazyFunction(lambda: digest(new_secret()))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token whose key is unknown; use `api_token_create` when a test needs to authenticate with it."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "test token"
    prefix = factory.Sequence(lambda n: f"fc_{n:07d}")
    key_hash = factory.LazyFunction(lambda: digest(new_secret()))
