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
from grants.models.programmes import AnbestVariant, PartnerSplit, Programme, Purpose

__all__ = [
    "CENT",
    "MAX_AMOUNT",
    "ZERO",
    "AnbestVariant",
    "Application",
    "Attachment",
    "AttachmentKind",
    "BudgetLedger",
    "CostCategory",
    "CostLine",
    "DeMinimis",
    "EntryKind",
    "FundingLine",
    "HistoryEntry",
    "LedgerEntry",
    "Partner",
    "PartnerSplit",
    "Programme",
    "Purpose",
    "Query",
    "State",
    "Vote",
    "money_field",
]
