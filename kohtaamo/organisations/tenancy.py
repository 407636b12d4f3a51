"""Every tenant table carries its organisation, so the schema can be distributed by organisation (Citus).

Child rows (an answer of a report, a goal of a plan) take the organisation of their parent row when
they are created, through save() and bulk_create alike, so no caller has to remember it.
"""

from django.db import models


class TenantOwnedQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.tenant_fill()
        return super().bulk_create(objs, *args, **kwargs)


class TenantOwned(models.Model):
    """Abstract base of a tenant's child rows; `tenant_parent` names the FK whose organisation they share."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")

    tenant_parent: str = ""
    objects = TenantOwnedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.tenant_fill()
        super().save(*args, **kwargs)

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        self.tenant_fill()
        if self.organisation_id is None:  # the parent is not set yet; save() fills it in
            exclude = {*(exclude or ()), "organisation"}
        super().full_clean(exclude=exclude, validate_unique=validate_unique, validate_constraints=validate_constraints)

    def tenant_fill(self) -> None:
        if self.organisation_id is None and getattr(self, f"{self.tenant_parent}_id") is not None:
            self.organisation_id = getattr(self, self.tenant_parent).organisation_id


def tenant_backfill(app_label: str, children: list[tuple[str, str]]):
    """A migration step that copies each child row's organisation from its parent (parents first)."""
    from django.db import migrations
    from django.db.models import OuterRef, Subquery

    def forwards(apps, schema_editor):
        for model_name, parent in children:
            model = apps.get_model(app_label, model_name)
            parent_model = model._meta.get_field(parent).related_model
            organisation = parent_model.objects.filter(pk=OuterRef(f"{parent}_id")).values("organisation_id")[:1]
            model.objects.filter(organisation__isnull=True).update(organisation_id=Subquery(organisation))

    return migrations.RunPython(forwards, migrations.RunPython.noop)
