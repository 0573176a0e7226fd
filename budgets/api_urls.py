from rest_framework.routers import SimpleRouter

from .api import BudgetViewSet

router = SimpleRouter(use_regex_path=False)
router.register("budgets", BudgetViewSet, basename="budget")

urlpatterns = router.urls
