"""Bad input on the command line never prints a traceback (issue 13).

Every command — the core's `threshold` and `workdays`, and every management command of the
project's own apps, found at run time so a new one is covered too — is driven with generated
arguments: its own options with good and bad values, dates real and impossible, huge numbers,
missing, empty, binary and deeply nested files. Each run must end with exit status 0, 1 or 2, no
traceback, and no "unexpected error" (the last line of defence in `casereview.cli` must never be
what catches bad input: it is there for our faults, which this test exists to find).
"""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import get_commands
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casereview.cli import UNEXPECTED, main

PROJECT_COMMANDS = sorted(name for name, app in get_commands().items() if app.startswith("casereview."))
ALL_COMMANDS = ["threshold", "workdays", *PROJECT_COMMANDS]
# `demo` with no arguments loads the whole demo: a real run, slow, and proven by its own tests.
NEEDS_AN_ARGUMENT = {"demo"}

OPTIONS = {
    "threshold": ["--policy", "--input"],
    "workdays": ["add", "between", "--calendar", "--policy"],
}


def _option_strings(command: str) -> list[str]:
    if command in OPTIONS:
        return OPTIONS[command]
    from django.core.management import load_command_class

    parser = load_command_class(get_commands()[command], command).create_parser("casereview", command)
    return sorted(
        {
            option
            for action in parser._actions
            for option in action.option_strings
            if option not in {"-h", "--help", "--traceback", "--pythonpath", "--settings", "--version"}
        }
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-input")
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (folder / "deep-object.json").write_text('{"a":' * 50_000 + "1" + "}" * 50_000)
    (folder / "empty.csv").write_text("")
    (folder / "binary.bin").write_bytes(bytes(range(256)) * 4)
    (folder / "list.json").write_text(json.dumps([1, 2, 3]))
    (folder / "reports.csv").write_text("reference,reported_on\n,\nx,2026-13-45\n")
    (folder / "policy.toml").write_text('id = "x"\n[threshold\n')
    return [str(path) for path in sorted(folder.iterdir())] + [str(folder), str(folder / "missing.json")]


def _values(files: list[str]):
    return st.one_of(
        st.sampled_from(
            [
                "2026-01-01",
                "2026-02-30",
                "0001-01-01",
                "9999-12-31",
                "99999-01-01",
                "10000000",
                "-1",
                "0",
                "1e309",
                "9" * 5000,
                "²",
                "statutory",
                "islington",
                "west-northamptonshire",
                "json",
                "csv",
                "text",
                "police-uk",
                "reports",
                "england-and-wales",
                "nowhere",
                "",
                " ",
                "\x00",
                "--",
                "-",
            ]
        ),
        st.sampled_from(files),
        st.text(max_size=30),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    )


def _run(argv: list[str], stdin: str, capsys, monkeypatch) -> tuple[int, str, str]:
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        status = main(["casereview", *argv])
    except SystemExit as exit_:  # argparse's --help, or a command's own sys.exit
        code = exit_.code
        status = code if isinstance(code, int) else (0 if code is None else 1)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.django_db
@pytest.mark.parametrize("command", ALL_COMMANDS)
def test_every_command_survives_generated_arguments(command, files, capsys, monkeypatch):
    options = _option_strings(command)
    values = _values(files)
    token = st.one_of(st.sampled_from(options), values) if options else values
    minimum = 1 if command in NEEDS_AN_ARGUMENT else 0
    stdin_text = st.one_of(st.just(""), st.just("[" * 50_000), st.text(max_size=50), st.just("{}"))

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(arguments=st.lists(token, min_size=minimum, max_size=6), stdin=stdin_text)
    def check(arguments, stdin):
        if command in NEEDS_AN_ARGUMENT and all(a.startswith("-") for a in arguments):
            arguments = [*arguments, "unexpected-argument"]
        status, _out, err = _run([command, *arguments], stdin, capsys, monkeypatch)
        assert "Traceback" not in err, err
        assert UNEXPECTED not in err, (arguments, err)
        assert status in {0, 1, 2}, (arguments, status, err)
        if status == 2:
            lines = [line for line in err.splitlines() if line.strip()]
            assert len(lines) == 1, (arguments, err)
            assert lines[0].startswith(f"casereview {command}"), err

    check()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "argv, names",
    [
        (["workdays", "add", "2026-01-01", "10000000"], "N"),
        (["workdays", "add", "2026-02-30", "5"], "DATE"),
        (["workdays", "between", "2026-01-01", "tomorrow"], "END"),
        (["threshold", "--policy", "statutory", "--input", "{deep}"], "input"),
        (["threshold", "--policy", "statutory", "--input", "/no/such/file.json"], "--input"),
        (["stats", "--from", "2026-01-01", "--to", "2026-13-01"], "--to"),
        (["hotspots", "--as-of", "99999-01-01"], "--as-of"),
        (["repeat-callers"], "--as-of"),
        (["import-reports", "--format", "reports", "/no/such/file.csv"], "FILE"),
        (["sweep", "--today", "2026-02-30"], "--today"),
        (["retention", "--dry-run", "--as-of", "yesterday"], "--as-of"),
        (["stats", "--format", "xml"], "--format"),
    ],
)
def test_a_bad_argument_is_one_line_naming_it_and_exit_2(argv, names, files, capsys, monkeypatch):
    deep = next(path for path in files if path.endswith("deep.json"))
    argv = [deep if arg == "{deep}" else arg for arg in argv]
    status, out, err = _run(argv, "", capsys, monkeypatch)
    assert status == 2, err
    assert err.count("\n") == 1 and err.startswith(f"casereview {argv[0]}: "), err
    assert names in err
    assert "Traceback" not in err
