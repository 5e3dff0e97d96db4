"""``casereview threshold`` and ``casereview workdays`` (contracts.md §3–4).

These run without Django, so a council can test its policy file on a laptop. The console script
(casereview/cli.py) hands over ``argv[1:]``, which starts with the command name; so does
``python -m casereview.core.cli threshold ...``.

The error contract, for scripts that call these: on bad input, a bad policy file or a bad command
line, exit status 2 with exactly one line on standard error naming the field or key, and nothing on
standard output. Success is status 0 — for ``threshold`` whatever the outcome, which is in the JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from json.encoder import encode_basestring as _encode_string
from typing import NoReturn, TextIO

from casereview.core.calendar import DEFAULT_CALENDAR, get_calendar
from casereview.core.dates import parse_iso_date
from casereview.core.errors import InputError, PolicyError
from casereview.core.policy import load_policy
from casereview.core.threshold import decide, parse_threshold_input

EXIT_OK = 0
EXIT_FAILED = 1  # a fault of ours, not of the input (the tests drive every command to find none)
EXIT_USAGE = 2  # bad input, policy or arguments: the caller must fix something


class UsageError(Exception):
    """A problem the person running the command must fix; its message is one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors become a ``UsageError`` (one line, exit 2) instead of usage text."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="casereview", description="The ASB Case Review core commands.")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="threshold|workdays", parser_class=_Parser
    )

    threshold = commands.add_parser("threshold", help="decide whether an application meets a local threshold")
    threshold.add_argument("--policy", required=True, metavar="ID_OR_PATH", help="preset id or policy file")
    threshold.add_argument(
        "--input", metavar="FILE", help="the application as JSON (default: standard input)"
    )

    workdays = commands.add_parser("workdays", help="working-day arithmetic")
    actions = workdays.add_subparsers(
        dest="action", required=True, metavar="add|between", parser_class=_Parser
    )
    add = actions.add_parser("add", help="print the Nth working day after DATE")
    add.add_argument("date", metavar="DATE")
    add.add_argument("count", metavar="N")
    between = actions.add_parser("between", help="print the working days after START up to and including END")
    between.add_argument("start", metavar="START")
    between.add_argument("end", metavar="END")
    for sub in (add, between):
        sub.add_argument("--calendar", default=None, metavar="NAME", help=f"default: {DEFAULT_CALENDAR}")
        sub.add_argument(
            "--policy",
            default=None,
            metavar="ID_OR_PATH",
            help="use this policy's calendar and one-off bank holidays",
        )
    return parser


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _date_argument(name: str, text: str):
    try:
        return parse_iso_date(text)
    except ValueError as error:
        raise UsageError(f"{name}: {error}") from None


