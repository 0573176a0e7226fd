from allauth.account.adapter import DefaultAccountAdapter

from .services import household_create_for_user


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            household_create_for_user(user)
        return user
