"""Settings for the page benchmark's server: the product's own, plus one trivial page (a constant
behind the full middleware and a signed-in session) to compare every page with."""

from casereview.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.page_urls"
