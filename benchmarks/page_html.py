"""Each staff list's HTML, saved to compare two versions of the code byte for byte (issue 14: a
change that makes a page cheaper must not change what it shows).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cr_pages .venv/bin/python -m benchmarks.page_html /tmp/a
    … (change the code) …
    DATABASE_URL=… .venv/bin/python -m benchmarks.page_html /tmp/b
    diff -r /tmp/a /tmp/b                         # nothing: the same pages

It uses the database the page benchmark generated (`BENCH_ONLY=pages make bench` first), signs in
as the benchmark does (`pages.sign_in_users`: a community safety manager), and also as an agency
officer of the police and signed out (`pages.staff_user`; the officer is made once, with a session
like the benchmark's), then GETs the benchmark's list addresses and their filtered, sorted, paged
and invalid variants, and a few other pages on the same layout (staff and public, English and
Welsh), with Django's test client and the server's settings. Each answer is written to DIR as
`<user>__<address>.html`, its status first; the CSRF tokens, which differ on every request, are
blanked. Run both versions on the same day (the lists show deadlines as of today).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cr_pages")
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.page_settings"
os.environ.pop("DJANGO_DEBUG", None)

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')

CASE_LIST = [
    "/cases/",
    "/cases/?page=2",
    "/cases/?page=17",
    "/cases/?page=last",
    "/cases/?page=999",
    "/cases/?sort=received_oldest",
    "/cases/?sort=due",
    "/cases/?clock=overdue&sort=due",
    "/cases/?clock=overdue&sort=due&page=2",
    "/cases/?clock=due_today",
    "/cases/?clock=overdue&status=monitoring",
    "/cases/?status=in_review",
    "/cases/?status=closed&page=3",
    "/cases/?channel=phone",
    "/cases/?channel=online&sort=received_oldest",
    "/cases/?q=BX-00000",
    "/cases/?q=nobody-at-all",
    "/cases/?status=not-a-status",
    "/cases/?sort=sideways&clock=never",
]
ACTIONS = [
    "/actions/",
    "/actions/?show=overdue",
    "/actions/?show=open",
    "/actions/?show=open&page=2",
    "/actions/?show=due_soon",
    "/actions/?show=closed",
    "/actions/?show=all&sort=escalation",
    "/actions/?show=all&sort=case&page=3",
    "/actions/?show=overdue&case=BX-0000020",
    "/actions/?show=open&agency=999999",
    "/actions/?show=nonsense&sort=nonsense",
]
REPORT_LOG = [
    "/reports/",
    "/reports/?page=3",
    "/reports/?page=9999",
    "/reports/?channel=police_101",
    "/reports/?status=closed&hate=yes",
    "/reports/?hate=no&page=2",
    "/reports/?date_from=2020-01-01&date_to=2021-06-30",
    "/reports/?date_from=not-a-date",
    "/reports/?location=Road&category=noise",
    "/reports/?team=999999",
    "/reports/?channel=nonsense",
]
OTHER_STAFF = ["/notices/", "/reviews/", "/panels/", "/people/", "/statistics/"]
PUBLIC = ["/apply/", "/statistics/", "/account/sign-in/"]


def _name(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9=_-]+", "_", path.strip("/")) or "root"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        raise SystemExit(__doc__)
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.test import Client

    from benchmarks import pages
    from casereview.accounts.models import Agency, Membership, Partnership, Role
    from casereview.reports.models import Team

    partnership = Partnership.objects.get(slug="west-northamptonshire")
    agencies = list(
        Agency.objects.filter(partnership=partnership).order_by("pk").values_list("pk", flat=True)
    )
    teams = list(Team.objects.filter(partnership=partnership).order_by("pk").values_list("pk", flat=True))
    extra_actions = [f"/actions/?show=all&agency={pk}" for pk in agencies[:2]]
    extra_log = [f"/reports/?agency={pk}" for pk in agencies[:2]] + [
        f"/reports/?team={pk}" for pk in teams[:1]
    ]

    (manager,) = pages.sign_in_users(partnership, 1)
    officer_user = pages.staff_user(partnership, "bench-officer", Role.AGENCY_OFFICER, first_name="Officer")
    police = Agency.objects.filter(partnership=partnership, name__icontains="police").order_by("pk").first()
    Membership.objects.filter(user=officer_user, partnership=partnership).update(agency=police)
    officer = _session_for(officer_user)

    users = {
        "manager": (manager, CASE_LIST + ACTIONS + extra_actions + REPORT_LOG + extra_log + OTHER_STAFF),
        "officer": (officer, CASE_LIST[:4] + ACTIONS[:3] + REPORT_LOG[:3] + OTHER_STAFF[:2]),
        "public": (None, PUBLIC),
        "public-cy": (None, PUBLIC),
    }
    written = 0
    for who, (cookie, paths) in users.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="cy") if who == "public-cy" else Client()
        if cookie:
            client.cookies["sessionid"] = cookie
        for path in paths:
            response = client.get(path, HTTP_HOST="127.0.0.1")
            body = response.content.decode() if response.status_code == 200 else ""
            text = f"{response.status_code} {response.get('Location', '')}\n" + CSRF.sub(r"\1-\2", body)
            (out / f"{who}__{_name(path)}.html").write_text(text)
            written += 1
    print(f"{written} pages written to {out}")
    return 0


def _session_for(user) -> str:
    """A session for ``user`` with the second factor verified, as `pages.sign_in_users` makes."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from casereview.accounts.middleware import IdleTimeoutMiddleware

    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "casereview.accounts.backends.ModelPermissionBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[IdleTimeoutMiddleware.SESSION_KEY] = timezone.now().timestamp()
    session.create()
    return session.session_key


if __name__ == "__main__":
    sys.exit(main())
