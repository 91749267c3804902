"""Every URL under /desk/, found by walking the resolver (not a list kept by hand), as the
anonymous user, a logged-in outsider and an officer. A new desk URL that skips
views._access.desk_view fails here, with its name."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from enquiries.models import AuditAction, AuditEvent, RightsRequest
from tests import logins, makers

pytestmark = pytest.mark.django_db

# What an officer gets from a plain GET; POST-only URLs answer 405. A new desk URL must be
# added here (with what it should answer), or test_every_desk_url_is_known fails.
OFFICER_GET = {
    "desk:queue": 200,
    "desk:search": 200,
    "desk:log": 200,
    "desk:suggest_journalists": 405,
    "desk:suggest_outlets": 405,
    "desk:enquiry": 200,
    "desk:enquiry_edit": 200,
    "desk:enquiry_presence": 405,
    "desk:enquiry_message": 405,
    "desk:enquiry_reply": 405,
    "desk:enquiry_assign": 405,
    "desk:enquiry_status": 405,
    "desk:enquiry_accept_form_details": 405,
    "desk:enquiry_reclassify": 405,
    "desk:routing_retry": 405,
    "desk:mail_retry": 405,
    "desk:routing_release": 405,
    "desk:routing_case_number": 405,
    "desk:journalists": 200,
    "desk:journalist": 200,
    "desk:journalist_edit": 200,
    "desk:journalist_merge": 200,
    "desk:journalist_erase": 405,
    "desk:journalist_export": 405,
    "desk:rights": 200,
    "desk:rights_new": 405,
    "desk:rights_extend": 405,
    "desk:rights_complete": 405,
    "desk:opt_out": 405,
    "desk:log_out_everywhere": 405,
    "desk:reports": 200,
    "desk:reports_csv": 200,
    "desk:inbox": 200,
    "desk:inbox_attach": 405,
    "desk:inbox_enquiry": 405,
    "desk:inbox_discard": 405,
    "desk:attachment": 404,
}


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            found.append((route, f"{namespace}{pattern.name}"))
    return found


def desk_routes() -> list[tuple[str, str]]:
    return [
        (route, name)
        for route, name in _walk(get_resolver().url_patterns)
        if route.startswith("desk/")
    ]


def _url(route: str, ids: dict[str, int]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(ids[match.group(1)]), route)


@pytest.fixture
def ids() -> dict[str, int]:
    journalist = makers.make_journalist()
    enquiry = makers.make_enquiry(journalist=journalist)
    # Made directly: the walk counts audit events, and this fixture is not what it checks.
    request = RightsRequest.objects.create(
        kind="access", channel="phone", received_at=timezone.now(), due_date=timezone.localdate()
    )
    return {
        "enquiry_id": enquiry.pk,
        "journalist_id": journalist.pk,
        "request_id": request.pk,
        "fmt": "json",
        "mail_id": 1,
        "table": "channel",
        "held_id": 1,
        "attachment_id": 1,
    }


def test_the_walk_finds_the_desk():
    names = {name for _route, name in desk_routes()}
    assert {"desk:queue", "desk:log", "desk:enquiry", "desk:journalist"} <= names


def test_every_desk_view_is_wrapped_in_desk_view():
    resolver = get_resolver()
    for route, name in desk_routes():
        some_ids = {"enquiry_id": 1, "journalist_id": 1, "request_id": 1, "fmt": "json",
                    "mail_id": 1, "table": "channel", "held_id": 1, "attachment_id": 1}  # fmt: skip
        callback = resolver.resolve(_url(route, some_ids)).func
        assert getattr(callback, "desk_protected", False), name


def test_every_desk_url_is_known():
    assert {name for _route, name in desk_routes()} == set(OFFICER_GET)


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_are_sent_to_the_login_page(client, ids, method):
    for route, name in desk_routes():
        url = _url(route, ids)
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/?next="), name
    assert AuditEvent.objects.exclude(action__endswith=".created").count() == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_users_without_the_permission_get_403_and_it_is_logged(
    outsider_client, ids, method, caplog
):
    for route, name in desk_routes():
        url = _url(route, ids)
        with caplog.at_level("WARNING", logger="enquiries.desk.access"):
            response = getattr(outsider_client, method)(url)
        assert response.status_code == 403, name
    denials = [r for r in caplog.records if r.name == "enquiries.desk.access"]
    assert len(denials) == len(desk_routes())
    assert "ola" not in caplog.text.lower()
    assert (
        AuditEvent.objects.exclude(action__endswith=".created")
        .exclude(action=AuditAction.LOGIN)
        .count()
        == 0
    )


def test_officers_get_every_desk_page(officer_client, ids):
    for route, name in desk_routes():
        response = officer_client.get(_url(route, ids))
        assert response.status_code == OFFICER_GET[name], name


def test_a_superuser_may_use_the_desk(client, ids):
    client.force_login(makers.make_user(username="root", is_superuser=True))
    assert client.get("/desk/").status_code == 200


def test_desk_pages_are_not_cached(officer_client, ids):
    response = officer_client.get("/desk/")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_after_logging_in_an_officer_lands_on_the_desk(client, officer):
    password_only = logins.post_password(client, username="officer")
    assert password_only["Location"] == logins.SECOND_FACTOR_URL
    assert client.get("/desk/").status_code == 302  # not in yet
    response = client.post(logins.SECOND_FACTOR_URL, {"code": makers.totp_code()})
    assert response["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200


def test_unknown_ids_are_404_for_officers(officer_client):
    assert officer_client.get("/desk/enquiries/999999/").status_code == 404
    assert officer_client.get("/desk/journalists/999999/").status_code == 404


def test_desk_pages_have_no_inline_script_or_style_and_keep_the_csp(officer_client, ids):
    for route, name in desk_routes():
        if OFFICER_GET[name] != 200:
            continue
        response = officer_client.get(_url(route, ids))
        html = response.content.decode()
        assert "unsafe-inline" not in response["Content-Security-Policy"], name
        assert "<style" not in html, name
        assert " style=" not in html, name
        assert re.search(r"<script(?![^>]*\bsrc=)", html) is None, name
        assert re.search(r"\son[a-z]+=", html) is None, name


def test_the_permission_counts_however_it_is_granted(client):
    from django.contrib.auth.models import Permission

    direct = makers.make_user(username="direct")
    direct.user_permissions.add(Permission.objects.get(codename="use_desk"))
    superuser = makers.make_user(username="root", is_superuser=True)
    retired = makers.make_officer(username="retired", is_active=False)
    for user, expected in [(direct, 200), (superuser, 200), (retired, 302)]:
        client.force_login(user)
        assert client.get("/desk/").status_code == expected, user.username
        client.logout()


def test_whoever_may_use_the_desk_may_be_assigned_work_and_nobody_else(officer_client):
    from django.contrib.auth.models import Permission

    direct = makers.make_user(username="direct")
    direct.user_permissions.add(Permission.objects.get(codename="use_desk"))
    makers.make_user(username="root", is_superuser=True)
    makers.make_officer(username="retired", is_active=False)
    makers.make_user(username="outsider")
    enquiry = makers.make_enquiry()
    page = officer_client.get(f"/desk/enquiries/{enquiry.pk}/")
    choices = {label for _pk, label in page.context["assign_form"].fields["officer"].choices}
    assert {"direct", "root", "officer"} <= choices
    assert not {"retired", "outsider"} & choices
    response = officer_client.post(
        f"/desk/enquiries/{enquiry.pk}/assign/", {"officer": direct.pk}, follow=True
    )
    assert response.status_code == 200
    enquiry.refresh_from_db()
    assert enquiry.assigned_to_id == direct.pk
