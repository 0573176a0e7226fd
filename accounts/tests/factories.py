import factory
from allauth.account.models import EmailAddress

from accounts.models import ApiToken, Household, Membership, User
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
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, with_household=False)
    household = factory.SubFactory(HouseholdFactory)
    role = Membership.Role.MEMBER


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "test token"
    prefix = factory.Sequence(lambda n: f"fc_{n:05d}")
    key_hash = factory.Sequence(lambda n: f"{n:064x}")
