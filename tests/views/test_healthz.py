import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.redis
def test_healthy_with_database_and_broker(client, settings):
    assert settings.REDIS_URL  # the suite runs against a real Redis
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",  # no worker or beat has ever run against this database
        "database": "ok",
        "broker": "ok",
        "purge": "not yet run",
        "processes": "silent",
        "last_beat_tick": None,
        "last_sweep": None,
    }
    assert "no-cache" in response["Cache-Control"]


def test_unreachable_broker_is_503(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert response.json()["database"] == "ok"


def test_without_a_broker_configured_it_says_so(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "not configured"
    assert response.json()["processes"] == "not configured"  # tasks run in-process
    assert response.json()["status"] == "ok"


def test_unreachable_database_is_503():
    # A fresh process, so the app really has no database behind it.
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/none",
        "REDIS_URL": "",
        "ALLOWED_HOSTS": "testserver",
    }
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz', secure=True);"
        "print(r.status_code, r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {
        "status": "unavailable",
        "database": "unavailable",
        "broker": "not configured",
        "purge": "unknown",
        "processes": "unknown",
        "last_beat_tick": None,
        "last_sweep": None,
    }


def test_post_is_not_allowed(client):
    assert client.post("/healthz").status_code == 405
