"""Admin: retention per channel as fields, outlets merged with a confirmation, the rota."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enquiries.core.desk_settings import desk_settings
from enquiries.models import AuditEvent, DeskSettings, DutyShift, Enquiry, Journalist, Outlet
from enquiries.models.enquiry import Channel
from tests import makers

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/admin/enquiries/desksettings/1/change/"


def _settings_form(**changes: str) -> dict[str, str]:
    row = DeskSettings.objects.get()
    form = {
        "press_phone": row.press_phone,
        "press_email": row.press_email,
        "notice": row.notice,
        "post_registry_email": row.post_registry_email,
        "public_journal_url": row.public_journal_url,
        "retention_years": str(row.retention_years),
        "office_opens": "08:00",
        "office_closes": "16:00",
    }
    form.update({f"retention_{channel}": "" for channel in Channel.values})
    form.update(changes)
    return form


def test_each_channel_has_a_months_field_and_no_json_is_shown(admin_client):
    DeskSettings.objects.update(channel_retention_months={"social": 6})
    page = admin_client.get(SETTINGS_URL).content.decode()
    for channel in Channel.values:
        assert f'name="retention_{channel}"' in page
    assert 'name="retention_social" value="6"' in page
    assert 'name="channel_retention_months"' not in page


def test_months_typed_in_the_fields_are_stored_and_audited(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            SETTINGS_URL, _settings_form(retention_social="6", retention_email="24")
        )
    assert response.status_code == 302
    assert DeskSettings.objects.get().channel_retention_months == {"email": 24, "social": 6}
    assert desk_settings().channel_retention_months == {"email": 24, "social": 6}
    event = AuditEvent.objects.get(action="settings.changed")
    assert event.detail == {"fields": ["channel_retention_months"]}
    # Emptied again: the channel follows the general period.
    admin_client.post(SETTINGS_URL, _settings_form(retention_email="24"))
    assert DeskSettings.objects.get().channel_retention_months == {"email": 24}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"retention_social": "36"}, "retention_social"),  # not shorter than 3 years
        ({"retention_social": "0"}, "retention_social"),
        ({"retention_social": "seks"}, "retention_social"),
        ({"retention_years": "1", "retention_phone": "12"}, "retention_phone"),
        ({"office_opens": "16:00", "office_closes": "08:00"}, "office_closes"),
    ],
)
def test_a_bad_value_is_a_field_error_and_nothing_changes(admin_client, changes, field):
    DeskSettings.objects.update(channel_retention_months={"social": 6})
    response = admin_client.post(SETTINGS_URL, _settings_form(**changes))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    row = DeskSettings.objects.get()
    assert (row.channel_retention_months, row.retention_years) == ({"social": 6}, 3)
    assert not AuditEvent.objects.filter(action="settings.changed").exists()


@pytest.fixture
def variants():
    kept = makers.make_outlet(name="Dagbladet")
    sparkly = makers.make_outlet(name="Dagbladet ✨")
    spaced = makers.make_outlet(name="Dagbladet.no")
    other = makers.make_outlet(name="VG")
    kari = makers.make_journalist(
        first_name="Kari", last_name="Holm", email="kari.holm@dagbladet.no", outlet=sparkly
    )
    enquiries = [
        makers.make_enquiry(journalist=kari),  # takes the journalist's outlet
        makers.make_enquiry(outlet=spaced),
        makers.make_enquiry(outlet=kept),
        makers.make_enquiry(outlet=other),
        makers.make_enquiry(journalist=kari, topic="Oppfølging"),
    ]
    return {"kept": kept, "merged": [sparkly, spaced], "other": other, "kari": kari, "e": enquiries}


def _action(variants, **extra: str) -> dict[str, object]:
    ids = [str(variants["kept"].pk), *(str(outlet.pk) for outlet in variants["merged"])]
    return {"action": "merge_outlets", "_selected_action": ids, **extra}


def test_merging_asks_first_and_changes_nothing_until_confirmed(admin_client, variants):
    response = admin_client.post("/admin/enquiries/outlet/", _action(variants))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="merge-outlets"' in page
    counts = {o.name: (o.enquiry_total, o.journalist_total) for o in response.context["outlets"]}
    assert counts == {"Dagbladet": (1, 0), "Dagbladet ✨": (2, 1), "Dagbladet.no": (1, 0)}
    for outlet in [variants["kept"], *variants["merged"]]:
        assert outlet.name in page
    assert Outlet.objects.count() == 4
    assert not AuditEvent.objects.filter(action="reference.outlets_merged").exists()


def test_confirmed_the_enquiries_and_journalists_move_to_the_one_kept(admin_client, variants):
    kept = variants["kept"]
    response = admin_client.post(
        "/admin/enquiries/outlet/", _action(variants, confirmed="yes", keep=str(kept.pk))
    )
    assert response.status_code == 302
    assert sorted(Outlet.objects.values_list("name", flat=True)) == ["Dagbladet", "VG"]
    moved = Enquiry.objects.exclude(pk=variants["e"][3].pk)
    assert set(moved.values_list("outlet", flat=True)) == {kept.pk}
    assert Enquiry.objects.get(pk=variants["e"][3].pk).outlet == variants["other"]
    assert Journalist.objects.get(pk=variants["kari"].pk).outlet == kept
    event = AuditEvent.objects.get(action="reference.outlets_merged")
    assert event.detail == {
        "kept_id": kept.pk,
        "merged_ids": sorted(outlet.pk for outlet in variants["merged"]),
    }


def test_keeping_an_outlet_that_was_not_selected_merges_nothing(admin_client, variants):
    response = admin_client.post(
        "/admin/enquiries/outlet/",
        _action(variants, confirmed="yes", keep=str(variants["other"].pk)),
        follow=True,
    )
    assert response.status_code == 200
    assert Outlet.objects.count() == 4
    assert not AuditEvent.objects.filter(action="reference.outlets_merged").exists()


def test_one_outlet_alone_cannot_be_merged(admin_client, variants):
    response = admin_client.post(
        "/admin/enquiries/outlet/",
        {"action": "merge_outlets", "_selected_action": [str(variants["kept"].pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert Outlet.objects.count() == 4


def test_the_rota_offers_only_press_officers_and_is_audited(admin_client):
    pia = makers.make_officer(username="pia", first_name="Pia", last_name="Presse")
    outsider = makers.make_user(username="outsider")
    page = admin_client.get("/admin/enquiries/dutyshift/add/").content.decode()
    assert "Pia Presse" in page
    assert f'value="{outsider.pk}"' not in page
    start = timezone.localtime() - timedelta(hours=1)
    form = {
        "officer": str(pia.pk),
        "starts_at_0": start.strftime("%d.%m.%Y"),
        "starts_at_1": start.strftime("%H:%M"),
        "ends_at_0": (start + timedelta(hours=9)).strftime("%d.%m.%Y"),
        "ends_at_1": (start + timedelta(hours=9)).strftime("%H:%M"),
    }
    assert admin_client.post("/admin/enquiries/dutyshift/add/", form).status_code == 302
    shift = DutyShift.objects.get()
    assert shift.officer == pia
    assert AuditEvent.objects.filter(
        action="duty.rota_changed", detail={"shift_id": shift.pk}
    ).exists()
    refused = admin_client.post(
        "/admin/enquiries/dutyshift/add/", {**form, "officer": str(outsider.pk)}
    )
    assert refused.status_code == 200
    assert DutyShift.objects.count() == 1
