"""The CI dependency audit's verdict (.ci/dependency_audit.py): a found vulnerability fails CI; an
unreachable vulnerability service warns without failing."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "dependency_audit.py"
spec = importlib.util.spec_from_file_location("dependency_audit", SCRIPT)
dependency_audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dependency_audit)


def test_a_known_vulnerability_fails_ci():
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}],
            },
            {"name": "rules", "version": "3.5", "vulns": []},
        ]
    }
    status, message = dependency_audit.judge(report, 1)
    assert status == 1
    assert "django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in message


def test_an_unreachable_service_warns_but_passes():
    report = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
    status, message = dependency_audit.judge(report, 0)
    assert status == 0 and message.startswith("WARNING: none of the 1 dependencies could be audited")
    status, message = dependency_audit.judge(None, 1)
    assert status == 0 and "NOT audited" in message


def test_a_clean_audit_passes_and_says_what_was_checked():
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "x", "skip_reason": "y"},
        ]
    }
    assert dependency_audit.judge(report, 0) == (
        0,
        "No known vulnerabilities in 1 audited dependencies (1 could not be audited).",
    )
