"""`createsuperuser --noinput --email E` (password from DJANGO_SUPERUSER_PASSWORD), with a household of its own."""

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands.createsuperuser import Command as BaseCommand

from accounts.services import household_create_for_user


class Command(BaseCommand):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        email = options.get("email")
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first() if email else None
        if user is None:
            user = User.objects.filter(is_superuser=True).order_by("-date_joined").first()
        if user is not None:
            household_create_for_user(user)
