"""The access log append-only for real on PostgreSQL (issue 13).

0002's trigger let any session that set `casereview.audit_scrub` change rows. Now:

* The trigger refuses every DELETE and every UPDATE except a *scrub*: a row not yet scrubbed, whose skeleton (when, who,
  what kind of action, which record) stays exactly as it was, and whose personal data (summary,
  purpose, recipient, path, browser, address, details) is blanked while `scrubbed_at` is set. No
  session setting changes that.
* The scrub itself is `audit_accessevent_scrub(ids, at)`, a SECURITY DEFINER function owned by the
  role that runs the migrations (the owner of the table). `casereview migrate` grants the
  application's role (DATABASE_URL, when it is not the owner: DATABASE_OWNER_URL) SELECT and
  INSERT on the access log and EXECUTE on this function — no UPDATE, DELETE or TRUNCATE — and, as
  it owns nothing, it cannot alter or disable the trigger (docs/data-protection.md). TRUNCATE
  (which row triggers do not see) is a privilege the application's role is not granted; the owner
  keeps it, as it keeps DROP TABLE (the test suite empties the database between tests with it).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_accessevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.scrubbed_at IS NULL AND NEW.scrubbed_at IS NOT NULL
       AND (NEW.id, NEW.at, NEW.actor_id, NEW.actor_username, NEW.actor_agency, NEW.partnership_slug,
            NEW.action, NEW.case_reference, NEW.object_type, NEW.object_id, NEW.lawful_basis, NEW.method)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_id, OLD.actor_username, OLD.actor_agency, OLD.partnership_slug,
            OLD.action, OLD.case_reference, OLD.object_type, OLD.object_id, OLD.lawful_basis, OLD.method)
       AND NEW.summary = '' AND NEW.purpose = '' AND NEW.recipient = '' AND NEW.path = ''
       AND NEW.user_agent = '' AND NEW.ip_address IS NULL AND NEW.details = '{}'::jsonb
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_accessevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS audit_accessevent_append_only ON audit_accessevent;
CREATE TRIGGER audit_accessevent_append_only
    BEFORE UPDATE OR DELETE ON audit_accessevent
    FOR EACH ROW EXECUTE FUNCTION audit_accessevent_append_only();

CREATE OR REPLACE FUNCTION audit_accessevent_scrub(ids bigint[], scrubbed timestamptz) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    changed integer;
BEGIN
    EXECUTE format(
        'UPDATE %I.audit_accessevent SET summary = '''', purpose = '''', recipient = '''', path = '''', '
        'user_agent = '''', ip_address = NULL, details = ''{}''::jsonb, scrubbed_at = $2 '
        'WHERE id = ANY($1) AND scrubbed_at IS NULL AND action <> ''retention''',
        %(schema)s
    ) USING ids, scrubbed;
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END;
$$;
REVOKE ALL ON FUNCTION audit_accessevent_scrub(bigint[], timestamptz) FROM PUBLIC;
"""

DROP = """
DROP FUNCTION IF EXISTS audit_accessevent_scrub(bigint[], timestamptz);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    # The function pins its search_path, so it names the log's schema itself.
    schema_editor.execute(CREATE.replace("%(schema)s", "'" + schema.replace("'", "''") + "'"), params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
