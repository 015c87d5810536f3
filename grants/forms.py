"""Forms of the grants app. Amounts are typed as members write them
("4.250,00", "4250", "4250.00") and become `Decimal`; never float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality, Topic
from accounts.queries import resolve_area
from community.uploads import ATTACHMENT_TYPES as UPLOAD_TYPES
from community.uploads import AttachmentsField, check_file
from grants import rules
from grants.actions.drafts import CostLineData, DraftContent, FundingLineData
from grants.models import (
    ZERO,
    Application,
    AttachmentKind,
    CostCategory,
    DeMinimis,
    LegalBasis,
    Programme,
    Purpose,
    RevocationScope,
    Vote,
)
from grants.queries import signatory_choices

# --- Money ----------------------------------------------------------------------------

_GROUPED = {
    ".": re.compile(r"^\d{1,3}(\.\d{3})+$"),
    ",": re.compile(r"^\d{1,3}(,\d{3})+$"),
}


def parse_amount(text: str) -> Decimal:
    """Read an amount the way the active language writes it.

    Both separators: the last one separates the cents ("4.250,00", "4,250.00").
    One separator: the language's decimal separator separates cents; the other
    one groups thousands if it stands before groups of three digits ("4.250" in
    German), and separates cents otherwise ("4250.50"). Raises ValueError.
    """
    raw = re.sub(r"(€|eur|euro|\s|\u00a0)", "", text.strip(), flags=re.IGNORECASE)
    sign = ""
    if raw[:1] in ("+", "-"):
        sign, raw = raw[0], raw[1:]
    if not raw or not re.fullmatch(r"[\d.,]+", raw):
        raise ValueError(text)
    decimal_separator = formats.get_format("DECIMAL_SEPARATOR")
    other = "." if decimal_separator == "," else ","
    if "." in raw and "," in raw:
        cents_at = max(raw.rfind("."), raw.rfind(","))
        grouping = "," if raw[cents_at] == "." else "."
        whole, cents = raw[:cents_at], raw[cents_at + 1 :]
        if not (whole.isdigit() or _GROUPED[grouping].match(whole)):
            raise ValueError(text)
        raw = f"{whole.replace(grouping, '')}.{cents}"
    elif decimal_separator in raw:
        whole, _sep, cents = raw.rpartition(decimal_separator)
        raw = f"{whole}.{cents}"
    elif other in raw:
        if _GROUPED[other].match(raw):
            raw = raw.replace(other, "")
        else:
            whole, _sep, cents = raw.rpartition(other)
            raw = f"{whole}.{cents}"
    if raw.count(".") > 1 or raw.startswith(".") or raw.endswith("."):
        raise ValueError(text)
    try:
        return Decimal(sign + raw)
    except InvalidOperation as problem:
        raise ValueError(text) from problem


class MoneyInput(forms.TextInput):
    """A text input for euros: "4250,00" in German, digits keyboard on phones."""

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "decimal", "autocomplete": "off", **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, Decimal):
            return formats.number_format(value, decimal_pos=2)
        return super().format_value(value)


class MoneyField(forms.Field):
    widget = MoneyInput
    default_error_messages = {
        "invalid": _("Please enter an amount in euros, e.g. 4.250,00."),
    }

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("help_text", _("In euros, e.g. 4.250,00"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_amount(str(value))
        except ValueError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from None

    def validate(self, value):
        super().validate(value)
        if value is not None:
            problem = rules.amount_problem(value, allow_zero=self.allow_zero)
            if problem:
                raise forms.ValidationError(problem, code="amount")


# --- Attachments ----------------------------------------------------------------------

# Of the platform's attachment types (community.uploads), those a funder
# reads: documents, spreadsheets, scans and photos; no GIFs or slides.
GRANT_EXTENSIONS = (
    ".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".odt", ".ods", ".doc", ".xls",
)  # fmt: skip
ATTACHMENT_TYPES = {
    extension: UPLOAD_TYPES[extension] for extension in GRANT_EXTENSIONS
}
ATTACHMENTS_PER_SAVE = 5


def check_attachment(upload: UploadedFile) -> UploadedFile:
    """A file of a grant application (quotes, invoices, receipts), checked by
    content and size (community.uploads.check_file)."""
    return check_file(
        upload,
        types=ATTACHMENT_TYPES,
        max_bytes=settings.GRANTS_ATTACHMENT_MAX_BYTES,
        not_allowed=_(
            "“%(name)s” cannot be attached: allowed are PDF, office documents "
            "and images (PNG, JPEG) whose content matches their name."
        ),
    )


def attachments_field(**kwargs) -> AttachmentsField:
    return AttachmentsField(
        check=check_attachment,
        max_count=lambda: ATTACHMENTS_PER_SAVE,
        too_many=_("Please attach at most %(count)d files at once."),
        **kwargs,
    )


# --- The application form -------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CostLineForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *CostCategory.choices], required=False
    )
    description = forms.CharField(
        label=_("Description"), max_length=200, required=False
    )
    amount = MoneyField(label=_("Amount"), required=False, help_text="")
    reason = forms.CharField(
        label=_("Reason (for “other”)"), max_length=500, required=False
    )

    def clean(self):
        data = super().clean()
        filled = any(data.get(name) for name in ("category", "description", "amount"))
        if not filled or self.errors:
            return data
        if not data.get("category"):
            self.add_error("category", _("Please choose a category."))
        if not data.get("description", "").strip():
            self.add_error("description", _("Please describe the cost."))
        if data.get("amount") is None:
            self.add_error("amount", _("Please enter the amount."))
        if data.get("category") == CostCategory.OTHER and not data.get("reason"):
            self.add_error("reason", _("Please give the reason for other costs."))
        return data

    def line(self) -> CostLineData | None:
        data = getattr(self, "cleaned_data", {})
        if not data.get("category") or data.get("amount") is None:
            return None
        return CostLineData(
            category=data["category"],
            description=data["description"].strip(),
            amount=data["amount"],
            reason=data.get("reason", "").strip(),
        )


class FundingLineForm(forms.Form):
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    amount = MoneyField(label=_("Amount"), required=False, help_text="")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("source") and data.get("amount") is None:
            self.add_error("amount", _("Please enter the amount."))
        if data.get("amount") is not None and not data.get("source"):
            self.add_error("source", _("Please name the source of the funding."))
        return data

    def line(self) -> FundingLineData | None:
        data = getattr(self, "cleaned_data", {})
        if not data.get("source") or data.get("amount") is None:
            return None
        return FundingLineData(source=data["source"].strip(), amount=data["amount"])


CostLineFormSet = forms.formset_factory(CostLineForm, extra=0, max_num=30)
FundingLineFormSet = forms.formset_factory(FundingLineForm, extra=0, max_num=10)
# Blank lines offered below the filled ones (more after the next save).
EXTRA_COST_LINES = 3
EXTRA_FUNDING_LINES = 2


class ApplicationForm(forms.Form):
    """The draft, as any verified member of the municipality edits it.

    A draft saves incomplete; what submission needs is checked by
    `grants.rules.submission_problems` and listed on the application page.
    """

    title = forms.CharField(
        label=_("Title of the project"),
        max_length=200,
        error_messages={"required": _("Please enter a title.")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What will be done, by whom, with which result."),
    )
    demographic_change = forms.CharField(
        label=_("How does the project address demographic change?"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), required=False, widget=forms.RadioSelect
    )
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", "—"), *Topic.choices], required=False
    )
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("End"), required=False, widget=DateInput)
    partners = forms.CharField(
        label=_("Partner municipalities (networking only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: the official municipality key (AGS, 8 digits) or the "
            "name. A verified member of each partner confirms the participation "
            "on the platform."
        ),
    )
    input_vat_deductible = forms.BooleanField(
        label=_(
            "The municipality is entitled to deduct input VAT for this project; "
            "all amounts are net."
        ),
        required=False,
    )
    own_funds = MoneyField(label=_("Own funds"), required=False, allow_zero=True)
    requested_amount = MoneyField(label=_("Requested amount"), required=False)
    declares_not_started = forms.BooleanField(
        label=_(
            "The project has not started, and no delivery or service contract for "
            "it has been signed."
        ),
        required=False,
    )
    declares_no_double_funding = forms.BooleanField(
        label=_(
            "No other public money is received for the same costs, or it is listed "
            "under other public funding."
        ),
        required=False,
    )
    declares_procurement = forms.BooleanField(
        label=_(
            "The procurement rules are followed; the quotes obtained are attached."
        ),
        required=False,
    )
    consents_to_publication = forms.BooleanField(
        label=_(
            "We consent to the publication of the project's results in the "
            "knowledge collection."
        ),
        required=False,
    )
    de_minimis = forms.ChoiceField(
        label=_("De-minimis aid"),
        choices=DeMinimis.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    de_minimis_received = MoneyField(
        label=_("De-minimis aid received in this and the two previous years"),
        required=False,
        allow_zero=True,
    )
    early_start_requested = forms.BooleanField(
        label=_("We request an early start (before the approval)."), required=False
    )
    early_start_reason = forms.CharField(
        label=_("Reason for the early start"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signatory = forms.ModelChoiceField(
        label=_("Authorised signatory"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_(
            "The mayor or a person authorised by the municipality; a verified "
            "member of it. This person confirms the submission."
        ),
        error_messages={
            "invalid_choice": _(
                "The authorised signatory must be a verified member of your "
                "municipality."
            )
        },
    )
    quotes = attachments_field(label=_("Add quotes"), required=False)
    documents = attachments_field(label=_("Add other documents"), required=False)
    remove_attachments = forms.MultipleChoiceField(
        label=_("Remove attachments"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args,
        programme: Programme,
        municipality: Municipality,
        application: Application | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.municipality = municipality
        self.application = application
        self.fields["purpose"].choices = [
            (value, label)
            for value, label in Purpose.choices
            if value in programme.purposes
        ]
        self.fields["signatory"].queryset = signatory_choices(municipality.pk)
        self.fields["signatory"].label_from_instance = lambda member: (
            f"{member.name}, {member.job_title}" if member.job_title else member.name
        )
        if not programme.de_minimis:
            del self.fields["de_minimis"]
            del self.fields["de_minimis_received"]
        if application is not None:
            self.fields["remove_attachments"].choices = [
                (str(a.pk), a.original_name) for a in application.attachments.all()
            ]
        else:
            del self.fields["remove_attachments"]

    def clean_partners(self) -> list[Municipality]:
        found: dict[str, Municipality] = {}
        problems = []
        for line in self.cleaned_data["partners"].splitlines():
            if not line.strip():
                continue
            area = resolve_area(line)
            if not isinstance(area, Municipality):
                problems.append(
                    _(
                        "“%(entry)s”: no single municipality found; "
                        "please enter its AGS."
                    )
                    % {"entry": line.strip()}
                )
            elif area.pk == self.municipality.pk:
                problems.append(
                    _("The applicant municipality cannot be its own partner.")
                )
            else:
                found[area.pk] = area
        if problems:
            raise forms.ValidationError(problems)
        return [found[key] for key in sorted(found)]

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The project cannot end before it starts."))
        return data

    def content(self, cost_lines, funding_lines) -> DraftContent:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in DraftContent.SIMPLE_FIELDS
            if name in data and data[name] is not None
        }
        fields["title"] = data["title"]
        fields.setdefault("own_funds", ZERO)
        fields["requested_amount"] = data.get("requested_amount")
        fields["de_minimis_received"] = data.get("de_minimis_received")
        fields["starts_on"] = data.get("starts_on")
        fields["ends_on"] = data.get("ends_on")
        fields["signatory"] = data.get("signatory")
        return DraftContent(
            **fields,
            cost_lines=[line for form in cost_lines if (line := form.line())],
            funding_lines=[line for form in funding_lines if (line := form.line())],
            partners=data.get("partners", []),
            new_attachments=[(AttachmentKind.QUOTE, f) for f in data.get("quotes", [])]
            + [(AttachmentKind.OTHER, f) for f in data.get("documents", [])],
            removed_attachments=[int(pk) for pk in data.get("remove_attachments", [])],
        )


def initial_for(application: Application) -> dict:
    """The form's values for a saved draft."""
    initial = {
        name: getattr(application, name)
        for name in DraftContent.SIMPLE_FIELDS
        if name != "signatory"
    }
    initial["signatory"] = application.signatory_id
    initial["partners"] = "\n".join(
        f"{p.municipality.name} – {p.municipality_id}"
        for p in application.partners.all()
    )
    return initial


