"""The vulnerability risk screening: questions and scoring, pure Python (no Django).

Modelled on the ASB victim risk assessment matrix used by police forces and councils since the
Home Office's 2012 guidance (Northamptonshire's "victim risk assessment (screening tool)" in
seed 004 §11 is one of these). Every question is answered yes or no with the victim.

Scoring (docs/reviews.md):
- each "yes" scores 1 (so 0–14);
- 0–4 is **standard**, 5–8 **medium**, 9 or more **high**;
- a "yes" to any *critical* question (fear for physical safety, thoughts of self-harm, thinking
  of taking matters into their own hands) makes the level **high** whatever the score, because
  any one of those is an immediate risk of harm that the panel must not wait for (seed 004 §11:
  "should be actioned and should not be unduly delayed until the meeting of the panel").

A high level prompts the SPOC to create an interim action now. The matrix is a screening aid,
not a substitute for judgement: the SPOC's notes travel with it to the panel.
"""

from __future__ import annotations

from dataclasses import dataclass

STANDARD, MEDIUM, HIGH = "standard", "medium", "high"
MEDIUM_FROM = 5
HIGH_FROM = 9


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    hint: str = ""
    critical: bool = False
    #: For a critical question, the finding in words fit for the panel ("The victim fears …").
    finding: str = ""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "hate",
        "Does the victim feel they are targeted because of who they are?",
        "Race, religion, disability, sexual orientation or transgender identity.",
    ),
    Question("previous_victim", "Has the victim or their household been a victim of ASB or crime before?"),
    Question("ongoing", "Is the behaviour still happening, or getting worse?"),
    Question("health_condition", "Does the victim have a physical or mental health condition or disability?"),
    Question("health_affected", "Has the behaviour affected the victim's physical or mental health?"),
    Question("isolated", "Is the victim isolated, living alone or without support from family or friends?"),
    Question(
        "daily_life",
        "Is the victim unable to go about their daily life as they normally would?",
        "For example work, school, shopping, sleep.",
    ),
    Question("afraid_at_home", "Is the victim afraid to go out or to be alone at home?"),
    Question("children", "Are there children in the household who are affected?"),
    Question("considering_moving", "Is the victim thinking about moving home because of the behaviour?"),
    Question("let_down", "Does the victim feel that agencies have not taken them seriously?"),
    Question(
        "physical_safety",
        "Does the victim fear for their own or their family's physical safety?",
        critical=True,
        finding="The victim fears for their own or their family's physical safety.",
    ),
    Question(
        "self_harm",
        "Has the victim had thoughts of harming themselves?",
        critical=True,
        finding="The victim has had thoughts of harming themselves.",
    ),
    Question(
        "retaliation",
        "Is the victim thinking of taking matters into their own hands?",
        critical=True,
        finding="The victim is thinking of taking matters into their own hands.",
    ),
)

QUESTION_CODES = tuple(q.code for q in QUESTIONS)


@dataclass(frozen=True)
class RiskResult:
    score: int
    level: str
    reasons: tuple[str, ...]

    @property
    def prompts_interim_action(self) -> bool:
        return self.level == HIGH


def risk_score(answers: dict[str, bool]) -> RiskResult:
    """Score a complete set of answers. Raises ValueError naming any missing or unknown question."""
    unknown = sorted(set(answers) - set(QUESTION_CODES))
    if unknown:
        raise ValueError(f"unknown risk question(s): {', '.join(unknown)}")
    missing = [code for code in QUESTION_CODES if code not in answers]
    if missing:
        raise ValueError(f"unanswered risk question(s): {', '.join(missing)}")
    score = sum(1 for code in QUESTION_CODES if answers[code])
    critical = [q for q in QUESTIONS if q.critical and answers[q.code]]
    reasons: list[str] = []
    if critical:
        level = HIGH
        reasons.extend(f"High whatever the score: {q.finding}" for q in critical)
    elif score >= HIGH_FROM:
        level = HIGH
    elif score >= MEDIUM_FROM:
        level = MEDIUM
    else:
        level = STANDARD
    reasons.append(
        f"{score} of {len(QUESTIONS)} answered yes (standard 0–{MEDIUM_FROM - 1}, "
        f"medium {MEDIUM_FROM}–{HIGH_FROM - 1}, high {HIGH_FROM} or more)."
    )
    return RiskResult(score=score, level=level, reasons=tuple(reasons))