def _threshold(args: argparse.Namespace, stdin: TextIO) -> str:
    try:
        policy = load_policy(args.policy)
    except PolicyError as error:
        raise UsageError(f"policy error: {error}") from None
    if args.input in (None, "-"):
        text, source = stdin.read(), "standard input"
    else:
        try:
            with open(args.input, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(
                f"--input: cannot read {args.input}: {getattr(error, 'strerror', None) or error}"
            ) from None
        source = args.input
    return threshold_answer(policy, text, source=source)


def threshold_answer(policy, text: str, *, source: str = "standard input") -> str:
    """JSON in, JSON out (contracts §3): the path `make bench` times for a victim with 500 reports.
    The input is read and checked in one pass (threshold.parse_threshold_input)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"input: {source} is not valid JSON: {error}") from None
    except RecursionError:
        raise UsageError(f"input: {source} is nested too deeply to be an application") from None
    try:
        decision = decide(policy, parse_threshold_input(data))
    except InputError as error:
        raise UsageError(f"input error: {error}") from None
    except RecursionError:
        raise UsageError(f"input: {source} is nested too deeply to be an application") from None
    return dumps_indented(decision.to_dict())


class _Unusual(Exception):
    """A value ``dumps_indented`` does not write itself: ``json.dumps`` writes the whole answer."""


def dumps_indented(value: object) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, character for character, but quicker.

    With ``indent`` the standard library falls back from its C encoder to a generator per nested
    value in Python: for 500 reports that was a seventh of the threshold path (issue 14). This
    writes dicts with string keys, lists and tuples, strings (with the C string encoder), booleans,
    None and plain ints; anything else (a float, a subclass, a non-string key) is left to
    ``json.dumps`` for the whole value. tests/core/test_cli_words.py compares the two.
    """
    parts: list[str] = []
    try:
        _write(value, "\n", parts)
    except _Unusual:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return "".join(parts)


_SCALARS = {True: "true", False: "false", None: "null"}


def _write(value: object, newline: str, parts: list[str]) -> None:
    """Append ``value``'s JSON to ``parts``; ``newline`` is a newline and the current indent."""
    kind = type(value)
    if kind is dict:
        if not value:
            parts.append("{}")
            return
        inner = newline + "  "
        separator, comma = "{" + inner, "," + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            kind = type(item)
            if kind is str:  # most values: no call
                parts.append(f"{separator}{_encode_string(key)}: {_encode_string(item)}")
            elif kind is bool:
                parts.append(f"{separator}{_encode_string(key)}: {'true' if item else 'false'}")
            else:
                parts.append(f"{separator}{_encode_string(key)}: ")
                _write(item, inner, parts)
            separator = comma
        parts.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        comma = "," + inner
        try:  # a list of strings (an incident's reasons): one join
            parts.append(f"[{inner}{comma.join(map(_encode_string, value))}{newline}]")
            return
        except TypeError:  # an item is not a string (the string encoder refuses it): one by one
            pass
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            _write(item, inner, parts)
            separator = comma
        parts.append(newline + "]")
    elif kind is str:
        parts.append(_encode_string(value))
    elif kind is bool or value is None:
        parts.append(_SCALARS[value])
    elif kind is int:
        parts.append(int.__repr__(value))
    else:
        raise _Unusual


def _workdays(args: argparse.Namespace) -> str:
    try:
        if args.policy is not None:
            policy = load_policy(args.policy)
            if args.calendar not in (None, policy.calendar):
                raise UsageError(
                    f"--calendar {args.calendar} conflicts with the policy's calendar {policy.calendar}"
                )
            calendar = policy.working_calendar()
        else:
            calendar = get_calendar(args.calendar or DEFAULT_CALENDAR)
    except PolicyError as error:
        if error.key == "calendar" and args.policy is None:
            raise UsageError(f"--calendar: {error.problem}") from None
        raise UsageError(f"policy error: {error}") from None
    if args.action == "add":
        start = _date_argument("DATE", args.date)
        if not (args.count.isascii() and args.count.isdigit()):
            raise UsageError(f"N: not a whole number of working days, 0 or more: {args.count!r}")
        try:
            if len(args.count) > 9:  # a billion working days is long past 9999 from any date
                raise OverflowError
            return calendar.add_working_days(start, int(args.count)).isoformat()
        except OverflowError:
            raise UsageError(
                f"N: {args.count[:20]} working days after {start.isoformat()} is past the last date "
                "the calendar can write (31 December 9999)"
            ) from None
    start, end = _date_argument("START", args.start), _date_argument("END", args.end)
    return str(calendar.working_days_between(start, end))


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run ``threshold`` or ``workdays``; ``argv`` starts with the command name. Returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    command = f"casereview {argv[0]}" if argv and not argv[0].startswith("-") else "casereview"
    try:
        args = _build_parser().parse_args(argv)
        output = _threshold(args, stdin) if args.command == "threshold" else _workdays(args)
    except UsageError as error:
        print(f"{command}: {_one_line(str(error))}", file=stderr)
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - a last line of defence: never a traceback
        print(f"{command}: unexpected error ({type(error).__name__}) on this input", file=stderr)
        return EXIT_FAILED
    print(output, file=stdout)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
