"""Members and the municipal reference data they belong to, by noun."""

from accounts.models.areas import (
    District,
    Municipality,
    SizeClass,
    State,
    StructuralWeaknessRecord,
    validate_ags,
    validate_district_key,
    validate_state_key,
)
from accounts.models.consents import PRIVACY_VERSION, TERMS_VERSION, Consent
from accounts.models.members import MemberTopic, Role, User, UserManager
from accounts.models.topics import Topic

__all__ = [
    "PRIVACY_VERSION",
    "TERMS_VERSION",
    "Consent",
    "District",
    "MemberTopic",
    "Municipality",
    "Role",
    "SizeClass",
    "State",
    "StructuralWeaknessRecord",
    "Topic",
    "User",
    "UserManager",
    "validate_ags",
    "validate_district_key",
    "validate_state_key",
]
