"""Consent and disclosures enforced where the records are written, so no page can forget.

- A new information request to a partner agency (reviews.InformationRequest) is refused while the
  victim's consent to sharing is withdrawn (privacy.services.sharing_check).
- Every disclosure recorded by the review (reviews.Disclosure: who, to whom, why, on what basis)
  is mirrored into the access log as a `disclose` event with its purpose and lawful basis, so the
  data protection officer finds it with every other use of the person's record.
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save

# reviews.LawfulBasis → audit.LawfulBasis
LAWFUL_BASIS = {
    "asb_2014_sch4_para7": "asbcpa2014_sch4_para7",
    "cda_1998_s115": "cda1998_s115",
    "consent": "ukgdpr_6_1_a",
}


def refuse_sharing_without_consent(sender, instance, raw=False, **kwargs):
    if instance.pk is not None or raw:
        return
    from .services import sharing_check

    sharing_check(application=instance.application, agency=instance.agency)


def mirror_disclosure(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    from casereview.audit.services import Action, access_event_record

    access_event_record(
        action=Action.DISCLOSE,
        user=instance.disclosed_by,
        obj=instance,
        case_reference=instance.application.reference,
        recipient=instance.recipient,
        purpose=instance.purpose,
        lawful_basis=LAWFUL_BASIS.get(instance.lawful_basis, ""),
        summary=f"Disclosed: {instance.what}"[:300],
    )


def connect():
    from django.apps import apps

    if apps.is_installed("casereview.reviews"):
        try:
            apps.get_model("reviews", "InformationRequest")
            pre_save.connect(
                refuse_sharing_without_consent,
                sender="reviews.InformationRequest",
                dispatch_uid="privacy_consent",
            )
        except LookupError:
            pass
        try:
            apps.get_model("reviews", "Disclosure")
            post_save.connect(
                mirror_disclosure, sender="reviews.Disclosure", dispatch_uid="privacy_disclosure"
            )
        except LookupError:
            pass
