"""A tiny archive system on loopback: a real HTTP server that checks the signature, answers
a scripted list of statuses, and makes one case per idempotency key."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from enquiries.foi import webhook as foi_webhook

SECRET = "archive-shared-secret"


class Receiver:
    """A tiny archive system: checks the signature, answers a scripted list of statuses."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.location = ""  # where a scripted 3xx points
        self.receipt = True  # False: a 200 with no JSON receipt
        self.requests: list[dict[str, object]] = []
        self.cases: dict[str, str] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                valid = foi_webhook.verify(
                    secret=SECRET,
                    timestamp=self.headers[foi_webhook.TIMESTAMP_HEADER],
                    body=body,
                    signature=self.headers[foi_webhook.SIGNATURE_HEADER],
                )
                key = self.headers[foi_webhook.IDEMPOTENCY_HEADER]
                receiver.requests.append({"valid": valid, "key": key, "json": json.loads(body)})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                if not valid:
                    status = 401
                answer = b"{}"
                if status == 200 and receiver.receipt:
                    case = receiver.cases.setdefault(key, f"2026/{100 + len(receiver.cases)}")
                    answer = json.dumps({"case_number": case}).encode()
                elif status == 200:
                    answer = b"OK"
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def do_GET(self) -> None:  # what a followed 303 would turn the POST into
                receiver.requests.append({"valid": False, "key": None, "json": None})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/foi"


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    instance = Receiver([])
    thread = threading.Thread(target=instance.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield instance
    finally:
        instance.server.shutdown()
        instance.server.server_close()
