"""Members and the municipal reference data they belong to.

Reference data follows the official keys: a Land has a 2-digit key, a Kreis
(district) a 5-digit key, a Gemeinde (municipality) its 8-digit AGS. Keys are
strings: leading zeros matter ("01001000" is Flensburg).
"""

from __future__ import annotations

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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


class Role(models.TextChoices):
    DISTRICT_ADMINISTRATOR = "district-administrator", _("District administrator")
    MAYOR = "mayor", _("Mayor")
    ADMINISTRATION = "administration", _("Municipal administration")
    VOLUNTEER = "volunteer", _("Volunteer")
    OTHER = "other", _("Other")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A member: a real person, logging in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(
        _("role"), max_length=30, choices=Role.choices, default=Role.OTHER
    )
    job_title = models.CharField(_("position"), max_length=150, blank=True)
    # A member speaks for a Gemeinde, or (Landkreis staff) for a Kreis.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("municipality"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("district"),
    )
    affiliation_verified_at = models.DateTimeField(
        _("affiliation verified at"), null=True, blank=True
    )
    affiliation_verified_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("affiliation verified by"),
    )
    # Staff could not verify the affiliation (the reason is in the audit log and
    # was mailed to the member); cleared when the member names another one.
    affiliation_rejected_at = models.DateTimeField(
        _("affiliation rejected at"), null=True, blank=True
    )
    offers_text = models.TextField(_("We offer"), max_length=2000, blank=True)
    seeks_text = models.TextField(_("We are looking for"), max_length=2000, blank=True)
    show_in_directory = models.BooleanField(
        _("listed in the member directory"), default=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Set when the account was deleted (DSGVO Art. 17): the row stays so that
    # posts and messages keep an author, but holds no personal data any more.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    # Effective ends of moderation sanctions (the records are in
    # moderation.Sanction): read on every request and chat send without a query.
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    chat_muted_until = models.DateTimeField(
        _("muted in chat until"), null=True, blank=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(municipality__isnull=True)
                | models.Q(district__isnull=True),
                name="user_one_affiliation",
            ),
        ]

    def __str__(self) -> str:
        if self.is_deleted:
            return self.display_name
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_suspended(self) -> bool:
        until = self.suspended_until
        return until is not None and until > timezone.now()

    @property
    def is_chat_muted(self) -> bool:
        until = self.chat_muted_until
        return until is not None and until > timezone.now()

    @property
    def display_name(self) -> str:
        """The name shown with everything the member wrote, in the active language.

        "Ehemaliges Mitglied" once the account is deleted: forum posts and chat
        messages stay readable without telling who wrote them.
        """
        if self.is_deleted:
            return gettext("Former member")
        return self.name

    @property
    def affiliation(self) -> Municipality | District | None:
        return self.municipality or self.district

    @property
    def is_affiliation_verified(self) -> bool:
        return self.affiliation_verified_at is not None

    @property
    def state_key(self) -> str | None:
        """The Land of the member's municipality or district (keys share it)."""
        key = self.municipality_id or self.district_id
        return key[:2] if key else None

    @property
    def size_class(self) -> SizeClass | None:
        """Size class of the member's municipality or district, if known."""
        return SizeClass.for_population(getattr(self.affiliation, "population", None))


class MemberTopic(models.Model):
    """A topic a member works on (their expertise), for the directory."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)

    class Meta:
        verbose_name = _("expertise topic")
        verbose_name_plural = _("expertise topics")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], name="member_topic_unique"
            )
        ]

    def __str__(self) -> str:
        return self.get_topic_display()


# Versions of the documents members consent to; bump when their text changes.
TERMS_VERSION = "2026-11"
PRIVACY_VERSION = "2026-11"


class Consent(models.Model):
    """A member's consent to a versioned document, kept as evidence (DSGVO Art. 7)."""

    class Document(models.TextChoices):
        TERMS = "terms", _("Terms of use")
        PRIVACY = "privacy", _("Privacy notice")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    document = models.CharField(_("document"), max_length=20, choices=Document.choices)
    version = models.CharField(_("version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.document} {self.version}"
