"""Programmes, applications and the budget ledger, by noun."""

from grants.models.applications import (
    Application,
    Attachment,
    AttachmentKind,
    CostCategory,
    CostLine,
    DeMinimis,
    FundingLine,
    HistoryEntry,
    Partner,
    Query,
    State,
    Vote,
)
from grants.models.ledger import BudgetLedger, EntryKind, LedgerEntry
from grants.models.money import CENT, MAX_AMOUNT, ZERO, money_field
from grants.models.payouts import CallOff, CallOffStatus
from grants.models.programmes import (
    AnbestVariant,
    PartnerSplit,
    PayoutMode,
    Programme,
    Purpose,
)
from grants.models.reclaims import (
    BaseRate,
    LegalBasis,
    Reclaim,
    ReclaimStatus,
    RevocationScope,
)
from grants.models.reports import (
    PracticeExample,
    Receipt,
    ReminderKind,
    ReportLine,
    ReportReminder,
    UsageReport,
)

__all__ = [
    "CENT",
    "MAX_AMOUNT",
    "ZERO",
    "AnbestVariant",
    "Application",
    "Attachment",
    "AttachmentKind",
    "BaseRate",
    "BudgetLedger",
    "CallOff",
    "CallOffStatus",
    "CostCategory",
    "CostLine",
    "DeMinimis",
    "EntryKind",
    "FundingLine",
    "HistoryEntry",
    "LedgerEntry",
    "LegalBasis",
    "Partner",
    "PartnerSplit",
    "PayoutMode",
    "PracticeExample",
    "Programme",
    "Purpose",
    "Query",
    "Receipt",
    "Reclaim",
    "ReclaimStatus",
    "ReminderKind",
    "ReportLine",
    "ReportReminder",
    "RevocationScope",
    "State",
    "UsageReport",
    "Vote",
    "money_field",
]
