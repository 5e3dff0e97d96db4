"""The pure core: the law and the local procedures, with no Django and no clock.

Everything that decides something about a case lives here, as pure functions over frozen
dataclasses, so it can be read next to the statute and tested in milliseconds on any date.
The Django apps call it; it never calls them ("today" is always an argument).

Where things are:

- ``periods``    "a period of N months beginning with D", "within 28 days from D" (``Duration``)
- ``calendar``   working days and England and Wales bank holidays (``get_calendar``)
- ``policy``     a partnership's procedure as a TOML file, validated (``load_policy``, ``Policy``)
- ``threshold``  the threshold decision and its explanation (``parse_threshold_input``, ``decide``)
- ``escalation`` the overdue-action ladder (``escalations_reached``)
- ``hotspots``   hotspots and repeat callers, the reference rules (``hotspots``, ``repeat_callers``)
- ``panels``     is a review panel quorate (``quorum_shortfalls``)
- ``vocabulary`` the fixed codes shared with the database and partner systems
- ``cli``        ``casereview threshold`` and ``casereview workdays``
- ``presets/``   the ``statutory``, ``west-northamptonshire`` and ``islington`` policies

docs/policies.md is the guide for a council writing its own policy; ADR 0002 records why the core
is built this way.
"""
