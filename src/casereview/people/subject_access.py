"""The people app's part of a subject access export (privacy.subject_access): the profile the
case party is linked to — names, date of birth, contact details, identifiers (decrypted: they are
the person's own), special category and offence notes — with the places they are linked to."""

from __future__ import annotations

from .models import CasePartyLink


def people_about(person, redact) -> dict:
    lists = {"Your profile": [], "Your identifiers": [], "Places linked to you": []}
    link = CasePartyLink.objects.filter(party=person).select_related("person").first()
    if link is not None:
        profile = link.person
        lists["Your profile"].append(
            {
                "name": profile.full_name,
                "other names": ", ".join(profile.alias_list),
                "date of birth": profile.date_of_birth.isoformat() if profile.date_of_birth else "",
                "email": profile.email,
                "phone": profile.phone,
                "health and vulnerability": profile.health_notes,
                "offending": profile.offence_notes,
            }
        )
        lists["Your identifiers"] = [
            {
                "kind": identifier.get_kind_display(),
                "value": identifier.value,
                "whose": identifier.agency.name if identifier.agency else "",
            }
            for identifier in profile.identifiers.select_related("agency")
        ]
        lists["Places linked to you"] = [
            {
                "address": redact(place_link.place.address),
                "postcode": place_link.place.postcode,
                "UPRN": place_link.place.uprn,
                "how": place_link.get_kind_display(),
                "from": place_link.started_on.isoformat() if place_link.started_on else "",
                "until": place_link.ended_on.isoformat() if place_link.ended_on else "",
            }
            for place_link in profile.place_links.select_related("place")
        ]
    return {
        "title": "Your profile in People and places",
        "found_by": "The profile your record in the case is linked to.",
        "lists": lists,
    }
