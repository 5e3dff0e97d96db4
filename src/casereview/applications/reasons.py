"""A recorded threshold decision's reasons in the reader's language (ADR 0039).

The stored decision (`ThresholdDecision.reason_codes`) is rendered by the core's one renderer
(`core.reasons`) with Django's `gettext`/`ngettext`, so the active language decides: English as
the core has always written it, or Welsh from the catalogue (`locale/cy`). Nothing here reads the
partnership's policy: a letter says what was decided, under the policy it was decided under.

A decision made before the codes were stored, whose codes migration 0007 could not recover, has
only its English sentences: these functions return them, in English whatever the language.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext, ngettext

from casereview.core.reasons import Words, render_all, render_paragraphs

from .models import ThresholdDecision


def reasons_words() -> Words:
    """How to write the reasons in the active language (``cy``: Welsh words and dates)."""
    language = "cy" if (get_language() or "").startswith("cy") else "en"
    return Words(gettext=gettext, ngettext=ngettext, language=language)


def decision_has_codes(decision: ThresholdDecision) -> bool:
    return "incidents" in (decision.reason_codes or {})


def decision_incidents(decision: ThresholdDecision) -> list[dict]:
    """Each incident of the decision: ``{"ref", "qualifying", "reasons": [sentence, …]}``."""
    if decision_has_codes(decision):
        words = reasons_words()
        return [
            {
                "ref": entry["ref"],
                "qualifying": bool(entry["qualifying"]),
                "reasons": render_all(entry["reasons"], words),
            }
            for entry in decision.reason_codes["incidents"]
        ]
    return [
        {
            "ref": str(entry.get("ref", "")),
            "qualifying": bool(entry.get("qualifying")),
            "reasons": [str(r) for r in entry.get("reasons", [])],
        }
        for entry in (decision.engine_result or {}).get("incidents", [])
    ]


def decision_ineligible_reasons(decision: ThresholdDecision) -> list[str]:
    if decision_has_codes(decision):
        return render_all(decision.reason_codes.get("ineligible", []), reasons_words())
    return [str(r) for r in (decision.engine_result or {}).get("ineligible_reasons", [])]


def decision_explanation(decision: ThresholdDecision) -> str:
    if decision_has_codes(decision):
        return render_paragraphs(decision.reason_codes.get("explanation", []), reasons_words())
    return decision.explanation
