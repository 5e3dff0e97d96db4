"""Judge a pip-audit JSON report: fail on any known vulnerability; warn (and pass) when the
vulnerability service could not be reached or knew none of the packages.

CI here may reach PyPI's package index but not its per-release JSON API (where pip-audit's `pypi`
service reads advisories) nor OSV. pip-audit then reports every package as "could not be audited"
and exits 0; that is not a clean bill of health, so it is said loudly — but it must not block CI,
while a vulnerability actually found must.

Usage: python .ci/dependency_audit.py REPORT.json [PIP_AUDIT_EXIT_CODE]
Exit: 0 clean or unreachable (with a warning), 1 vulnerabilities found.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def judge(report: dict | None, exit_code: int) -> tuple[int, str]:
    if report is None:
        return (
            0,
            f"WARNING: pip-audit did not produce a report (exit {exit_code}); the vulnerability service "
            "is unreachable. Dependencies NOT audited.",
        )
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    if vulnerable:
        lines = [
            f"  {d['name']} {d.get('version', '')}: "
            + ", ".join(
                f"{v['id']} (fixed in {', '.join(v.get('fix_versions') or ['no release yet'])})"
                for v in d["vulns"]
            )
            for d in vulnerable
        ]
        return 1, "Known vulnerabilities in pinned dependencies:\n" + "\n".join(lines)
    audited = [d for d in dependencies if "skip_reason" not in d]
    skipped = len(dependencies) - len(audited)
    if not audited:
        return 0, (
            f"WARNING: none of the {skipped} dependencies could be audited (the vulnerability service is "
            "unreachable from here). Run `pip-audit` where PyPI's JSON API is reachable."
        )
    note = f" ({skipped} could not be audited)" if skipped else ""
    return 0, f"No known vulnerabilities in {len(audited)} audited dependencies{note}."


def main(argv: list[str]) -> int:
    path = Path(argv[1])
    exit_code = int(argv[2]) if len(argv) > 2 else 0
    try:
        report = json.loads(path.read_text())
    except (OSError, ValueError):
        report = None
    status, message = judge(report, exit_code)
    print(message)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
