"""docs/configuration.md lists every environment variable settings.py reads, so a council's
engineer can configure the service from one page."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_the_settings_read_is_documented():
    settings = (ROOT / "src" / "casereview" / "settings.py").read_text()
    read = set(re.findall(r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z][A-Z0-9_]+)"', settings))
    assert {"DJANGO_SECRET_KEY", "CASEREVIEW_PROXY_COUNT", "DJANGO_EMAIL_HOST"} <= read
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "docs" / "configuration.md").read_text()))
    assert sorted(read - documented) == []