# --- Submission, query, withdrawal ----------------------------------------------------


class SubmitForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_(
            "As the authorised signatory I confirm this application, its financing "
            "plan and its declarations on behalf of the municipality and submit it "
            "bindingly."
        ),
        error_messages={"required": _("Please confirm the application to submit it.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please give a reason.")},
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please write an answer.")},
    )
    documents = attachments_field(label=_("Add documents"), required=False)


# --- The Geschäftsstelle --------------------------------------------------------------


class QueryForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the applicant"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please write the question.")},
    )
    deadline = forms.DateField(
        label=_("Answer by"),
        widget=DateInput,
        error_messages={"required": _("Please enter the deadline.")},
    )


class ReportQueryForm(QueryForm):
    sample = forms.BooleanField(
        label=_("Ask for copies of receipts (a sample)"), required=False
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (for the file)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssessForm(forms.Form):
    vote = forms.ChoiceField(
        label=_("Vote"),
        choices=Vote.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a vote.")},
    )
    amount = MoneyField(
        label=_("Recommended partial amount"),
        required=False,
        help_text=_("Only for a partial approval."),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please give the reasons of the assessment.")},
    )


class ApproveForm(forms.Form):
    amount = MoneyField(
        label=_("Approved amount"),
        error_messages={"required": _("Please enter the approved amount.")},
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasons = forms.CharField(
        label=_("Statement of reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please give the statement of reasons.")},
    )


class RejectForm(forms.Form):
    reasons = forms.CharField(
        label=_("Statement of reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please give the statement of reasons.")},
    )


