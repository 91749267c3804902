"""Whatever bytes arrive, ingesting them stores or holds them: never a traceback."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enquiries.intake import inbound_mail

pytestmark = pytest.mark.django_db

HEADERS = st.sampled_from([
    b"From: ", b"Subject: ", b"Content-Type: ", b"Content-Transfer-Encoding: ",
    b"Message-ID: ", b"In-Reply-To: ", b"Date: ", b"Auto-Submitted: ", b"To: ",
    b"Content-Disposition: ", b"MIME-Version: ",
])  # fmt: skip
VALUES = st.one_of(
    st.binary(max_size=60),
    st.sampled_from([
        b"multipart/mixed; boundary=x", b"multipart/report; report-type=delivery-status",
        b"text/html; charset=x-unknown", b"base64", b"quoted-printable",
        b"=?utf-8?q?=C3=A6?=", b"=?bogus?b?!!!?=", b"<a@b.no>", b"Ola <ola@vg.no>",
        b"attachment; filename*=utf-8''%FF%FE", b"message/rfc822",
    ]),
)  # fmt: skip


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    headers=st.lists(st.tuples(HEADERS, VALUES), max_size=8),
    body=st.binary(max_size=300),
)
def test_any_mail_is_stored_or_held_without_a_traceback(headers, body):
    raw = b"".join(name + value + b"\r\n" for name, value in headers) + b"\r\n" + body
    assert inbound_mail.ingest(raw).outcome in {"new", "joined", "noted", "held", "duplicate"}
