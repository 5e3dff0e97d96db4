"""The `casereview` console script.

`threshold` and `workdays` are the pure core's own commands (contracts §3–4): they run without
Django, so a council can test a policy file without a database. Everything else is a Django
management command (`casereview migrate`, `casereview demo`, `casereview stats`, ...).

Bad input never prints a traceback. For the project's own management commands (those in
`casereview.*` apps) this module parses the arguments and runs the command itself, so that:

* a bad argument (argparse's complaint, or a `CommandError` the command raises) is one line on
  standard error, `casereview <command>: <what is wrong>`, and exit status 2;
* anything unexpected is one line naming the kind of failure, and exit status 1 — run it again
  with `--traceback` to see where (for the developer, not the person who typed the command).

Django's own commands (`migrate`, `runserver`, …) keep Django's behaviour.
"""

import os
import sys

CORE_COMMANDS = {"threshold", "workdays"}
EXIT_FAILED = 1
EXIT_USAGE = 2
UNEXPECTED = "unexpected error"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _project_command(name: str):
    """The command object when `name` is one of the project's own management commands, else None."""
    from django.core.management import get_commands, load_command_class

    app = get_commands().get(name)
    if not isinstance(app, str) or not app.startswith("casereview."):
        return None
    return load_command_class(app, name)


def run_project_command(command, argv: list[str]) -> int:
    """`BaseCommand.run_from_argv`, with every failure one line (see the module docstring)."""
    from django.core.management.base import CommandError, handle_default_options

    name = argv[1]
    prefix = f"casereview {name}"
    # Not "called from the command line": CommandParser then raises CommandError instead of
    # printing the usage and exiting, and the error is written here, on one line.
    command._called_from_command_line = False
    parser = command.create_parser(argv[0], name)
    traceback = "--traceback" in argv[2:]
    try:
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        command.execute(*args, **cmd_options)
    except CommandError as error:  # Django's argparse errors become these too
        if traceback:
            raise
        message = str(error).removeprefix("Error: ")
        print(f"{prefix}: {_one_line(message)}", file=sys.stderr)
        return EXIT_USAGE
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as error:
        if traceback:
            raise
        print(
            f"{prefix}: {UNEXPECTED} ({type(error).__name__}); run it again with --traceback to see where",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in CORE_COMMANDS:
        from casereview.core.cli import main as core_main

        return core_main(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        import django

        django.setup()
        command = _project_command(argv[1])
        if command is not None:
            return run_project_command(command, argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
