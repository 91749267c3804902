"""The reports' summary (issue #20: a year at a million enquiries in well under a second).

- `Enquiry.first_reply_at`: when the first e-mail went out in the thread, kept by triggers on
  the message table (PostgreSQL and SQLite), so the report needs no per-enquiry subquery and
  no code path that adds a message can forget it.
- `ReportDay` (PostgreSQL only): per Oslo day (per month for the outlet), how many enquiries
  have each value of each dimension, kept by statement-level triggers on the enquiry table (with transition tables:
  one upsert per statement, rows locked in one order, so concurrent writers cannot deadlock
  on it) and a row trigger on the outlet table for a change of an outlet's kind. The SQL is
  here, not in the app, because a migration is history; `pressdesk_report_rebuild()` rebuilds
  it from scratch (the bench's seed loads with triggers off and calls it).

What each dimension counts mirrors the live queries in `enquiries/reports/figures.py` (and
`answer_outcomes()`); tests/views/test_report_summary.py checks both agree after every kind of
change.
"""

from django.conf import settings
from django.db import migrations, models

FIRST_REPLY = """
(SELECT min(m.sent_at) FROM enquiries_message m
 WHERE m.enquiry_id = enquiries_enquiry.id AND m.direction = 'out')
"""

SQLITE_FORWARD = [
    "UPDATE enquiries_enquiry SET first_reply_at = " + FIRST_REPLY,
    f"""CREATE TRIGGER pressdesk_first_reply_insert AFTER INSERT ON enquiries_message
    BEGIN UPDATE enquiries_enquiry SET first_reply_at = {FIRST_REPLY}
    WHERE id = NEW.enquiry_id; END""",
    f"""CREATE TRIGGER pressdesk_first_reply_delete AFTER DELETE ON enquiries_message
    BEGIN UPDATE enquiries_enquiry SET first_reply_at = {FIRST_REPLY}
    WHERE id = OLD.enquiry_id; END""",
    f"""CREATE TRIGGER pressdesk_first_reply_update AFTER UPDATE ON enquiries_message
    BEGIN UPDATE enquiries_enquiry SET first_reply_at = {FIRST_REPLY}
    WHERE id IN (OLD.enquiry_id, NEW.enquiry_id); END""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS pressdesk_first_reply_{event}"
    for event in ("insert", "delete", "update")
]


def _postgresql_forward(zone: str) -> list[str]:
    first_reply = [
        f"""CREATE FUNCTION pressdesk_first_reply_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE enquiries_enquiry e SET first_reply_at = f.first
          FROM (SELECT c.enquiry_id,
                       (SELECT min(m.sent_at) FROM enquiries_message m
                        WHERE m.enquiry_id = c.enquiry_id AND m.direction = 'out') AS first
                FROM (SELECT DISTINCT enquiry_id FROM {source}) c) f
          WHERE e.id = f.enquiry_id AND e.first_reply_at IS DISTINCT FROM f.first;
          RETURN NULL;
        END $$""".replace("{source}", source)
        for table, source in (
            ("new", "new_rows"),
            ("old", "old_rows"),
            ("both", "(SELECT enquiry_id FROM new_rows UNION SELECT enquiry_id FROM old_rows) b"),
        )
    ] + [
        """CREATE TRIGGER pressdesk_first_reply_insert AFTER INSERT ON enquiries_message
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION pressdesk_first_reply_new()""",
        """CREATE TRIGGER pressdesk_first_reply_delete AFTER DELETE ON enquiries_message
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
        EXECUTE FUNCTION pressdesk_first_reply_old()""",
        """CREATE TRIGGER pressdesk_first_reply_update AFTER UPDATE ON enquiries_message
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION pressdesk_first_reply_both()""",
        "UPDATE enquiries_enquiry SET first_reply_at = " + FIRST_REPLY,
    ]
    local = f"(e.received_at AT TIME ZONE '{zone}')"
    facts = f"""
    CREATE FUNCTION pressdesk_report_bin(elapsed interval) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
      -- tenths of an hour below 48 hours, whole hours up to 90 days (as tenths)
      SELECT (CASE WHEN h < 48 THEN floor(h * 10) ELSE least(floor(h), 2160) * 10 END)::int::text
      FROM (SELECT greatest(0, extract(epoch FROM elapsed) / 3600.0) AS h) x
    $$;
    CREATE FUNCTION pressdesk_report_facts(e enquiries_enquiry)
    RETURNS TABLE (dimension text, day date, value text) LANGUAGE sql STABLE AS $$
      SELECT d.dimension,
             CASE WHEN d.dimension = 'outlet' THEN date_trunc('month', {local})::date
                  ELSE {local}::date END,
             d.value
      FROM (VALUES
        ('channel', e.channel::text),
        ('kind', e.kind::text),
        ('category', coalesce(e.topic_category_id::text, '')),
        ('outlet_kind', coalesce(
            (SELECT o.kind::text FROM enquiries_outlet o WHERE o.id = e.outlet_id),
            e.outlet_kind::text, '')),
        ('hour', extract(hour FROM {local})::int::text),
        -- the busiest outlets: by month (a day would hold a row per outlet per day)
        ('outlet', e.outlet_id::text),
        ('opted_out', CASE WHEN e.opted_out THEN 'yes' END),
        ('answered', CASE WHEN e.kind = 'press' AND e.answered_at IS NOT NULL THEN
            CASE WHEN e.answered_at <= e.received_at + interval '1 hour' THEN 'answered_within_1h'
                 WHEN e.answered_at <= e.received_at + interval '4 hours' THEN 'answered_within_4h'
                 WHEN e.answered_at <= e.received_at + interval '24 hours' THEN 'answered_within_24h'
                 WHEN e.answered_at <= e.received_at + interval '72 hours' THEN 'answered_within_72h'
                 ELSE 'answered_later' END END),
        ('outcome', CASE WHEN e.kind = 'press' AND e.deadline IS NOT NULL
            THEN 'with_deadline' END),
        ('outcome', CASE WHEN e.kind = 'press' AND e.answered_at <= e.deadline
            THEN 'before_deadline' END),
        ('outcome', CASE WHEN e.kind = 'press' AND e.status = 'closed' THEN 'closed' END),
        ('outcome', CASE WHEN e.kind = 'press' AND e.status = 'closed' AND e.answered_at IS NULL
            THEN 'closed_unanswered' END),
        ('answered_bin', CASE WHEN e.kind = 'press' AND e.answered_at IS NOT NULL
            THEN pressdesk_report_bin(e.answered_at - e.received_at) END),
        ('reply_bin', CASE WHEN e.kind = 'press' AND e.first_reply_at IS NOT NULL
            THEN pressdesk_report_bin(e.first_reply_at - e.received_at) END)
      ) AS d(dimension, value)
      WHERE d.value IS NOT NULL
    $$;
    """
    upsert = """
      INSERT INTO enquiries_reportday AS r (dimension, day, value, count)
      SELECT dimension, day, value, sum(delta)::int FROM ({deltas}) x
      GROUP BY 1, 2, 3 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (dimension, day, value) DO UPDATE SET count = r.count + EXCLUDED.count;
    """
    changed = """(o.received_at, o.channel, o.kind, o.topic_category_id, o.outlet_id,
        o.outlet_kind, o.opted_out, o.status, o.answered_at, o.deadline, o.first_reply_at)
        IS DISTINCT FROM (n.received_at, n.channel, n.kind, n.topic_category_id, n.outlet_id,
        n.outlet_kind, n.opted_out, n.status, n.answered_at, n.deadline, n.first_reply_at)"""
    deltas = {
        "insert": "SELECT f.*, 1 AS delta FROM new_rows e CROSS JOIN LATERAL pressdesk_report_facts(e) f",
        "delete": "SELECT f.*, -1 AS delta FROM old_rows e CROSS JOIN LATERAL pressdesk_report_facts(e) f",
        "update": f"""
          SELECT f.*, 1 AS delta FROM new_rows n JOIN old_rows o ON o.id = n.id
            CROSS JOIN LATERAL pressdesk_report_facts(n) f WHERE {changed}
          UNION ALL
          SELECT f.*, -1 FROM old_rows o JOIN new_rows n ON n.id = o.id
            CROSS JOIN LATERAL pressdesk_report_facts(o) f WHERE {changed}""",
    }
    triggers = []
    for event, sql in deltas.items():
        tables = {
            "insert": "NEW TABLE AS new_rows",
            "delete": "OLD TABLE AS old_rows",
            "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        }[event]
        triggers += [
            f"""CREATE FUNCTION pressdesk_report_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {upsert.format(deltas=sql)} RETURN NULL; END $$""",
            f"""CREATE TRIGGER pressdesk_report_{event} AFTER {event.upper()} ON enquiries_enquiry
            REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION pressdesk_report_{event}()""",
        ]
    outlet = f"""
    CREATE FUNCTION pressdesk_report_outlet_kind() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {
        upsert.format(
            deltas=f'''
        SELECT 'outlet_kind' AS dimension, {local}::date AS day, OLD.kind::text AS value,
               -1 AS delta FROM enquiries_enquiry e WHERE e.outlet_id = NEW.id
        UNION ALL
        SELECT 'outlet_kind', {local}::date, NEW.kind::text, 1
        FROM enquiries_enquiry e WHERE e.outlet_id = NEW.id'''
        )
    }
      RETURN NULL;
    END $$;
    CREATE TRIGGER pressdesk_report_outlet_kind AFTER UPDATE OF kind ON enquiries_outlet
    FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION pressdesk_report_outlet_kind();
    """
    rebuild = """
    CREATE FUNCTION pressdesk_report_rebuild() RETURNS void LANGUAGE sql AS $$
      DELETE FROM enquiries_reportday;
      INSERT INTO enquiries_reportday (dimension, day, value, count)
      SELECT f.dimension, f.day, f.value, count(*)
      FROM enquiries_enquiry e CROSS JOIN LATERAL pressdesk_report_facts(e) f
      GROUP BY 1, 2, 3;
    $$;
    SELECT pressdesk_report_rebuild();
    """
    return [*first_reply, facts, *triggers, outlet, rebuild]


POSTGRESQL_BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS pressdesk_first_reply_{e} ON enquiries_message"
        for e in ("insert", "delete", "update")
    ),
    *(
        f"DROP TRIGGER IF EXISTS pressdesk_report_{e} ON enquiries_enquiry"
        for e in ("insert", "delete", "update")
    ),
    "DROP TRIGGER IF EXISTS pressdesk_report_outlet_kind ON enquiries_outlet",
    "DROP FUNCTION IF EXISTS pressdesk_first_reply_new(), pressdesk_first_reply_old(),"
    " pressdesk_first_reply_both(), pressdesk_report_insert(), pressdesk_report_delete(),"
    " pressdesk_report_update(), pressdesk_report_outlet_kind(), pressdesk_report_rebuild(),"
    " pressdesk_report_facts(enquiries_enquiry), pressdesk_report_bin(interval)",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = (
        _postgresql_forward(settings.TIME_ZONE) if vendor == "postgresql" else SQLITE_FORWARD
    )
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for sql in POSTGRESQL_BACKWARD if vendor == "postgresql" else SQLITE_BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0026_tally_answers"),
    ]

    operations = [
        migrations.AddField(
            model_name="enquiry",
            name="first_reply_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="first reply"
            ),
        ),
        migrations.CreateModel(
            name="ReportDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("dimension", models.CharField(max_length=16)),
                ("day", models.DateField()),
                ("value", models.CharField(max_length=100)),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("dimension", "day", "value"), name="reportday_unique_fact"
                    )
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
