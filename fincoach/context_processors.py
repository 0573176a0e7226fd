from django.conf import settings


def ui(request):
    """What the shell template needs on every page: theme, privacy mode, the bell, feature switches."""
    context = {
        "ui_theme": "system",
        "ui_privacy": False,
        "plaid_enabled": bool(settings.PLAID_CLIENT_ID and settings.PLAID_SECRET),
        "llm_enabled": settings.LLM_ENABLED,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from insights.selectors import bell_for_user

        prefs = getattr(user, "preferences", None)
        context["ui_theme"] = getattr(prefs, "theme", "system")
        context["ui_privacy"] = bool(getattr(prefs, "privacy_mode", False))
        context.update(bell_for_user(user))
    return context
