"""`casereview api-schema`: print the OpenAPI document (`make api-schema` writes docs/api/openapi.json)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the partner API's OpenAPI 3.1 document, generated from the code."

    def handle(self, *args, **options):
        from casereview.api.schema import openapi_text

        self.stdout.write(openapi_text(), ending="")
