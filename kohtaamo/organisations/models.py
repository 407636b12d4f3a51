"""Tenants, their unit tree, people, customers and service paths (DESIGN.md section 1)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantOwned


class Channel(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    VIDEO = "video", _("Video")
    CHAT = "chat", _("Chat")
    WEB = "web", _("Web self-service")


class Language(models.TextChoices):
    FI = "fi", "suomi"
    SV = "sv", "svenska"
    EN = "en", "English"


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Helsinki")
    default_language = models.CharField(_("default language"), max_length=2, choices=Language.choices, default="fi")
    # DESIGN.md: an organisation may raise the anonymity threshold, never lower it below 3.
    anonymity_threshold = models.PositiveSmallIntegerField(_("anonymity threshold"), default=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymity_threshold__gte=3), name="anonymity_threshold_at_least_3"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        REGION = "region", _("Region")
        BRANCH = "branch", _("Branch")
        TEAM = "team", _("Team")
        DEPARTMENT = "department", _("Department")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEAM)
    code = models.CharField(_("code"), max_length=64, blank=True)
    # Materialised path ("/12/40/57/") so a subtree is one indexed prefix query.
    path = models.CharField(max_length=512, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        prefix = self.parent.path if self.parent_id else "/"
        path = f"{prefix}{self.pk}/"
        if path != self.path:
            old = self.path
            Unit.objects.filter(pk=self.pk).update(path=path)
            self.path = path
            if old:  # moved: re-root the descendants
                for child in Unit.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    Unit.objects.filter(pk=child.pk).update(path=path + child.path[len(old) :])

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    supervisor = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="person_external_id_unique_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    """A pseudonymous customer; contact details only with consent, and only until the retention date."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="customers")
    external_id = models.CharField(_("pseudonymous id"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True)
    segment = models.CharField(_("segment"), max_length=100, blank=True)
    contact_consent = models.BooleanField(_("consent to contact"), default=False)
    retain_until = models.DateField(_("retain contact details until"), null=True, blank=True)
    last_invited_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "external_id"], name="customer_external_id_unique")
        ]

    def __str__(self) -> str:
        return self.external_id


class ServicePath(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="service_paths")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service path")
        verbose_name_plural = _("service paths")

    def __str__(self) -> str:
        return self.name


class Stage(TenantOwned):
    tenant_parent = "service_path"
    service_path = models.ForeignKey(ServicePath, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["service_path", "order"]

    def __str__(self) -> str:
        return self.name


class Touchpoint(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="touchpoints")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="touchpoints")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    owner_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="touchpoints")
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        ordering = ["stage__order", "order"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A login's role in one organisation. A consultant holds memberships in several."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Organisation admin")
        CX_LEAD = "cx_lead", _("CX lead")
        UNIT_MANAGER = "unit_manager", _("Unit manager")
        EMPLOYEE = "employee", _("Employee")
        CONSULTANT = "consultant", _("Consultant")
        SHOPPER = "shopper", _("Mystery shopper")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, help_text=_("Unit managers see this unit's subtree.")
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, help_text=_("Employees see this person's results.")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}: {self.get_role_display()}"
