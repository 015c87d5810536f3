"""The municipal reference data members belong to.

Reference data follows the official keys: a Land has a 2-digit key, a Kreis
(district) a 5-digit key, a Gemeinde (municipality) its 8-digit AGS. Keys are
strings: leading zeros matter ("01001000" is Flensburg).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

validate_state_key = RegexValidator(
    r"^(0[1-9]|1[0-6])$", _("A state key has two digits, 01 to 16.")
)
validate_district_key = RegexValidator(
    r"^(0[1-9]|1[0-6])\d{3}$",
    _("A district key has five digits and starts with a state key (01 to 16)."),
)
validate_ags = RegexValidator(
    r"^(0[1-9]|1[0-6])\d{6}$",
    _(
        "An official municipality key (AGS) has eight digits and starts with "
        "a state key (01 to 16)."
    ),
)


class SizeClass(models.TextChoices):
    """Municipality size by population, as offers and seeks are matched."""

    SMALL = "small", _("under 5,000 inhabitants")
    MEDIUM = "medium", _("5,000 to 20,000 inhabitants")
    LARGE = "large", _("20,000 to 100,000 inhabitants")
    CITY = "city", _("over 100,000 inhabitants")

    @classmethod
    def for_population(cls, population: int | None) -> SizeClass | None:
        if population is None:
            return None
        if population < 5_000:
            return cls.SMALL
        if population < 20_000:
            return cls.MEDIUM
        if population <= 100_000:
            return cls.LARGE
        return cls.CITY


class State(models.Model):
    """A German Land."""

    key = models.CharField(
        _("state key"), max_length=2, primary_key=True, validators=[validate_state_key]
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("state")
        verbose_name_plural = _("states")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A Kreis: Landkreis, Kreis, kreisfreie Stadt, Stadtkreis or Regionalverband."""

    key = models.CharField(
        _("district key"),
        max_length=5,
        primary_key=True,
        validators=[validate_district_key],
    )
    state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name=_("state"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=50, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    data_date = models.DateField(_("data as of"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        # "Landkreis Rosenheim", but "Köln, Stadt" rather than "Kreisfreie Stadt Köln".
        if self.kind in {"Landkreis", "Kreis", "Regionalverband"}:
            return f"{self.kind} {self.name}"
        return self.name

    def in_a_sentence(self) -> str:
        """The district as the object of "für …" in the active language: "den
        Landkreis Rosenheim" in German, where a town needs no article."""
        if self.kind in {"Landkreis", "Kreis", "Regionalverband"}:
            return pgettext(
                "a district as object, e.g. 'for the district ...'",
                "the %(kind)s %(name)s",
            ) % {"kind": self.kind, "name": self.name}
        return self.name


class Municipality(models.Model):
    """A Gemeinde, keyed by its official AGS."""

    ags = models.CharField(
        _("AGS"), max_length=8, primary_key=True, validators=[validate_ags]
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("district"),
    )
    name = models.CharField(_("name"), max_length=150, db_index=True)
    kind = models.CharField(_("kind"), max_length=50, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    data_date = models.DateField(_("data as of"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    @property
    def state_key(self) -> str:
        return self.ags[:2]

    def in_a_sentence(self) -> str:
        """A Gemeinde takes no article: "für Bad Aibling"."""
        return self.name

    @property
    def size_class(self) -> SizeClass | None:
        return SizeClass.for_population(self.population)


class StructuralWeaknessRecord(models.Model):
    """A dated statement that a district or municipality counts as structurally weak.

    Maintained by staff from an official source (a funding programme's area map);
    never derived in code. Grants ask `accounts.queries.is_structurally_weak`.
    """

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="structural_weakness_records",
        verbose_name=_("district"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="structural_weakness_records",
        verbose_name=_("municipality"),
    )
    programme = models.CharField(_("programme"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=100,
        help_text=_("As the source names it, e.g. 'C-Fördergebiet'."),
    )
    is_structurally_weak = models.BooleanField(_("structurally weak"), default=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("structural weakness record")
        verbose_name_plural = _("structural weakness records")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(district__isnull=False, municipality__isnull=True)
                    | models.Q(district__isnull=True, municipality__isnull=False)
                ),
                name="structural_weakness_one_area",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="structural_weakness_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality or self.district}: {self.status} ({self.programme})"
