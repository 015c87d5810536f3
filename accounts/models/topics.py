"""The fixed topic list: members' expertise, spaces, offers and seeks."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """The fixed topic list: members' expertise, spaces, offers and seeks."""

    CARE_HEALTH = "care-health", _("Care and health")
    MOBILITY = "mobility", _("Mobility in rural areas")
    SKILLED_WORKERS = "skilled-workers", _("Skilled workers")
    HOUSING = "housing", _("Housing for older people")
    DIGITAL = "digital", _("Digital public services")
    VOLUNTEERING = "volunteering", _("Volunteering")
    INTEGRATION = "integration", _("Integration")
    YOUTH_FAMILIES = "youth-families", _("Youth and families")
    LOCAL_SERVICES = "local-services", _("Local services")
