"""A partnership's own policy file is found under CASEREVIEW_POLICY_DIR, not wherever the service
happened to be started."""

from importlib import resources

import pytest

from casereview.accounts.models import Partnership


@pytest.mark.django_db
def test_a_relative_policy_file_is_read_from_the_policy_folder(settings, tmp_path, monkeypatch):
    statutory = resources.files("casereview.core.presets").joinpath("statutory.toml").read_text("utf-8")
    (tmp_path / "horsham.toml").write_text(
        statutory.replace('name = "', 'name = "Horsham: ', 1), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path.parent)  # not the folder the file is in
    settings.CASEREVIEW_POLICY_DIR = str(tmp_path)
    partnership = Partnership(slug="horsham", name="Horsham", policy_ref="horsham.toml")
    assert partnership.policy_path() == str(tmp_path / "horsham.toml")
    assert partnership.policy.name.startswith("Horsham: ")
    # A preset id and an absolute path are used as they are.
    assert Partnership(slug="a", name="A", policy_ref="islington").policy_path() == "islington"
    absolute = str(tmp_path / "horsham.toml")
    assert Partnership(slug="b", name="B", policy_ref=absolute).policy_path() == absolute
