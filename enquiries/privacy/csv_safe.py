"""CSV that spreadsheet programs read as text: no formula, link or command runs from a cell."""

import csv
import io
from collections.abc import Iterable

# Excel, LibreOffice and Google Sheets treat a cell starting with these as a formula or DDE.
_DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_DANGEROUS_STARTS) else text


def to_csv(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()
