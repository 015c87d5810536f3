"""Forms of the moderation pages."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.actions.filters import MAX_PATTERN_LENGTH
from moderation.models import DecisionAction, FilterAction, ReportReason, Rule

# Offered durations in hours, for mutes and suspensions.
DURATIONS = [
    (1, _("1 hour")),
    (24, _("24 hours")),
    (72, _("3 days")),
    (168, _("7 days")),
    (720, _("30 days")),
    (2160, _("90 days")),
]
NEEDS_RULE = set(DecisionAction.values) - {"dismiss", "approve"}


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Details (optional)"),
        help_text=_("What should the moderation team know?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"), choices=(), widget=forms.RadioSelect
    )
    rule = forms.ChoiceField(
        label=_("Rule"),
        choices=[("", _("– no rule (dismiss or approve) –")), *Rule.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The member receives this text with the decision."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    duration = forms.TypedChoiceField(
        label=_("Duration (mute or suspension)"),
        choices=[("", "–"), *DURATIONS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    source = forms.CharField(
        label=_("New text (edit)"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    note = forms.CharField(
        label=_("Visible moderator note (edit)"),
        help_text=_("Shown under the edited text."),
        required=False,
        max_length=500,
    )

    def __init__(self, *args, actions: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(DecisionAction.choices)
        self.fields["action"].choices = [(a, labels[a]) for a in actions]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in NEEDS_RULE:
            if not data.get("rule"):
                self.add_error("rule", _("Please choose the rule."))
            if not (data.get("reason") or "").strip():
                self.add_error(
                    "reason", _("Please give a reason: the member receives it.")
                )
        if action in ("mute", "suspend") and not data.get("duration"):
            self.add_error("duration", _("Please choose a duration."))
        if action == "edit" and not (data.get("source") or "").strip():
            self.add_error("source", _("Please enter the new text."))
        return data

    @property
    def duration_delta(self) -> timedelta | None:
        hours = self.cleaned_data.get("duration")
        return timedelta(hours=hours) if hours else None


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Your objection"),
        help_text=_("Explain why you think the decision is wrong."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision on the objection"),
        choices=[
            ("uphold", _("Uphold the decision")),
            ("revoke", _("Revoke the decision (restore content, lift sanctions)")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Answer to the member"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class QueueFilterForm(forms.Form):
    space = forms.TypedChoiceField(
        label=_("Space"), required=False, coerce=int, empty_value=None
    )
    reason = forms.ChoiceField(
        label=_("Report reason"),
        required=False,
        choices=[("", _("All reasons")), *ReportReason.choices],
    )

    def __init__(self, *args, spaces, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["space"].choices = [
            ("", _("All spaces")),
            *((space.pk, space.title) for space in spaces),
        ]


class WordFilterForm(forms.Form):
    pattern = forms.CharField(
        label=_("Word or phrase"),
        help_text=_(
            "Case and umlauts (ä/ae) do not matter; * stands for any letters "
            "within a word."
        ),
        max_length=MAX_PATTERN_LENGTH,
    )
    action = forms.ChoiceField(
        label=_("What happens"), choices=FilterAction.choices, widget=forms.RadioSelect
    )
    whole_word = forms.BooleanField(
        label=_("Whole words only"), required=False, initial=True
    )


class FilterTestForm(forms.Form):
    text = forms.CharField(
        label=_("Test a text"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("New note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Reason for lifting"), max_length=2000)


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_('Beginning of the name, e.g. "moderation." or "forum.thread"'),
    )
    actor = forms.CharField(label=_("Who"), required=False, max_length=100)
    target = forms.CharField(label=_("Target"), required=False, max_length=100)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
