"""docs/architecture/er-diagram.md is generated from the models and never drifts from them (ADR 0038)."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

DIAGRAM = Path(__file__).resolve().parents[1] / "docs" / "architecture" / "er-diagram.md"
REGENERATE = ".venv/bin/casereview er-diagram > docs/architecture/er-diagram.md"


def _generated() -> str:
    out = StringIO()
    call_command("er-diagram", stdout=out)
    return out.getvalue()


def test_the_committed_diagram_matches_the_models():
    assert DIAGRAM.read_text(encoding="utf-8") == _generated(), (
        f"docs/architecture/er-diagram.md is out of date with the models: run `{REGENERATE}` and commit it"
    )


def test_the_diagram_shows_every_table_and_its_keys():
    text = _generated()
    assert REGENERATE in text  # the command to run again stands at the top of the file
    # a table of each app, with its fields and keys
    assert "    applications_Case {" in text  # the case kernel; the review's proxy has no table
    assert "        CharField reference UK" in text
    assert "        ForeignKey partnership FK" in text
    # a required key, an optional one, one to one and many to many
    assert '    accounts_Partnership ||--o{ applications_Case : "partnership"' in text
    assert '    applications_Person |o--o{ applications_Case : "applicant"' in text
    assert '    applications_Case ||--o| apply_OnlineSubmission : "application"' in text
    assert '    panels_PanelMeeting }o--o{ actions_Action : "actions"' in text
    # the whole, then one diagram per app with models
    assert text.count("```mermaid") == text.count("\n## ") > 10
