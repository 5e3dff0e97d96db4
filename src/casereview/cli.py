"""The `casereview` console script.

`threshold` and `workdays` are the pure core's own commands (contracts §3–4): they run without
Django, so a council can test a policy file without a database. Everything else is a Django
management command (`casereview migrate`, `casereview demo`, `casereview stats`, ...).
"""

import os
import sys

CORE_COMMANDS = {"threshold", "workdays"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in CORE_COMMANDS:
        from casereview.core.cli import main as core_main

        return core_main(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
