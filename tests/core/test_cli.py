"""``casereview threshold`` and ``casereview workdays`` (contracts.md §3–4), exit codes and streams.

Most tests call ``main()`` in-process with captured streams (fast); a few run the real command in
a subprocess, through the console script's module, to prove the wiring.
"""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from casereview.core.cli import main

ROOT = Path(__file__).parents[2]
GOOD_INPUT = {
    "application_date": "2025-04-15",
    "applicant": {"anonymous": False, "on_behalf_of_victim": False, "victim_consent": None},
    "concerns": [],
    "senior_manager_request": False,
    "incidents": [
        {
            "ref": "I1",
            "occurred_on": "2025-01-10",
            "hate": False,
            "diary_sheet": False,
            "action_group": False,
            "reports": [{"agency": "police", "reported_on": "2025-01-12", "reporter": "victim"}],
        }
    ],
}


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def assert_usage_error(result, *words: str) -> None:
    status, out, err = result
    assert status == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    for word in words:
        assert word in err


class TestThreshold:
    def test_reads_standard_input_and_prints_the_decision(self):
        status, out, err = run("threshold", "--policy", "west-northamptonshire", stdin=json.dumps(GOOD_INPUT))
        assert (status, err) == (0, "")
        result = json.loads(out)
        assert result["policy"] == {"id": "west-northamptonshire", "version": "2024-09-16"}
        assert (result["outcome"], result["qualifying_complaints"]) == ("not_met", 1)

    def test_reads_a_file(self, tmp_path):
        path = tmp_path / "application.json"
        path.write_text(json.dumps(GOOD_INPUT))
        status, out, _ = run("threshold", "--policy", "islington", "--input", str(path))
        assert status == 0 and json.loads(out)["policy"]["id"] == "islington"

    def test_a_policy_file_by_path(self, tmp_path):
        text = (ROOT / "src/casereview/core/presets/statutory.toml").read_text()
        path = tmp_path / "horsham.toml"
        path.write_text(text.replace('id = "statutory"', 'id = "horsham"').replace('"1 month"', '"7 days"'))
        status, out, _ = run("threshold", "--policy", str(path), stdin=json.dumps(GOOD_INPUT))
        assert status == 0 and json.loads(out)["policy"]["id"] == "horsham"

    def test_exit_status_is_0_whatever_the_outcome(self):
        data = dict(GOOD_INPUT, applicant={"anonymous": True})
        status, out, _ = run("threshold", "--policy", "statutory", stdin=json.dumps(data))
        assert status == 0 and json.loads(out)["outcome"] == "ineligible"

    def test_bad_input_names_the_field(self):
        data = json.loads(json.dumps(GOOD_INPUT))
        data["incidents"][0]["reports"][0]["reported_on"] = "2025-13-01"
        assert_usage_error(
            run("threshold", "--policy", "statutory", stdin=json.dumps(data)),
            "incidents[0].reports[0].reported_on: not a date (YYYY-MM-DD): '2025-13-01'",
        )

    def test_a_missing_field(self):
        data = {k: v for k, v in GOOD_INPUT.items() if k != "application_date"}
        assert_usage_error(
            run("threshold", "--policy", "statutory", stdin=json.dumps(data)), "application_date"
        )

    def test_a_report_before_its_incident(self):
        data = json.loads(json.dumps(GOOD_INPUT))
        data["incidents"][0]["reports"][0]["reported_on"] = "2025-01-01"
        assert_usage_error(
            run("threshold", "--policy", "statutory", stdin=json.dumps(data)), "before the incident"
        )

    def test_not_json(self):
        assert_usage_error(run("threshold", "--policy", "statutory", stdin="{not json"), "not valid JSON")

    def test_a_bad_policy_file_names_the_key(self, tmp_path):
        text = (ROOT / "src/casereview/core/presets/statutory.toml").read_text()
        path = tmp_path / "bad.toml"
        path.write_text(text.replace("min_qualifying_complaints = 3", "min_qualifying_complaints = 5"))
        assert_usage_error(
            run("threshold", "--policy", str(path), stdin=json.dumps(GOOD_INPUT)),
            "threshold.min_qualifying_complaints",
        )

    def test_an_unknown_policy(self):
        assert_usage_error(run("threshold", "--policy", "narnia", stdin="{}"), "narnia")

    def test_an_unreadable_input_file(self, tmp_path):
        assert_usage_error(
            run("threshold", "--policy", "statutory", "--input", str(tmp_path / "none.json")), "--input"
        )

    @pytest.mark.parametrize("argv", [[], ["threshold"], ["threshold", "--polcy", "x"], ["frobnicate"]])
    def test_argparse_usage_errors_are_one_line_and_exit_2(self, argv):
        assert_usage_error(run(*argv))


class TestWorkdays:
    @pytest.mark.parametrize(
        ("argv", "printed"),
        [
            (["add", "2025-06-02", "5"], "2025-06-09"),
            (["add", "2022-09-15", "5"], "2022-09-23"),
            (["add", "2025-06-02", "0"], "2025-06-02"),
            (["add", "2025-06-02", "5", "--calendar", "england-and-wales"], "2025-06-09"),
            (["between", "2025-06-02", "2025-06-09"], "5"),
            (["between", "2022-09-15", "2022-09-23"], "5"),
            (["between", "2025-06-09", "2025-06-02"], "-5"),
            (["add", "2025-06-02", "5", "--policy", "west-northamptonshire"], "2025-06-09"),
        ],
    )
    def test_prints_one_answer(self, argv, printed):
        assert run("workdays", *argv) == (0, printed + "\n", "")

    @pytest.mark.parametrize(
        ("argv", "words"),
        [
            (["add", "2025-13-01", "5"], "DATE: not a date"),
            (["add", "2025-06-02", "five"], "N: not a whole number"),
            (["add", "2025-06-02", "-1"], "N: not a whole number"),
            (["add", "2025-06-02", "5", "--calendar", "scotland"], "--calendar: unknown calendar 'scotland'"),
            (["between", "2025-06-02", "tomorrow"], "END: not a date"),
            (["between", "2025-06-02"], "END"),
            (["subtract", "2025-06-02", "5"], "subtract"),
        ],
    )
    def test_bad_arguments(self, argv, words):
        assert_usage_error(run("workdays", *argv), words)

    def test_one_off_bank_holidays_from_the_environment(self, tmp_path, monkeypatch):
        path = tmp_path / "extra.txt"
        path.write_text("2027-06-04\n")
        monkeypatch.setenv("CASEREVIEW_EXTRA_BANK_HOLIDAYS", str(path))
        assert run("workdays", "add", "2027-06-03", "1") == (0, "2027-06-07\n", "")


class TestTheRealCommand:
    def _run(self, module: str, *argv: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", module, *argv],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def test_the_console_script_dispatches_workdays(self):
        result = self._run("casereview.cli", "workdays", "add", "2025-06-02", "5")
        assert (result.returncode, result.stdout, result.stderr) == (0, "2025-06-09\n", "")

    def test_threshold_end_to_end(self):
        result = self._run(
            "casereview.core.cli",
            "threshold",
            "--policy",
            "west-northamptonshire",
            stdin=json.dumps(GOOD_INPUT),
        )
        assert result.returncode == 0 and json.loads(result.stdout)["outcome"] == "not_met"

    def test_bad_input_end_to_end(self):
        result = self._run(
            "casereview.core.cli", "threshold", "--policy", "statutory", stdin='{"incidents": []}'
        )
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr.splitlines() == ["casereview threshold: input error: application_date: missing"]
