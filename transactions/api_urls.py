from rest_framework.routers import SimpleRouter

from .api import AccountViewSet, CategoryViewSet, ImportViewSet, RuleViewSet, TransactionViewSet

# Path converters (not regexes), so the cross-household test can fill in the ids.
router = SimpleRouter(use_regex_path=False)
router.register("accounts", AccountViewSet, basename="account")
router.register("categories", CategoryViewSet, basename="category")
router.register("transactions", TransactionViewSet, basename="transaction")
router.register("rules", RuleViewSet, basename="rule")
router.register("imports", ImportViewSet, basename="import")

urlpatterns = router.urls
