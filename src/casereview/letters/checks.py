"""The letters' redaction check, asked early: does this text name a recorded alleged perpetrator?

`letter_issue` refuses a victim's letter that carries a perpetrator's name, address or date of
birth (`redaction.find_withheld`). A recommendation or an action shared with the victim goes into
the outcome letter word for word, so the panel and actions apps ask the same question of it the
moment it is saved — with the same rules, the case's same recorded perpetrators and the same
"own details" (the victim's name and address are theirs to be sent) — and warn the officer then,
instead of the outcome letter being refused weeks later.
"""

from __future__ import annotations

from .context import default_recipient
from .redaction import Finding, Part, find_withheld
from .services import _own_details, _withheld


def perpetrator_details_in(*, case, text: str, where: str) -> list[Finding]:
    """The findings (what matched, `Finding.message()`) for one piece of victim-facing text."""
    if not text.strip():
        return []
    return find_withheld(
        [Part(where=where, text=text)],
        _withheld(case),
        own_details=_own_details(case, default_recipient("outcome", case)),
    )


SAVE_ANYWAY_OFFERED = "save_anyway_offered"


def offer_save_anyway(form) -> None:
    """Add the "save it as written" box to a form that has been warned (and to the next POST of
    it, which carries SAVE_ANYWAY_OFFERED), so the officer can confirm rather than edit."""
    from django import forms

    if "save_anyway" not in form.fields:
        form.fields["save_anyway"] = forms.BooleanField(
            label="Save it as written: I will change it or stop sharing it before the outcome letter",
            required=False,
        )


def shared_text_warning(form, *, case, text: str, shared: bool, where: str) -> list[Finding]:
    """What to warn about before saving `text` that will be `shared` with the victim: the
    findings, unless there are none or the officer has ticked "save it as written" (then [])."""
    if not shared:
        return []
    findings = perpetrator_details_in(case=case, text=text, where=where)
    if findings and form.cleaned_data.get("save_anyway"):
        return []
    if findings:
        offer_save_anyway(form)
    return findings
