"""The core's commands word for word (contracts.md §3–4): each refusal's one line on standard error,
the help a council reads, and the decision printed as indented JSON with its own characters.

tests/core/test_cli.py checks exit codes, streams and a word or two of each message; here the
whole line is checked, so a change to one is made on purpose (mutation testing, docs/testing.md).
"""

import io
import json

import pytest

from casereview.core.cli import UsageError, main, threshold_answer
from casereview.core.policy import load_policy

NO_POLICY = (
    "no policy file 'narnia', and no preset of that name "
    "(presets: statutory, west-northamptonshire, islington)"
)
PAST_9999 = "is past the last date the calendar can write (31 December 9999)"


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        ([], "casereview: the following arguments are required: threshold|workdays"),
        (["threshold"], "casereview threshold: the following arguments are required: --policy"),
        (
            ["frobnicate"],
            "casereview frobnicate: argument threshold|workdays: invalid choice: 'frobnicate' "
            "(choose from 'threshold', 'workdays')",
        ),
        (
            ["threshold", "--policy", "narnia"],
            f"casereview threshold: policy error: {NO_POLICY}",
        ),
        (
            ["threshold", "--policy", "statutory", "--input", "/nonexistent/a.json"],
            "casereview threshold: --input: cannot read /nonexistent/a.json: No such file or directory",
        ),
        (["workdays"], "casereview workdays: the following arguments are required: add|between"),
        (["workdays", "add"], "casereview workdays: the following arguments are required: DATE, N"),
        (["workdays", "between"], "casereview workdays: the following arguments are required: START, END"),
        (
            ["workdays", "add", "2025-13-01", "5"],
            "casereview workdays: DATE: not a date (YYYY-MM-DD): '2025-13-01'",
        ),
        (
            ["workdays", "add", "2025-06-02", "five"],
            "casereview workdays: N: not a whole number of working days, 0 or more: 'five'",
        ),
        (
            ["workdays", "add", "2025-06-02", "٣"],  # a digit, but not an ASCII one
            "casereview workdays: N: not a whole number of working days, 0 or more: '٣'",
        ),
        (
            ["workdays", "add", "2025-06-02", "1000000000"],
            f"casereview workdays: N: 1000000000 working days after 2025-06-02 {PAST_9999}",
        ),
        (
            ["workdays", "add", "2025-06-02", "99999999999999999999999999"],
            f"casereview workdays: N: 99999999999999999999 working days after 2025-06-02 {PAST_9999}",
        ),
        (
            ["workdays", "add", "9999-12-30", "5"],
            f"casereview workdays: N: 5 working days after 9999-12-30 {PAST_9999}",
        ),
        (
            ["workdays", "add", "2025-06-02", "5", "--calendar", "scotland"],
            "casereview workdays: --calendar: unknown calendar 'scotland' (known: england-and-wales)",
        ),
        (
            ["workdays", "add", "2025-06-02", "5", "--policy", "narnia"],
            f"casereview workdays: policy error: {NO_POLICY}",
        ),
        (
            ["workdays", "add", "2025-06-02", "5", "--policy", "statutory", "--calendar", "scotland"],
            "casereview workdays: --calendar scotland conflicts with the policy's calendar england-and-wales",
        ),
        (
            ["workdays", "between", "2025-13-01", "2025-06-02"],
            "casereview workdays: START: not a date (YYYY-MM-DD): '2025-13-01'",
        ),
        (
            ["workdays", "between", "2025-06-02", "x"],
            "casereview workdays: END: not a date (YYYY-MM-DD): 'x'",
        ),
    ],
)
def test_each_refusal_is_exactly_one_line(argv, line):
    assert run(*argv) == (2, "", line + "\n")


@pytest.mark.parametrize(
    ("stdin", "line"),
    [
        (
            "{not json",
            "casereview threshold: input: standard input is not valid JSON: Expecting property name "
            "enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        (
            "[" * 100_000,
            "casereview threshold: input: standard input is nested too deeply to be an application",
        ),
        (
            '{"application_date": "2025-01-01", "incidents": [], "x": 1}',
            "casereview threshold: input error: x: unknown field "
            "(expected: application_date, applicant, concerns, senior_manager_request, incidents)",
        ),
    ],
)
def test_each_refusal_of_the_input_is_exactly_one_line(stdin, line):
    assert run("threshold", "--policy", "statutory", stdin=stdin) == (2, "", line + "\n")


