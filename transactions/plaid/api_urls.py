from rest_framework.routers import SimpleRouter

from .api import PlaidItemViewSet

router = SimpleRouter(use_regex_path=False)
router.register("plaid/items", PlaidItemViewSet, basename="plaid-item")

urlpatterns = router.urls
