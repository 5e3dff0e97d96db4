import pytest

from casereview.reviews.risk import HIGH, MEDIUM, QUESTION_CODES, QUESTIONS, STANDARD, risk_score


def answers(*yes):
    return {code: code in yes for code in QUESTION_CODES}


def test_the_questionnaire_has_ten_to_fifteen_questions_with_unique_codes():
    assert 10 <= len(QUESTIONS) <= 15
    assert len(set(QUESTION_CODES)) == len(QUESTION_CODES)


def test_no_yes_answers_is_standard_risk():
    result = risk_score(answers())
    assert (result.score, result.level) == (0, STANDARD)
    assert not result.prompts_interim_action


@pytest.mark.parametrize(
    ("yes", "level"),
    [
        (("hate", "previous_victim", "ongoing", "isolated"), STANDARD),  # 4
        (("hate", "previous_victim", "ongoing", "isolated", "children"), MEDIUM),  # 5
        (
            (
                "hate",
                "previous_victim",
                "ongoing",
                "isolated",
                "children",
                "daily_life",
                "let_down",
                "considering_moving",
            ),
            MEDIUM,
        ),  # 8
        (
            (
                "hate",
                "previous_victim",
                "ongoing",
                "isolated",
                "children",
                "daily_life",
                "let_down",
                "considering_moving",
                "health_affected",
            ),
            HIGH,
        ),  # 9
    ],
)
def test_score_bands(yes, level):
    result = risk_score(answers(*yes))
    assert result.score == len(yes)
    assert result.level == level


@pytest.mark.parametrize("critical", ["physical_safety", "self_harm", "retaliation"])
def test_a_critical_answer_is_high_risk_whatever_the_score(critical):
    result = risk_score(answers(critical))
    assert result.score == 1
    assert result.level == HIGH
    assert result.prompts_interim_action
    assert any("whatever the score" in reason for reason in result.reasons)


def test_missing_or_unknown_questions_are_refused_by_name():
    incomplete = answers()
    del incomplete["children"]
    with pytest.raises(ValueError, match="children"):
        risk_score(incomplete)
    with pytest.raises(ValueError, match="favourite_colour"):
        risk_score({**answers(), "favourite_colour": True})
