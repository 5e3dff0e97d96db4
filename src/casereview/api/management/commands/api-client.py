"""`casereview api-client create|rotate|revoke|list` (contracts §8, docs/api.md).

    casereview api-client create --partnership ID --agency NAME --scopes "SCOPE …" [--rate 600/min]
    casereview api-client rotate CLIENT_ID
    casereview api-client revoke CLIENT_ID
    casereview api-client list [--partnership ID]

`create` and `rotate` print {"client_id": "…", "client_secret": "…"} once: the secret is stored only
hashed and never shown again.
"""

from __future__ import annotations

import json
import re

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from casereview.accounts.models import Partnership
from casereview.api.models import ApiClient
from casereview.api.services import api_client_create, api_client_revoke, api_client_rotate

RATE = re.compile(r"^\d+/(s|sec|m|min|h|hour|d|day)$")


class Command(BaseCommand):
    help = "Create, rotate, revoke or list the partner API's machine clients."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--partnership", required=True)
        create.add_argument("--agency", required=True)
        create.add_argument("--scopes", required=True)
        create.add_argument("--rate", default="600/min")
        for name in ("rotate", "revoke"):
            sub.add_parser(name).add_argument("client_id")
        sub.add_parser("list").add_argument("--partnership")

    def _client(self, client_id: str) -> ApiClient:
        client = ApiClient.objects.filter(application__client_id=client_id).first()
        if client is None:
            raise CommandError(f"no client {client_id!r}")
        return client

    def handle(self, *args, **options):
        action = options["action"]
        try:
            if action == "create":
                partnership = Partnership.objects.filter(slug=options["partnership"]).first()
                if partnership is None:
                    raise CommandError(f"--partnership: no partnership {options['partnership']!r}")
                if not RATE.match(options["rate"]):
                    raise CommandError("--rate: like 600/min or 20/s")
                made = api_client_create(
                    partnership=partnership,
                    agency_name=options["agency"],
                    scopes=options["scopes"],
                    rate_limit=options["rate"],
                )
                self.stdout.write(
                    json.dumps({"client_id": made.client_id, "client_secret": made.client_secret})
                )
            elif action == "rotate":
                made = api_client_rotate(client=self._client(options["client_id"]))
                self.stdout.write(
                    json.dumps({"client_id": made.client_id, "client_secret": made.client_secret})
                )
            elif action == "revoke":
                client = api_client_revoke(client=self._client(options["client_id"]))
                self.stdout.write(json.dumps({"client_id": client.client_id, "revoked": True}))
            else:
                rows = ApiClient.objects.select_related("application", "agency", "partnership")
                if options.get("partnership"):
                    rows = rows.filter(partnership__slug=options["partnership"])
                self.stdout.write(
                    json.dumps(
                        [
                            {
                                "client_id": c.client_id,
                                "partnership": c.partnership.slug,
                                "agency": c.agency.name,
                                "scopes": c.scope_list,
                                "revoked": c.revoked_at is not None,
                            }
                            for c in rows
                        ]
                    )
                )
        except ValidationError as error:
            key, messages = next(iter(error.message_dict.items()))
            raise CommandError(f"--{key}: {' '.join(messages)}") from None
