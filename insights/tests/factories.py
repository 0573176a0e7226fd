import factory

from accounts.tests.factories import UserFactory
from insights.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    household = factory.LazyAttribute(lambda o: o.user.membership.household)
    kind = "test"
    title = factory.Sequence(lambda n: f"Notification {n}")
    body = "Something happened."
