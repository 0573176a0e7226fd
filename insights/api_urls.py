from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter(use_regex_path=False)
router.register("insights", api.InsightViewSet, basename="insight")

urlpatterns = [
    path("coach/ask/", api.ask, name="coach-ask"),
    *router.urls,
]
