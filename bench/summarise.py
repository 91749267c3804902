"""Summarise bench/results/desk-*.json as Markdown, and write it into docs/PERFORMANCE.md.

python -m bench.summarise bench/results/desk-A.json                 # print one run
python -m bench.summarise --write bench/results/desk-A.json [B.json]
    # docs/PERFORMANCE.md, between its "bench:begin" and "bench:end" markers: the first file
    # is the "before" column, a second one the "after" column beside it.
python -m bench.summarise --audit [--write] bench/results/desk-A.json
    # the read audit's cost: each queue and search page beside its unaudited twin, from
    # one run, between the "bench:audit:begin" and "bench:audit:end" markers.

"x bare" is the bare view's req/s under wrk (the mean of its two measurements in the same
run, before and after the pages) divided by the page's req/s: how many times more work the
page costs than Django answering with nothing.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PERFORMANCE.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def bare_rps(result: dict) -> float:  # type: ignore[type-arg]
    return (result["bare"]["wrk"]["rps"] + result["bare_after"]["wrk"]["rps"]) / 2


def _times(bare: float, rps: float) -> str:
    return f"**{bare / rps:.1f}x**" if rps else "no answer in time"


def _row(result: dict | None, key: str) -> list[str]:  # type: ignore[type-arg]
    if result is None:
        return ["", "", "", "", ""]
    page = next((p for p in result["pages"] if p["key"] == key), None)
    if page is None:
        return ["-"] * 5
    closed, single = page["wrk"], page["single"]
    return [
        f"{closed['rps']:,.0f}",
        f"{closed['p50']:.0f} / {closed['p99']:.0f}",
        _times(bare_rps(result), closed["rps"]),
        f"{single['p50']:.1f} / {single['p95']:.1f} / {single['p99']:.1f}",
        str(page["queries"]),
    ]


def _describe(result: dict, title: str) -> str:  # type: ignore[type-arg]
    m, s = result["machine"], result["seed"]
    return (
        f"- **{title}**: `{result['command']}` at commit `{result['git']}`, "
        f"{result['started']}; {m['cpu']}, {m['cores']} cores, PostgreSQL {m['postgres']}; "
        f"load average before {' '.join(m['loadavg_before'])}, CPU idle before "
        f"{m['cpu_idle_percent_before']} %. Data: {s['enquiries']:,} enquiries, "
        f"{s['journalists']:,} journalists, {s['messages']:,} messages, {s['outlets']:,} outlets, "
        f"{s['audit_events']:,} audit events, seeded in {s['seconds']} s. Bare view "
        f"{result['bare']['wrk']['rps']:,.0f} and {result['bare_after']['wrk']['rps']:,.0f} req/s "
        f"(before and after the pages)."
    )


def table(results: list[dict]) -> str:  # type: ignore[type-arg]
    before = results[0]
    after = results[1] if len(results) > 1 else None
    head = ["req/s", "p50 / p99 ms", "x bare", "one at a time p50 / p95 / p99 ms", "SQL"]
    columns = ["page", *[f"before: {h}" for h in head]]
    if after:
        columns += [f"after: {h}" for h in head]
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    bare = ["bare Django view (/bench/bare)", f"{bare_rps(before):,.0f}", "", "1", "", ""]
    if after:
        bare += [f"{bare_rps(after):,.0f}", "", "1", "", ""]
    lines.append("| " + " | ".join(bare) + " |")
    for page in before["pages"]:
        row = [page["label"], *_row(before, page["key"])]
        if after:
            row += _row(after, page["key"])
        lines.append("| " + " | ".join(row) + " |")
    out = ["\n".join(lines), ""]
    form = next(p for p in before["pages"] if p["key"] == "form_post")
    out.append(
        f"Form POSTs (before): {form['sent']} valid submissions from as many client addresses "
        f"(half from known journalists), {form['stored']} enquiries stored, answers "
        f"{form['answers']}; driven by {form['client']}."
    )
    for label, result in (("before", before), ("after", after)):
        if result is None:
            continue
        mixed = result["mixed"]
        parts = [
            f"{key.replace('_', ' ')} {mixed[key]['wrk']['rps']:,.0f} req/s "
            f"({_times(mixed['bare']['wrk']['rps'], mixed[key]['wrk']['rps'])})"
            for key in ("queue_first", "enquiry_newest", "search_topic")
        ]
        out.append(
            f"\nMixed run ({label}; an officer changes the newest "
            f"enquiry's status every second, {mixed['writes']['count']} changes, p50 "
            f"{mixed['writes']['p50_ms']:.0f} ms): bare {mixed['bare']['wrk']['rps']:,.0f} "
            f"req/s; " + "; ".join(parts) + "."
        )
    out.append("")
    out.append(_describe(before, "before"))
    if after:
        out.append(_describe(after, "after"))
    return "\n".join(out)


AUDIT_BEGIN, AUDIT_END = "<!-- bench:audit:begin -->", "<!-- bench:audit:end -->"
UNAUDITED = "_unaudited"


def audit_cost(result: dict) -> str:  # type: ignore[type-arg]
    """Each audited page beside its twin without the read audit's write, from one run."""
    pages = {page["key"]: page for page in result["pages"]}
    lines = [
        "| page | req/s with / without | one at a time p50 ms with / without (difference) "
        "| p95 ms with / without | SQL with / without |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key, bare in pages.items():
        twin = pages.get(key + UNAUDITED)
        if key.endswith(UNAUDITED) or twin is None:
            continue
        on, off = bare["single"], twin["single"]
        lines.append(
            f"| {bare['label']} | {bare['wrk']['rps']:,.0f} / {twin['wrk']['rps']:,.0f} "
            f"| {on['p50']:.1f} / {off['p50']:.1f} ({on['p50'] - off['p50']:+.1f}) "
            f"| {on['p95']:.1f} / {off['p95']:.1f} | {bare['queries']} / {twin['queries']} |"
        )
    own = result.get("audit")
    if own:
        w, r = own["write_ms"], own["readers_ms"]
        lines += [
            "",
            f"The write alone ({own['writes']} `record_reads` of a queue page, 50 enquiry ids "
            f"and their journalists, each committed): p50 {w['p50']} ms, p95 {w['p95']} ms, "
            f"p99 {w['p99']} ms"
            + (
                f"; the same row by a plain autocommit INSERT, which waits for the WAL flush, "
                f"alternating with it: p50 {own['write_flushed_ms']['p50']} ms, p95 "
                f"{own['write_flushed_ms']['p95']} ms"
                if "write_flushed_ms" in own
                else ""
            )
            + ". The card's 90-day readers query for the journalist with 1,000 "
            f"enquiries ({own['events_listing_journalist']:,} events list them; "
            f"{own['readers_rows']} rows of officer and kind): p50 {r['p50']} ms, "
            f"p95 {r['p95']} ms."
            + (f" (Measured {own['measured']}.)" if own.get("measured") else ""),
        ]
        for key, pair in own.get("paired", {}).items():
            lines.append(
                f"\nPaired, in-process ({pair['pairs']} alternating pairs, {key.replace('_', ' ')}"
                f"): with the audit p50 {pair['on_p50']} ms, without {pair['off_p50']} ms, "
                f"median difference of the pairs {pair['difference_p50']:+} ms."
            )
    return "\n".join([*lines, "", _describe(result, "run")])


def _replace(text: str, begin: str, end: str, body: str) -> str:
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _old, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def write(results: list[dict], *, audit: bool = False) -> None:  # type: ignore[type-arg]
    text = DOC.read_text() if DOC.exists() else "# Performance\n"
    if audit:
        text = _replace(text, AUDIT_BEGIN, AUDIT_END, audit_cost(results[0]))
    else:
        text = _replace(text, BEGIN, END, table(results))
    DOC.write_text(text)
    print(f"wrote {DOC.relative_to(ROOT)}")


def main(argv: list[str]) -> int:
    writing, audit = "--write" in argv, "--audit" in argv
    files = [a for a in argv if a not in ("--write", "--audit")]
    if not 1 <= len(files) <= (1 if audit else 2):
        print(__doc__)
        return 2
    results = [json.loads(Path(f).read_text()) for f in files]
    if writing:
        write(results, audit=audit)
    else:
        print(audit_cost(results[0]) if audit else table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