# --- Call-offs and payouts ------------------------------------------------------------


class CallOffForm(forms.Form):
    amount = MoneyField(
        label=_("Amount to call off"),
        error_messages={"required": _("Please enter the amount.")},
    )
    reason = forms.CharField(
        label=_("What the money is needed for"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please say what the money is needed for.")},
    )
    needed_on = forms.DateField(
        label=_("Needed on"),
        widget=DateInput,
        required=False,
        help_text=_(
            "Call off only what is due within two months after the payout "
            "(ANBest-Gk 1.2)."
        ),
    )
    invoices = attachments_field(label=_("Invoices"), required=False)

    def __init__(self, *args, reimbursement: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.reimbursement = reimbursement
        if reimbursement:
            del self.fields["needed_on"]
        else:
            del self.fields["invoices"]
            self.fields["needed_on"].required = True
            self.fields["needed_on"].error_messages["required"] = _(
                "Please enter the date the money is needed."
            )

    def clean_invoices(self):
        invoices = self.cleaned_data.get("invoices") or []
        if not invoices:
            raise forms.ValidationError(
                _("This programme reimburses against invoices: please attach them.")
            )
        return invoices


class PayoutForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Payment date"),
        widget=DateInput,
        error_messages={"required": _("Please enter the payment date.")},
    )


# --- The usage report -----------------------------------------------------------------


class ReceiptForm(forms.Form):
    cost_line = forms.TypedChoiceField(
        label=_("Cost line"), coerce=int, required=False, empty_value=None
    )
    paid_on = forms.DateField(label=_("Date"), widget=DateInput, required=False)
    payee = forms.CharField(label=_("Payee"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=300, required=False)
    amount = MoneyField(label=_("Amount"), required=False, help_text="")

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cost_line"].choices = [("", "—")] + [
            (line.pk, line.description) for line in lines
        ]

    def clean(self):
        data = super().clean()
        names = ("cost_line", "paid_on", "payee", "purpose", "amount")
        if self.errors or not any(data.get(name) for name in names):
            return data
        for name in names:
            if not data.get(name):
                self.add_error(name, _("Please fill in this field of the receipt."))
        return data


class BaseReceiptFormSet(forms.BaseFormSet):
    def __init__(self, *args, lines=(), **kwargs):
        self.lines = list(lines)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "lines": self.lines}


