"""`casereview rotate-field-key`: re-encrypt every encrypted field under the first key in
CASEREVIEW_FIELD_KEY (docs/data-protection.md, "Rotating the key")."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from casereview.web.encryption import PREFIX, EncryptedTextField, rotate


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the newest key (the first in CASEREVIEW_FIELD_KEY)."

    def handle(self, *args, **options):
        total = 0
        quote = connection.ops.quote_name
        with transaction.atomic():
            for model in apps.get_models():
                columns = [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
                if not columns:
                    continue
                table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
                with connection.cursor() as cursor:
                    # Raw tokens, never decrypted here: each is rotated to the newest key as it is.
                    cursor.execute(f"SELECT {pk}, {', '.join(map(quote, columns))} FROM {table}")  # noqa: S608
                    rows = cursor.fetchall()
                    for pk_value, *tokens in rows:
                        updates = {
                            c: rotate(t)
                            for c, t in zip(columns, tokens, strict=True)
                            if t and t.startswith(PREFIX)
                        }
                        if updates:
                            sets = ", ".join(f"{quote(c)} = %s" for c in updates)
                            sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608 - names from the model
                            cursor.execute(sql, [*updates.values(), pk_value])
                            total += 1
        self.stdout.write(f"{total} record(s) re-encrypted under the newest key.")
