"""Writes to actions. Each records a case event in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from casereview.applications.models import Application
from casereview.applications.services import application_agency_link, case_event_record

from .models import Action, ActionKind


def action_create(
    *,
    application: Application,
    kind: str,
    description: str,
    owner_agency,
    due_on: dt.date,
    actor,
    owner=None,
    share_with_victim: bool = True,
    created_on: dt.date | None = None,
) -> Action:
    """Create a panel action or an interim action, with its owner and due date.

    The owning agency becomes party to the case (so its officers can see the case and report the
    action done). An interim action answers an immediate risk of harm without waiting for the
    panel (seed 004 §11). The case event's summary names the owner and due date, never the
    description, which may hold details only staff may see.
    """
    if kind not in ActionKind.values:
        raise ValidationError({"kind": "Choose whether this is a panel action or an interim action."})
    errors = {}
    if not description.strip():
        errors["description"] = "Enter what will be done."
    if owner_agency is None:
        errors["owner_agency"] = "Choose the agency that owns the action."
    elif owner_agency.partnership_id != application.partnership_id:
        errors["owner_agency"] = "That agency belongs to another partnership."
    if owner is not None and owner_agency is not None and owner.agency_id != owner_agency.pk:
        errors["owner"] = f"{owner} does not work for {owner_agency}."
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due."
    elif created_on is not None and due_on < created_on:
        errors["due_on"] = "The due date cannot be before the action is agreed."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = Action.objects.create(
            application=application,
            kind=kind,
            description=description.strip(),
            owner_agency=owner_agency,
            owner=owner,
            due_on=due_on,
            share_with_victim=share_with_victim,
            created_by=actor,
        )
        application_agency_link(
            application=application, agency=owner_agency, reason="Owns an action on this case"
        )
        label = "Interim action" if kind == ActionKind.INTERIM else "Action"
        case_event_record(
            application=application,
            kind="interim_action_created" if kind == ActionKind.INTERIM else "action_created",
            summary=f"{label} for {owner_agency}{f' ({owner})' if owner else ''}, due {due_on:%-d %B %Y}.",
            actor=actor,
            occurred_on=created_on,
            data={"action": action.pk, "kind": kind, "due_on": due_on.isoformat()},
        )
    return action
