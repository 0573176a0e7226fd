"""The Celery app. Settings come from Django's (CELERY_*); tasks are autodiscovered in each app's tasks.py.

A task queued during a web request carries that request's id, so its log lines can be joined with the request's.
"""

import contextvars
import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

from .logging import request_id_var

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fincoach.settings")

app = Celery("fincoach")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

REQUEST_ID_HEADER = "fincoach_request_id"


@before_task_publish.connect
def _attach_request_id(headers=None, **kwargs) -> None:
    if headers is not None and REQUEST_ID_HEADER not in headers:
        headers[REQUEST_ID_HEADER] = request_id_var.get()


_tokens: dict[str, contextvars.Token] = {}


@task_prerun.connect
def _adopt_request_id(task_id=None, task=None, **kwargs) -> None:
    current = request_id_var.get()
    inherited = getattr(task.request, REQUEST_ID_HEADER, None) if task is not None else None
    # Eager tasks run inside the request and keep its id; others take the publisher's, or get their own.
    request_id = inherited or (current if current != "-" else f"task-{task_id}")
    _tokens[task_id] = request_id_var.set(request_id)


@task_postrun.connect
def _drop_request_id(task_id=None, **kwargs) -> None:
    token = _tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)
