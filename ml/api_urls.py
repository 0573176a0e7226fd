from rest_framework.routers import SimpleRouter

from .api import AnomalyViewSet, BalanceForecastViewSet, PersonaAssignmentViewSet, RecurringSeriesViewSet

# Path converters (not regexes), like the other apps' routers.
router = SimpleRouter(use_regex_path=False)
router.register("recurring", RecurringSeriesViewSet, basename="recurring-series")
router.register("anomalies", AnomalyViewSet, basename="anomaly")
router.register("personas", PersonaAssignmentViewSet, basename="persona")
router.register("forecasts", BalanceForecastViewSet, basename="forecast")

urlpatterns = router.urls
