"""`casereview repeat-callers --as-of DATE [--partnership ID] [--format json]` (contracts §7)."""

from casereview.reports.selectors import repeat_callers_as_of

from ._common import AsOfListCommand


class Command(AsOfListCommand):
    help = "List the callers meeting the local policy's repeat-caller rules as of a date."
    nothing = "repeat callers"

    def found(self, partnership, day):
        return repeat_callers_as_of(partnership, day)

    def row(self, item):
        return f"{item['calls']:>6}  {item['rule']:<20} {item['caller']}"
