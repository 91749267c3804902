"""Django admin for administrators: every model listed, settings as one row, audit read-only."""

from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import Group

from enquiries.core.desk_settings import desk_settings
from enquiries.handling import enquiries as handling
from enquiries.mail import outbox
from enquiries.models import (
    AuditEvent,
    CannedReply,
    DeskSettings,
    OutboundEmail,
    Outlet,
    TopicCategory,
)
from tests import makers

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "/admin/enquiries/enquiry/",
    "/admin/enquiries/journalist/",
    "/admin/enquiries/message/",
    "/admin/enquiries/outlet/",
    "/admin/enquiries/topiccategory/",
    "/admin/enquiries/auditevent/",
    "/admin/enquiries/referencecounter/",
    "/admin/enquiries/erasurereceipt/",
    "/admin/enquiries/suppression/",
    "/admin/enquiries/rightsrequest/",
    "/admin/enquiries/selfservicelink/",
    "/admin/enquiries/purgerun/",
    "/admin/enquiries/monthlytally/",
    "/admin/enquiries/outboundemail/",
    "/admin/enquiries/foirouting/",
    "/admin/enquiries/cannedreply/",
    "/admin/enquiries/dutyshift/",
]


@pytest.fixture
def some_data():
    journalist = makers.make_journalist(outlet=makers.make_outlet())
    enquiry = makers.make_enquiry(journalist=journalist)
    return enquiry


@pytest.mark.parametrize("url", CHANGELISTS)
def test_every_changelist_loads_with_search_and_filters(admin_client, some_data, url):
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "Nordmann"}).status_code == 200


