"""`django.contrib.admin` with fincoach's two-factor admin site as `admin.site` (kept apart from the site class,
which imports models and so cannot load while INSTALLED_APPS is being read)."""

from django.contrib.admin.apps import AdminConfig


class FincoachAdminConfig(AdminConfig):
    default_site = "fincoach.admin_site.FincoachAdminSite"
