"""Django admin for administrators: every model listed, settings as one row, audit read-only."""

import pytest
from django.contrib.auth.models import Group

from enquiries import selectors
from enquiries.models import AuditEvent, DeskSettings, Outlet, TopicCategory
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
    assert selectors.desk_settings().notice == ""
    form = {
        "press_phone": "+47 21 00 00 00",
        "press_email": "presse@helseetaten.example",
        "notice": "Stor pågang: svar kan ta lengre tid enn vanlig.",
        "post_registry_email": "postmottak@helseetaten.example",
        "public_journal_url": "https://einnsyn.no/",
        "retention_years": "3",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/enquiries/desksettings/1/change/", form)
    assert response.status_code == 302
    assert DeskSettings.objects.get().notice.startswith("Stor pågang")
    assert selectors.desk_settings().notice.startswith("Stor pågang")
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
