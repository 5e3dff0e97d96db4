"""The standing panels' reasons (core/panel_kinds.py) in Welsh from the catalogue, through the
same renderer and the same `reasons_words` as the threshold decision's (ADR 0039, ADR 0062)."""

from __future__ import annotations

from django.utils import translation

from casereview.applications.reasons import reasons_words
from casereview.core.panel_kinds import ReferralFacts, close_check, referral_criteria_check
from casereview.core.policy import load_policy
from casereview.core.reasons import render_all

CMARAC = load_policy("islington").panel_kind("cmarac")


def test_cmarac_criteria_and_the_close_rule_read_in_welsh():
    result = referral_criteria_check(
        CMARAC,
        ReferralFacts(vulnerabilities=("mental_health", "substance_use"), risk_level="low", asb_reports=0),
    )
    refused = close_check(CMARAC, reason=None, panel_agreed=False)
    with translation.override("cy"):
        welsh = render_all(result.reasons + refused.reasons, reasons_words())
    assert (
        welsh[0]
        == "Bregusrwydd: wedi’i fodloni — mae’r atgyfeiriad yn cofnodi iechyd meddwl a defnyddio sylweddau."
    )
    assert welsh[1].startswith("Risg: heb ei fodloni — lefel y risg yw isel")
    assert welsh[2].startswith("Ymddygiad gwrthgymdeithasol: heb ei fodloni")
    assert welsh[3].startswith("Nid yw’r atgyfeiriad yn bodloni 2 o feini prawf y panel")
    assert welsh[4:] == [
        "Rhowch y rheswm dros gau’r achos.",
        "Rhaid i’r panel gytuno y caiff yr achos gau: cofnodwch gytundeb y cyfarfod yn gyntaf.",
    ]
    assessment = CMARAC.risk_tool.assess({"harm_to_self": True})
    with translation.override("cy"):
        sentences = render_all(assessment.reasons, reasons_words())
    assert "A oes risg o niwed difrifol" in sentences[1]
