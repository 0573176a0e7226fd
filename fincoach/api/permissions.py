from rest_framework.permissions import BasePermission


class IsHouseholdMember(BasePermission):
    """Signed in (session or API token) and belonging to a household."""

    message = "Authentication with a household membership is required."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        from accounts.selectors import household_for_user

        request.household = household_for_user(user)
        return request.household is not None
