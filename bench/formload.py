"""Valid public-form submissions under load, counted exactly.

Each submission comes from its own client address (X-Forwarded-For, read by the app because
the bench sets PRESSDESK_CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR as a trusted proxy would), so
the form's real limits (5 a minute, 30 a day per address) stay on. Half the submissions come
from journalists the desk already knows, half from new addresses. Each carries a fresh form
stamp (its own one-time key, shown 10 seconds earlier) and the CSRF pair a browser would send.

A closed loop of 8 Python threads, not wrk: wrk stops mid-request when its time is up, so
it cannot say exactly how many submissions the server received. Here every request is
answered, so `stored == sent` is checked exactly (and new journalists == new addresses).
At well under a thousand submissions a second the client's own cost is negligible.
"""

import http.client
import re
import secrets
import statistics
import threading
import time
import urllib.parse

from django.core import signing

FORM_STAMP_SALT = "pressdesk.enquiry-form"  # enquiries/forms.py
CLIENT_IP_META = "HTTP_X_FORWARDED_FOR"


def csrf_pair(host: str, port: int) -> tuple[str, str]:
    """The cookie and form token from one GET of the form (the token may be reused)."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/enquiry/")
    response = conn.getresponse()
    html = response.read().decode()
    conn.close()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not (cookie and token):
        msg = "no CSRF cookie or token on /enquiry/"
        raise RuntimeError(msg)
    return cookie.group(1), token.group(1)


def stamp(secret_key: str) -> tuple[str, str]:
    key = secrets.token_urlsafe(24)
    signer = signing.TimestampSigner(key=secret_key, salt=FORM_STAMP_SALT, fallback_keys=[])
    return key, signer.sign_object({"k": key, "t": time.time() - 10})


class Poster:
    def __init__(self, *, host: str, port: int, secret_key: str, known_emails: list[str]) -> None:
        self.host, self.port, self.secret_key = host, port, secret_key
        self.known = known_emails
        self.cookie, self.token = csrf_pair(host, port)
        self.lock = threading.Lock()
        self.serial = 0
        self.sent = 0
        self.answers: dict[int, int] = {}
        self.keys: list[str] = []
        self.new_emails: set[str] = set()
        self.latencies: list[float] = []
        self.run_tag = secrets.token_hex(3)

    def _next(self) -> tuple[int, str, str]:
        with self.lock:
            self.serial += 1
            serial = self.serial
        key, signed = stamp(self.secret_key)
        if serial % 2 and self.known:
            email = self.known[serial % len(self.known)]
        else:
            email = f"ny.journalist{serial}.{self.run_tag}@avis{serial % 97}.no"
            with self.lock:
                self.new_emails.add(email)
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.token, "stamp": signed, "first_name": "Ingrid",
             "last_name": f"Lasttest{serial % 500}", "outlet": f"Avis {serial % 97}",
             "email": email, "mobile": f"4{serial % 10_000_000:07d}",
             "topic": "Ventetider i psykisk helsevern",
             "question": "Hvor mange venter nå, og hvor lenge har de ventet?"}
        )  # fmt: skip
        with self.lock:
            self.keys.append(key)
        return serial, body, f"10.{serial >> 16 & 255}.{serial >> 8 & 255}.{serial & 255}"

    def post_one(self) -> int:
        _serial, body, address = self._next()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        start = time.perf_counter()
        try:
            conn.request(
                "POST",
                "/enquiry/",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={self.cookie}",
                    "X-Forwarded-For": address,
                },
            )
            response = conn.getresponse()
            response.read()
            status = response.status
        finally:
            conn.close()
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.sent += 1
            self.answers[status] = self.answers.get(status, 0) + 1
            self.latencies.append(elapsed)
        return status

    def closed_loop(self, *, connections: int, seconds: float) -> dict[str, float]:
        self.latencies = []
        stop = time.monotonic() + seconds
        started = time.perf_counter()

        def worker() -> None:
            while time.monotonic() < stop:
                self.post_one()

        threads = [threading.Thread(target=worker) for _ in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.perf_counter() - started
        samples = sorted(self.latencies)
        return {
            "requests": len(samples),
            "seconds": duration,
            "rps": len(samples) / duration,
            "p50": statistics.median(samples),
            "p99": samples[min(len(samples) - 1, round(0.99 * len(samples)) - 1)],
        }
