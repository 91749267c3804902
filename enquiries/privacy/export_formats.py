"""The layout of a contact export as CSV: one row per message (or per enquiry without
messages, or per contact without enquiries). Used by the desk and by export_contact."""

from typing import Any

CSV_HEADER = [
    "first_name", "last_name", "email", "phone", "mobile", "outlet",
    "reference", "received_at", "channel", "kind", "status", "topic", "details", "deadline",
    "topic_category", "message_direction", "message_date", "message_from", "message_to",
    "message_subject", "message_body",
]  # fmt: skip
ENQUIRY_KEYS = (
    "reference", "received_at", "channel", "kind", "status", "topic", "details", "deadline",
    "topic_category",
)  # fmt: skip


def csv_rows(export: dict[str, Any]) -> list[list[object]]:
    """One row per message (or per enquiry without messages, or per contact without enquiries)."""
    rows: list[list[object]] = []
    for person in export["journalists"]:
        contact = [
            person[k] for k in ("first_name", "last_name", "email", "phone", "mobile", "outlet")
        ]
        for enquiry in person["enquiries"] or [None]:
            if enquiry is None:
                rows.append(contact + [""] * 15)
                continue
            head = [enquiry[k] for k in ENQUIRY_KEYS]
            for message in enquiry["messages"] or [None]:
                tail = (
                    [message[k] for k in ("direction", "date", "from", "to", "subject", "body")]
                    if message
                    else [""] * 6
                )
                rows.append(contact + head + tail)
    return rows