def test_an_input_file_is_named_in_its_errors_and_read_as_utf_8(tmp_path):
    path = tmp_path / "application.json"
    path.write_text("{not json", encoding="utf-8")
    assert run("threshold", "--policy", "statutory", "--input", str(path))[2] == (
        f"casereview threshold: input: {path} is not valid JSON: Expecting property name enclosed in "
        "double quotes: line 1 column 2 (char 1)\n"
    )
    path.write_bytes(b"\xff\xfe{}")
    status, out, err = run("threshold", "--policy", "statutory", "--input", str(path))
    assert (status, out) == (2, "")
    assert err.startswith(f"casereview threshold: --input: cannot read {path}: 'utf-8' codec can't decode")
    data = {
        "application_date": "2025-04-15",
        "incidents": [
            {
                "ref": "Caffi’r Gornel",
                "occurred_on": "2025-01-10",
                "reports": [{"agency": "police", "reported_on": "2025-01-12"}],
            }
        ],
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    text = json.dumps(data, ensure_ascii=False)
    assert (
        run("threshold", "--policy", "statutory", "--input", "-", stdin=text)[0] == 0
    )  # "-": standard input
    # The decision is indented JSON, with the application's own characters as they are.
    status, out, err = run("threshold", "--policy", "statutory", "--input", str(path))
    assert (status, err) == (0, "")
    assert out.startswith('{\n  "policy": {\n    "id": "statutory",\n')
    assert "(Caffi’r Gornel)" in out and json.loads(out)["incidents"][0]["ref"] == "Caffi’r Gornel"


@pytest.mark.parametrize(
    ("argv", "text"),
    [
        (
            ["--help"],
            "usage: casereview [-h] threshold|workdays ...\n\nThe ASB Case Review core commands.\n\n"
            "positional arguments:\n  threshold|workdays\n"
            "    threshold         decide whether an application meets a local threshold\n"
            "    workdays          working-day arithmetic\n",
        ),
        (
            ["threshold", "--help"],
            "usage: casereview threshold [-h] --policy ID_OR_PATH [--input FILE]\n\n"
            "options:\n  -h, --help           show this help message and exit\n"
            "  --policy ID_OR_PATH  preset id or policy file\n"
            "  --input FILE         the application as JSON (default: standard input)\n",
        ),
        (
            ["workdays", "--help"],
            "usage: casereview workdays [-h] add|between ...\n\npositional arguments:\n  add|between\n"
            "    add        print the Nth working day after DATE\n"
            "    between    print the working days after START up to and including END\n",
        ),
        (
            ["workdays", "add", "--help"],
            "usage: casereview workdays add [-h] [--calendar NAME] [--policy ID_OR_PATH] DATE N\n\n"
            "positional arguments:\n  DATE\n  N\n\n"
            "options:\n  -h, --help           show this help message and exit\n"
            "  --calendar NAME      default: england-and-wales\n"
            "  --policy ID_OR_PATH  use this policy's calendar and one-off bank holidays\n",
        ),
        (
            ["workdays", "between", "--help"],
            "usage: casereview workdays between [-h] [--calendar NAME] [--policy ID_OR_PATH] START END\n\n"
            "positional arguments:\n  START\n  END\n",
        ),
    ],
)
def test_the_help_a_council_reads(argv, text, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(text)


def test_the_answer_read_elsewhere_names_standard_input_by_default():
    # `make bench` (and any caller with text in hand) calls threshold_answer without a source.
    with pytest.raises(UsageError) as raised:
        threshold_answer(load_policy("statutory"), "{not json")
    assert str(raised.value).startswith("input: standard input is not valid JSON: ")


def test_input_nested_to_the_decoders_limit_is_refused_in_words_never_with_an_empty_message():
    # Near Python's recursion limit the JSON decoder may accept a value our reading then cannot
    # describe: whichever of the two fails, the refusal says so in words.
    for depth in range(950, 1001):
        text = '{"application_date": ' + "[" * depth + "]" * depth + ', "incidents": []}'
        with pytest.raises(UsageError) as raised:
            threshold_answer(load_policy("statutory"), text)
        message = str(raised.value)
        assert message.startswith("input error: application_date: not a date (YYYY-MM-DD): [[[") or (
            message == "input: standard input is nested too deeply to be an application"
        ), (depth, message[:80])


def test_an_unreadable_installation_holiday_file_is_named_without_blaming_the_calendar(tmp_path, monkeypatch):
    missing = tmp_path / "none.txt"
    monkeypatch.setenv("CASEREVIEW_EXTRA_BANK_HOLIDAYS", str(missing))
    assert run("workdays", "add", "2025-06-02", "5") == (
        2,
        "",
        f"casereview workdays: policy error: CASEREVIEW_EXTRA_BANK_HOLIDAYS: cannot read {missing}: "
        "No such file or directory\n",
    )


def test_without_argv_the_command_line_is_read_from_sys_argv(monkeypatch, capsys):
    # `python -m casereview.core.cli workdays add ...`: argv[0] is the program, the rest the command.
    monkeypatch.setattr("sys.argv", ["casereview/core/cli.py", "workdays", "add", "2025-06-02", "5"])
    assert main() == 0
    assert capsys.readouterr() == ("2025-06-09\n", "")


def test_an_option_before_any_command_is_not_named_as_the_command():
    assert run("--policy", "statutory") == (
        2,
        "",
        "casereview: argument threshold|workdays: invalid choice: 'statutory' (choose from 'threshold', "
        "'workdays')\n",
    )


def test_a_fault_that_is_not_the_callers_is_one_line_on_standard_error_with_status_1():
    # Standard input already closed: not bad input, a fault the command cannot name (never a traceback).
    closed = io.StringIO()
    closed.close()
    out, err = io.StringIO(), io.StringIO()
    status = main(["threshold", "--policy", "statutory"], stdin=closed, stdout=out, stderr=err)
    assert (status, out.getvalue(), err.getvalue()) == (
        1,
        "",
        "casereview threshold: unexpected error (ValueError) on this input\n",
    )
