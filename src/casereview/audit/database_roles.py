"""Two database roles on PostgreSQL, so the access log is append-only for real (issue 13).

* The **owner** (DATABASE_OWNER_URL) runs the migrations and owns every table, the access log's
  triggers and the scrub function (a SECURITY DEFINER function, audit migration 0003).
* The **application** (DATABASE_URL) owns nothing. `casereview migrate` grants it, after migrating:
  read and write on the product's tables and sequences; on the access log only SELECT and INSERT;
  EXECUTE on the scrub function. Owning nothing, it cannot ALTER the table, disable or drop the
  trigger, and no session setting it can make turns the protection off.

With one role for both (the embedded set-up: DATABASE_OWNER_URL unset), nothing here runs, and the
application, owning the table, could drop the trigger: docs/data-protection.md says so, as it
says SQLite cannot enforce any of it.
"""

from __future__ import annotations

from django.db import connections

ACCESS_LOG = "audit_accessevent"
SCRUB_FUNCTION = "audit_accessevent_scrub(bigint[], timestamptz)"


def application_role_grant(*, owner_alias: str = "owner", application_alias: str = "default") -> str | None:
    """Grant the application's role what it needs, and no more, on the owner's objects. Returns
    the role granted to, or None when there is nothing to do (one role, or not PostgreSQL)."""
    owner = connections[owner_alias]
    application_user = connections[application_alias].settings_dict.get("USER")
    if owner.vendor != "postgresql" or not application_user:
        return None
    if application_user == owner.settings_dict.get("USER"):
        return None
    role = owner.ops.quote_name(application_user)
    with owner.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = owner.ops.quote_name(cursor.fetchone()[0])
        for statement in (
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {schema}.{ACCESS_LOG} FROM {role}",
            f"REVOKE TRUNCATE, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {role}",
            f"GRANT EXECUTE ON FUNCTION {schema}.{SCRUB_FUNCTION} TO {role}",
        ):
            cursor.execute(statement)
    return application_user
