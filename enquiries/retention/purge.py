"""The retention purge (DESIGN.md rule 5): logged information goes after the retention period.

Dangerous by design, so it is careful:
- The boundary is a calendar day in Europe/Oslo. With a period of three years, an enquiry
  received on 22 November 2023 (Oslo date) is kept through 22 November 2026 and deleted by
  the first purge on or after 23 November 2026: whatever was received before
  `today - 3 years` goes. An enquiry of 29 February goes on 1 March three years later.
- Each batch is one transaction: its enquiries are counted into MonthlyTally and deleted
  together, so a run killed half-way and started again finishes with the tallies exact.
- Only one purge runs at a time: a PostgreSQL advisory lock held by the session (released by
  the server if the process dies); a second run is told so and does nothing.
- Every run is recorded in PurgeRun (start, end, counts, error), visible in admin; a run left
  "running" by a process that died is closed as failed, "interrupted", by the next run.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Count, DateField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from enquiries.core.desk_settings import desk_settings
from enquiries.core.errors import PurgeAlreadyRunning
from enquiries.models import (
    AuditEvent,
    Enquiry,
    FoiRouting,
    HeldMail,
    InboundReceipt,
    Journalist,
    Message,
    MonthlyTally,
    OutboundEmail,
    PurgeRun,
    RightsRequest,
    SelfServiceLink,
)
from enquiries.models.retention import answer_outcomes

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
_LOCK_KEY = 0x7072_6573_7364  # "presd": the advisory lock's number, the same in every process
STALE_AFTER = timedelta(hours=48)


@dataclass
class PurgeResult:
    run_id: int
    cutoff: date
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)


def _oslo() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def cutoff_date(*, today: date, years: int = 0, months: int = 0) -> date:
    """The first Oslo date that is kept; anything received before it goes."""
    return today - relativedelta(years=years, months=months)


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=_oslo())


def expired_enquiries(*, today: date) -> Q:
    """Which enquiries are past their retention period on `today` (the general and, where
    set, the shorter per-channel period)."""
    desk = desk_settings()
    general = _start_of(cutoff_date(today=today, years=desk.retention_years))
    shorter = desk.channel_retention_months or {}
    condition = Q(received_at__lt=general) & ~Q(channel__in=list(shorter))
    for channel, months in shorter.items():
        channel_cutoff = _start_of(cutoff_date(today=today, months=months))
        condition |= Q(channel=channel, received_at__lt=channel_cutoff)
    return condition


@contextmanager
def _only_one_purge() -> Iterator[None]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK_KEY])
            if not cursor.fetchone()[0]:
                raise PurgeAlreadyRunning
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])
        return
    # SQLite (a laptop): the shared cache stands in; it expires if the process dies.
    if not cache.add("purge-lock", 1, timeout=3600):
        raise PurgeAlreadyRunning
    try:
        yield
    finally:
        cache.delete("purge-lock")


_GROUP = ("tally_month", "channel", "kind", "category", "outlet_type")
_TALLY_GROUP = ("month", "channel", "kind", "topic_category", "outlet_kind")


def _tally_groups(ids: list[int]) -> QuerySet[Enquiry, dict[str, Any]]:
    """These enquiries by tally group: how many, and how they were answered."""
    groups: QuerySet[Enquiry, dict[str, Any]] = (
        Enquiry.objects.filter(pk__in=ids)
        .annotate(
            tally_month=TruncMonth("received_at", tzinfo=_oslo(), output_field=DateField()),
            category=Coalesce(F("topic_category__name"), Value("")),
            outlet_type=Coalesce(F("outlet__kind"), F("outlet_kind"), Value("")),
        )
        .values(*_GROUP)
        .annotate(count=Count("id"), **answer_outcomes())
        .order_by()
    )
    return groups


def _fold_into_tallies(ids: list[int]) -> None:
    """Add these enquiries to the monthly tallies (inside the batch's transaction)."""
    groups = _tally_groups(ids)
    added = ["count", *answer_outcomes()]
    if connection.vendor == "postgresql":  # one statement for the whole batch
        select, params = groups.query.sql_with_params()
        table = MonthlyTally._meta.db_table
        columns = ", ".join([*_TALLY_GROUP, *added])
        sums = ", ".join(f"{name} = {table}.{name} + EXCLUDED.{name}" for name in added)
        sql = (
            f"INSERT INTO {table} ({columns}) {select} "  # nosec B608: our names, values are parameters
            f"ON CONFLICT ({', '.join(_TALLY_GROUP)}) DO UPDATE SET {sums}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return
    for group in groups:
        month = group["tally_month"]
        month = month.date() if isinstance(month, datetime) else month
        tally, _ = MonthlyTally.objects.select_for_update().get_or_create(
            month=month,
            channel=group["channel"],
            kind=group["kind"],
            topic_category=group["category"],
            outlet_kind=group["outlet_type"],
        )
        MonthlyTally.objects.filter(pk=tally.pk).update(
            **{name: F(name) + group[name] for name in added}
        )


# Rows that hang off an enquiry and go with it, deleted first. Every model with a foreign key
# to Enquiry must be listed here (tests/services/test_retention.py checks), so the one-statement
# deletes on PostgreSQL never leave a row pointing at a deleted enquiry.
CASCADED_CHILDREN: tuple[type[models.Model], ...] = (Message, FoiRouting, OutboundEmail)


def _delete_enquiries(ids: list[int]) -> tuple[int, int]:
    """Delete the enquiries and their children; returns (enquiries, messages)."""
    if connection.vendor != "postgresql":
        _, deleted = Enquiry.objects.filter(pk__in=ids).only("pk").delete()
        return deleted.get("enquiries.Enquiry", 0), deleted.get("enquiries.Message", 0)
    counts = {}
    with connection.cursor() as cursor:
        # Attachments hang off the messages: they go first.
        cursor.execute(
            "DELETE FROM enquiries_attachment WHERE message_id IN "
            "(SELECT id FROM enquiries_message WHERE enquiry_id = ANY(%s))",
            [ids],
        )
        for child in CASCADED_CHILDREN:
            fk = next(f for f in child._meta.fields if f.related_model is Enquiry).column
            cursor.execute(
                f"DELETE FROM {child._meta.db_table} WHERE {fk} = ANY(%s)",  # noqa: S608  # nosec B608: model metadata, ids bound
                [ids],
            )
            counts[child] = cursor.rowcount
        cursor.execute("DELETE FROM enquiries_enquiry WHERE id = ANY(%s)", [ids])
        return cursor.rowcount, counts[Message]


def _purge_enquiry_batch(condition: Q, batch_size: int) -> tuple[int, int, int]:
    """One transaction: tally, then delete a batch of expired enquiries with what hangs off
    them (messages and any other row that cascades), then contacts left with no enquiry."""
    with transaction.atomic():
        # Rows an officer holds locked right now are skipped, not waited for.
        ids = list(
            Enquiry.objects.filter(condition)
            .select_for_update(skip_locked=True)
            .order_by("received_at", "id")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return 0, 0, 0
        journalist_ids = set(
            Enquiry.objects.filter(pk__in=ids, journalist__isnull=False).values_list(
                "journalist_id", flat=True
            )
        )
        _fold_into_tallies(ids)
        enquiries, messages = _delete_enquiries(ids)
        orphans = Journalist.objects.filter(pk__in=journalist_ids, enquiries__isnull=True)
        gone, _ = orphans.delete()
        return enquiries, messages, gone


def _delete_in_batches[M: models.Model](queryset: QuerySet[M], batch_size: int) -> int:
    total = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                return total
            # _default_manager is Django's documented name for a model's manager (typed; a
            # model's `objects` is not, for a model known only as "a Model").
            _, deleted = queryset.model._default_manager.filter(pk__in=ids).delete()
            total += deleted.get(queryset.model._meta.label, 0)  # not what cascaded with them
        if len(ids) < batch_size:
            return total


def _dry_counts(*, today: date) -> dict[str, int]:
    expired = Enquiry.objects.filter(expired_enquiries(today=today))
    return {
        "enquiries": expired.count(),
        "messages": expired.aggregate(n=Count("messages"))["n"],
        "audit_events": AuditEvent.objects.filter(at__lt=_general_cutoff(today)).count(),
        "journalists": _unused_contacts(today).count(),
        "links": _spent_links().count(),
        "requesters": _named_requests(today).count(),
        "held_mail": HeldMail.objects.filter(received_at__lt=_general_cutoff(today)).count(),
    }


def _general_cutoff(today: date) -> datetime:
    return _start_of(cutoff_date(today=today, years=desk_settings().retention_years))


def _unused_contacts(today: date) -> QuerySet[Journalist]:
    """Contacts with no enquiry at all, registered before the cutoff (a contact registered
    today, with no enquiry yet, stays)."""
    return Journalist.objects.filter(enquiries__isnull=True, created_at__lt=_general_cutoff(today))


def _named_requests(today: date) -> QuerySet[RightsRequest]:
    """Rights requests past the retention period still naming who asked: the request stays
    (its dates and kind are the desk's record of having answered), the name goes."""
    return RightsRequest.objects.filter(received_at__lt=_general_cutoff(today)).exclude(
        requester_name=""
    )


def _spent_links() -> QuerySet[SelfServiceLink]:
    return SelfServiceLink.objects.filter(
        Q(used_at__isnull=False) | Q(expires_at__lt=timezone.now())
    )


INTERRUPTED = "interrupted: its process stopped before the run ended"


def _close_interrupted_runs() -> int:
    """Runs still marked running were left by a process that died (SIGKILL, a lost machine):
    the caller holds the one purge lock, so none of them is going on. Close them as failed,
    interrupted, so the purge runs list tells the truth."""
    closed = PurgeRun.objects.filter(status=PurgeRun.Status.RUNNING).update(
        status=PurgeRun.Status.FAILED, finished_at=timezone.now(), error=INTERRUPTED
    )
    if closed:
        logger.warning("purge: %s interrupted run(s) closed", closed)
    return closed


def purge_expired(*, dry_run: bool = False, batch_size: int = BATCH_SIZE) -> PurgeResult:
    """Run the purge (or, with dry_run, count what it would remove). Raises
    PurgeAlreadyRunning when another purge holds the lock."""
    today = timezone.localdate()
    cutoff = cutoff_date(today=today, years=desk_settings().retention_years)
    with _only_one_purge():
        _close_interrupted_runs()
        run = PurgeRun.objects.create(cutoff=cutoff, dry_run=dry_run)
        result = PurgeResult(run_id=run.pk, cutoff=cutoff, dry_run=dry_run)
        started = time.monotonic()
        try:
            if dry_run:
                result.counts = _dry_counts(today=today)
            else:
                result.counts = _purge(today=today, batch_size=batch_size, run=run)
        except DatabaseError as exc:
            PurgeRun.objects.filter(pk=run.pk).update(
                status=PurgeRun.Status.FAILED,
                finished_at=timezone.now(),
                error=f"{type(exc).__name__}"[:500],
                counts=result.counts,
            )
            logger.exception("purge %s failed after %.1f s", run.pk, time.monotonic() - started)
            raise
        PurgeRun.objects.filter(pk=run.pk).update(
            status=PurgeRun.Status.SUCCEEDED, finished_at=timezone.now(), counts=result.counts
        )
        logger.info(
            "purge %s %s in %.1f s: %s",
            run.pk,
            "counted" if dry_run else "done",
            time.monotonic() - started,
            result.counts,
        )
        return result


def _purge(*, today: date, batch_size: int, run: PurgeRun) -> dict[str, int]:
    counts = dict.fromkeys(["enquiries", "messages", "journalists", "audit_events", "links"], 0)
    condition = expired_enquiries(today=today)
    while True:
        batch_started = time.monotonic()
        enquiries, messages, journalists = _purge_enquiry_batch(condition, batch_size)
        counts["enquiries"] += enquiries
        counts["messages"] += messages
        counts["journalists"] += journalists
        logger.info(
            "purge %s batch: %s enquiries, %s messages in %.2f s",
            run.pk,
            enquiries,
            messages,
            time.monotonic() - batch_started,
        )
        # Progress is visible in admin while the run goes on.
        PurgeRun.objects.filter(pk=run.pk).update(counts=counts)
        if enquiries < batch_size:
            break
    counts["journalists"] += _delete_in_batches(_unused_contacts(today), batch_size)
    counts["audit_events"] = _delete_in_batches(
        AuditEvent.objects.filter(at__lt=_general_cutoff(today)), batch_size
    )
    counts["links"] = _delete_in_batches(_spent_links(), batch_size)
    counts["requesters"] = _named_requests(today).update(requester_name="")
    # The holding pen and the ledger of mail taken, by the general period (with attachments).
    counts["held_mail"] = _delete_in_batches(
        HeldMail.objects.filter(received_at__lt=_general_cutoff(today)), batch_size
    )
    _delete_in_batches(
        InboundReceipt.objects.filter(received_at__lt=_general_cutoff(today)), batch_size
    )
    return counts


def purge_state() -> str:
    """For /healthz: "ok", "stale" (no successful run in 48 hours) or "not yet run"."""
    last = PurgeRun.objects.filter(status=PurgeRun.Status.SUCCEEDED, dry_run=False).first()
    if last is None:
        return "not yet run" if not PurgeRun.objects.exists() else "stale"
    return "ok" if last.started_at >= timezone.now() - STALE_AFTER else "stale"
