"""`casereview hotspots --as-of DATE [--partnership ID] [--format json]` (contracts §7)."""

from casereview.reports.selectors import hotspots_as_of

from ._common import AsOfListCommand


class Command(AsOfListCommand):
    help = "List the hotspots of the local policy as of a date, largest first."
    nothing = "hotspots"

    def found(self, partnership, day):
        return hotspots_as_of(partnership, day)

    def row(self, item):
        return f"{item['reports']:>6}  {item['location']}"
