"""Materials staff attach to an event (slides, recordings, documents)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from audit.actions import log_action
from seminars.models import Event, Material
from seminars.permissions import check_can_manage_events


def search_text(material: Material) -> str:
    return " ".join(
        [material.title, material.description, material.event.title]
    ).lower()


@transaction.atomic
def add_material(
    actor: User,
    event: Event,
    *,
    title: str,
    kind: str,
    access: str,
    description: str = "",
    upload: UploadedFile | None = None,
    url: str = "",
) -> Material:
    check_can_manage_events(actor)
    material = Material(
        event=event,
        title=title,
        kind=kind,
        access=access,
        description=description,
        url=url,
        created_by=actor,
    )
    if upload is not None:
        material.file = upload
        material.original_name = upload.name[:200]
        material.content_type = upload.content_type
        material.size = upload.size
    material.search_text = search_text(material)
    material.save()
    log_action(
        actor, "seminars.material.added", target=material, data={"access": access}
    )
    return material


@transaction.atomic
def remove_material(actor: User, material: Material) -> None:
    check_can_manage_events(actor)
    log_action(actor, "seminars.material.removed", target=material)
    material.file.delete(save=False)
    material.delete()
