from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for a local instance (`manage.py seed_demo`): composition at
    the top of the house, so it may use every app's actions."""

    name = "demo"
    verbose_name = _("Demo data")
