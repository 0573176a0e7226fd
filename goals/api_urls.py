from rest_framework.routers import SimpleRouter

from .api import GoalContributionViewSet, GoalViewSet

router = SimpleRouter(use_regex_path=False)
router.register("goals", GoalViewSet, basename="goal")
router.register("goal-contributions", GoalContributionViewSet, basename="goal-contribution")

urlpatterns = router.urls
