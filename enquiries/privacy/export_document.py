"""The self-service copy as a document a person can read (the JSON beside it is for machines):
the same export, with codes turned into words and ISO dates into dates."""

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from enquiries.models.enquiry import Channel, Direction, Kind, Status

_LABELS: dict[str, type[Channel | Kind | Status | Direction]] = {
    "channel": Channel,
    "kind": Kind,
    "status": Status,
    "direction": Direction,
}


def _label(key: str, value: str | None) -> str:
    choices = _LABELS[key]
    return str(choices(value).label) if value in choices.values else (value or "")


def _when(value: str | None) -> datetime | Any:
    if not value:
        return None
    return parse_datetime(value) or parse_date(value) or value


@dataclass
class ReadableCopy:
    exported_at: datetime | Any
    people: list[dict[str, Any]] = field(default_factory=list)
    json_text: str = ""

    @property
    def json_data_url(self) -> str:
        """The JSON as a data: link to download beside the page (the link that made it works
        once, so there is no second URL to fetch it from)."""
        encoded = base64.b64encode(self.json_text.encode()).decode()
        return f"data:application/json;charset=utf-8;base64,{encoded}"


def readable_copy(export: dict[str, Any]) -> ReadableCopy:
    people = []
    for person in export["journalists"]:
        enquiries = [
            {
                **enquiry,
                "received_at": _when(enquiry["received_at"]),
                "deadline": _when(enquiry["deadline"]),
                "channel": _label("channel", enquiry["channel"]),
                "kind": _label("kind", enquiry["kind"]),
                "status": _label("status", enquiry["status"]),
                "messages": [
                    {
                        **message,
                        "date": _when(message["date"]),
                        "direction": _label("direction", message["direction"]),
                    }
                    for message in enquiry["messages"]
                ],
            }
            for enquiry in person["enquiries"]
        ]
        people.append(
            {**person, "registered_at": _when(person["registered_at"]), "enquiries": enquiries}
        )
    return ReadableCopy(
        exported_at=_when(export["exported_at"]),
        people=people,
        json_text=json.dumps(export, ensure_ascii=False, indent=2),
    )
