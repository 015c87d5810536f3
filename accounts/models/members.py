"""Members: real people, logging in with their e-mail address, and the topics
they work on."""

from __future__ import annotations

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models.areas import District, Municipality, SizeClass
from accounts.models.topics import Topic


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
    # A Gemeinde that the directory does not know yet (no GV100AD import, or a
    # new one): the member named it at sign-up, `district` holds its Kreis,
    # and staff create it when they verify the member.
    unlisted_municipality_name = models.CharField(
        _("municipality not in the directory"), max_length=150, blank=True
    )
    unlisted_municipality_ags = models.CharField(
        _("its AGS, if known"), max_length=8, blank=True
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
    # Raised whenever what is shown with everything the member wrote changes
    # (name, affiliation, active, deleted): caches of rendered content key on it
    # instead of being searched and cleared (see `bump_display_version`).
    display_version = models.PositiveIntegerField(default=1, editable=False)

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
    def affiliation_in_a_sentence(self) -> str:
        """What the member works for, as the object of a sentence ("für den
        Landkreis Rosenheim"), the unlisted Gemeinde if they named one."""
        if self.unlisted_municipality_name:
            return self.unlisted_municipality_name
        area = self.affiliation
        return area.in_a_sentence() if area else ""

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