def test_the_log_is_read_only_in_admin(admin_client, some_data):
    assert admin_client.get("/admin/enquiries/enquiry/add/").status_code == 403
    page = admin_client.get(f"/admin/enquiries/enquiry/{some_data.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.get("/admin/enquiries/auditevent/add/").status_code == 403


def test_desk_settings_is_one_row_edited_in_place(admin_client):
    response = admin_client.get("/admin/enquiries/desksettings/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/enquiries/desksettings/1/change/"
    assert admin_client.get("/admin/enquiries/desksettings/add/").status_code == 403


def test_saving_desk_settings_goes_through_the_service_and_clears_the_cache(
    admin_client, django_capture_on_commit_callbacks
):
    # The settings row cached under this test's own key prefix (tests/conftest.py).
    assert desk_settings().notice == ""
    form = {
        "press_phone": "+47 21 00 00 00",
        "press_email": "presse@helseetaten.example",
        "notice": "Stor pågang: svar kan ta lengre tid enn vanlig.",
        "post_registry_email": "postmottak@helseetaten.example",
        "public_journal_url": "https://einnsyn.no/",
        "retention_years": "3",
        "office_opens": "08:00",
        "office_closes": "16:00",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/enquiries/desksettings/1/change/", form)
    assert response.status_code == 302
    assert DeskSettings.objects.get().notice.startswith("Stor pågang")
    assert desk_settings().notice.startswith("Stor pågang")
    assert AuditEvent.objects.filter(
        action="settings.changed", detail={"fields": ["notice"]}
    ).exists()


def test_an_outlet_differing_only_in_case_is_a_form_error(admin_client):
    Outlet.objects.create(name="Aftenposten", kind="newspaper")
    response = admin_client.post(
        "/admin/enquiries/outlet/add/", {"name": "AFTENPOSTEN", "kind": "newspaper"}
    )
    assert response.status_code == 200
    assert (
        "already exists" in response.content.decode()
        or "finnes allerede" in response.content.decode()
    )
    assert Outlet.objects.count() == 1


def test_administrators_add_topic_categories(admin_client):
    response = admin_client.post(
        "/admin/enquiries/topiccategory/add/", {"name": "  Legemidler  ", "is_active": "on"}
    )
    assert response.status_code == 302
    assert TopicCategory.objects.get().name == "Legemidler"


def test_deleting_an_outlet_keeps_its_journalists_and_is_audited(admin_client):
    outlet = makers.make_outlet(name="Nordlys")
    journalist = makers.make_journalist(outlet=outlet)
    response = admin_client.post(
        "/admin/enquiries/outlet/",
        {"action": "delete_selected", "_selected_action": [outlet.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Outlet.objects.exists()
    journalist.refresh_from_db()
    assert journalist.outlet is None
    assert AuditEvent.objects.filter(
        action="reference.changed", detail={"model": "outlet", "id": outlet.pk, "deleted": True}
    ).exists()


def test_press_officers_group_has_the_desk_permission():
    group = Group.objects.get(name="Press officers")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"use_desk", "view_enquiry", "change_enquiry", "add_journalist"} <= codenames
    assert "delete_enquiry" not in codenames
    officer = makers.make_officer()
    assert officer.has_perm("enquiries.use_desk")
    assert not makers.make_user().has_perm("enquiries.use_desk")


# --- The list filters, used as an administrator uses them ------------------------------------


def _shown(admin_client, url: str, query: str = "") -> list:
    """The rows the changelist shows after following the filter link for `query` (one
    parameter, e.g. "?status__exact=new"): the link must be on the page, as an administrator
    would click it, and is not typed by hand."""
    if query:
        changelist = admin_client.get(url).context["cl"]
        wanted = parse_qs(query.lstrip("?"))
        offered = [
            choice["query_string"]
            for spec in changelist.filter_specs
            for choice in spec.choices(changelist)
        ]
        assert any(parse_qs(link.lstrip("?")) == wanted for link in offered), (
            f"no filter link {query} on {url}"
        )
    response = admin_client.get(f"{url}{query}")
    assert response.status_code == 200, f"{url}{query} answered {response.status_code}"
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize("url", CHANGELISTS)
def test_every_choice_of_every_filter_is_applied(admin_client, some_data, url):
    """Each filter link on the page, followed: it answers 200 (a lookup the admin cannot use
    redirects to ?e=1) and comes back marked as the chosen one (the filter was applied)."""
    changelist = admin_client.get(url).context["cl"]
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            response = admin_client.get(f"{url}{choice['query_string']}")
            assert response.status_code == 200, (url, spec.title, choice["display"])
            filtered = response.context["cl"]
            (again,) = [s for s in filtered.filter_specs if s.title == spec.title]
            chosen = [c["display"] for c in again.choices(filtered) if c["selected"]]
            assert chosen == [choice["display"]], (url, spec.title)


def test_the_enquiry_filters_show_only_the_matching_enquiries(admin_client):
    category = TopicCategory.objects.create(name="Vaksiner")
    plain = makers.make_enquiry(topic="Vanlig")
    by_mail = makers.make_enquiry(
        topic="På e-post", channel="email", topic_category=category, opted_out=True
    )
    handling.change_status(enquiry_id=by_mail.pk, status="in_progress", by=None)
    url = "/admin/enquiries/enquiry/"

    assert {e.pk for e in _shown(admin_client, url)} == {plain.pk, by_mail.pk}
    assert [e.pk for e in _shown(admin_client, url, "?channel__exact=email")] == [by_mail.pk]
    assert [e.pk for e in _shown(admin_client, url, "?channel__exact=phone")] == [plain.pk]
    assert [e.pk for e in _shown(admin_client, url, "?status__exact=in_progress")] == [by_mail.pk]
    assert [e.pk for e in _shown(admin_client, url, "?status__exact=new")] == [plain.pk]
    assert [e.pk for e in _shown(admin_client, url, "?opted_out__exact=1")] == [by_mail.pk]
    assert [e.pk for e in _shown(admin_client, url, "?opted_out__exact=0")] == [plain.pk]
    query = f"?topic_category__id__exact={category.pk}"
    assert [e.pk for e in _shown(admin_client, url, query)] == [by_mail.pk]
    assert _shown(admin_client, url, "?kind__exact=foi") == []


def test_the_journalist_and_outbox_filters_show_only_the_matching_rows(admin_client):
    on_air = makers.make_journalist(
        first_name="Kari", email="kari@nrk.no", mobile="", outlet=makers.make_outlet(
            name="NRK", kind=Outlet.Kind.BROADCASTER
        )
    )  # fmt: skip
    in_print = makers.make_journalist(outlet=makers.make_outlet())
    url = "/admin/enquiries/journalist/"
    assert [j.pk for j in _shown(admin_client, url, "?outlet__kind__exact=broadcaster")] == [
        on_air.pk
    ]
    assert [j.pk for j in _shown(admin_client, url, "?outlet__kind__exact=newspaper")] == [
        in_print.pk
    ]

    waiting = outbox.queue_email(kind="notice", to="kari@nrk.no", subject="S", body="B", key="1")
    gone = outbox.queue_email(kind="notice", to="ola@vg.no", subject="S", body="B", key="2")
    OutboundEmail.objects.filter(pk=gone.pk).update(status=OutboundEmail.Status.FAILED)
    url = "/admin/enquiries/outboundemail/"
    assert [m.pk for m in _shown(admin_client, url, "?status__exact=failed")] == [gone.pk]
    assert [m.pk for m in _shown(admin_client, url, "?status__exact=queued")] == [waiting.pk]


def test_administrators_keep_canned_replies_with_known_placeholders_only(admin_client):
    url = "/admin/enquiries/cannedreply/add/"
    good = {"name": "Mottatt", "body": "Hei {journalist_name}, om {reference}.", "is_active": "on"}
    assert admin_client.post(url, good).status_code == 302
    unknown = admin_client.post(url, {**good, "name": "Annet", "body": "Hei {navn}"})
    assert unknown.status_code == 200
    assert "{navn}" in str(unknown.context["adminform"].form.errors["body"])
    twin = admin_client.post(url, {**good, "name": "MOTTATT"})
    assert twin.status_code == 200  # the same name in other letters: refused
    assert list(CannedReply.objects.values_list("name", flat=True)) == ["Mottatt"]
