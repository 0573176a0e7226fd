"""Factories for the Plaid bookkeeping models (items and institutions: transactions.tests.factories)."""

import datetime as dt

import factory
from django.utils import timezone

from transactions.plaid.models import PlaidSyncLease, PlaidSyncPage, PlaidSyncRun, PlaidWebhookEvent, PlaidWebhookKey
from transactions.tests.factories import PlaidItemFactory


class PlaidSyncRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaidSyncRun

    item = factory.SubFactory(PlaidItemFactory)
    household = factory.LazyAttribute(lambda o: o.item.household)
    status = PlaidSyncRun.Status.SUCCEEDED


class PlaidSyncPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaidSyncPage

    run = factory.SubFactory(PlaidSyncRunFactory)
    household = factory.LazyAttribute(lambda o: o.run.household)
    sequence = factory.Sequence(lambda n: n)
    compressed_body = factory.LazyFunction(
        lambda: PlaidSyncPage.compress(
            '{"added": [], "modified": [], "removed": [], "accounts": [], "has_more": false}'
        )
    )


class PlaidWebhookEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaidWebhookEvent

    webhook_type = "TRANSACTIONS"
    webhook_code = "SYNC_UPDATES_AVAILABLE"
    payload = factory.LazyAttribute(lambda o: {"webhook_type": o.webhook_type, "webhook_code": o.webhook_code})


class PlaidWebhookKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaidWebhookKey

    kid = factory.Sequence(lambda n: f"kid{n}")
    jwk = factory.LazyAttribute(lambda o: {"kid": o.kid, "kty": "EC", "crv": "P-256", "x": "", "y": ""})


class PlaidSyncLeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaidSyncLease

    item = factory.SubFactory(PlaidItemFactory)
    token = factory.Sequence(lambda n: f"{n:032x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(minutes=5))
