"""The Celery app. Settings come from Django's (CELERY_*); tasks are autodiscovered in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fincoach.settings")

app = Celery("fincoach")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