ReceiptFormSet = forms.formset_factory(
    ReceiptForm, formset=BaseReceiptFormSet, extra=0, max_num=200
)
EXTRA_RECEIPTS = 5


class ReportForm(forms.Form):
    """Narrative and financial statement; one "spent" field per cost line."""

    narrative = forms.CharField(
        label=_("Narrative report (Sachbericht)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What was done, what came of it, and how it addresses demographic change."
        ),
    )
    own_funds = MoneyField(label=_("Own funds spent"), allow_zero=True)
    other_funding = MoneyField(
        label=_("Other public funding received"), allow_zero=True
    )
    receipt_copies = attachments_field(
        label=_("Copies of receipts (if the Geschäftsstelle asked for them)"),
        required=False,
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"spent_{line.pk}"] = MoneyField(
                label=_("Spent on “%(line)s”") % {"line": line.description},
                allow_zero=True,
                required=False,
            )

    def spent_fields(self):
        return [self[f"spent_{line.pk}"] for line in self.lines]

    def spent(self) -> dict[int, Decimal]:
        return {
            line.pk: self.cleaned_data.get(f"spent_{line.pk}") or ZERO
            for line in self.lines
        }


# --- Revocation and reclaim -----------------------------------------------------------


class RevocationForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Revocation"),
        choices=RevocationScope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a full or a partial revocation.")},
    )
    amount = MoneyField(
        label=_("Amount to reclaim (partial revocation)"),
        required=False,
        help_text=_("A full revocation reclaims everything paid out."),
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"),
        choices=LegalBasis.choices,
        error_messages={"required": _("Please name the legal basis.")},
    )
    reasons = forms.CharField(
        label=_("Statement of reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please give the statement of reasons.")},
    )
    due_on = forms.DateField(
        label=_("Due on"),
        widget=DateInput,
        error_messages={"required": _("Please enter the due date.")},
    )


class RepaymentForm(forms.Form):
    repaid_on = forms.DateField(
        label=_("Repaid on"),
        widget=DateInput,
        error_messages={"required": _("Please enter the date of the repayment.")},
    )
