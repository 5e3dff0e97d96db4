"""The two kinds of error the core raises for a person to read.

Both carry the *name of the thing that was wrong* (a policy key or an input field) separately from
the message, so a caller can point at it: a web form highlights the field, the command line prints
one line naming it (contracts.md §2–3: errors "name the key" / "name the field").
"""


class PolicyError(ValueError):
    """A local policy file (or a setting the calendar reads) is not valid.

    ``key`` is the dotted path of the offending setting, e.g. ``"threshold.min_qualifying_complaints"``
    or ``"deadlines.acknowledge.within"``; ``source`` says which file, when known.
    """

    def __init__(self, key: str, problem: str, *, source: str | None = None) -> None:
        self.key = key
        self.problem = problem
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.key}: {self.problem}" if self.key else f"{where}{self.problem}"


class InputError(ValueError):
    """The facts given for a threshold decision are malformed.

    ``field`` is the path of the offending field in the JSON input, e.g.
    ``"incidents[1].reports[0].reported_on"``.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}" if self.field else self.problem
