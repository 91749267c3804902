"""/desk/journalists/<id>/merge/: pick the duplicate, choose field by field with both cards
side by side, confirm; nothing changes before the confirmation, and the duplicate's values
are lost only where the officer chose so (the confirmation lists them)."""

import pytest

from enquiries.forms.desk import MERGE_FIELDS
from enquiries.models import AuditAction, AuditEvent, Journalist, RightsRequest
from enquiries.privacy.rights import open_rights_request
from tests import makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    keep = makers.make_journalist(email="ola@vg.no", mobile="", outlet=makers.make_outlet())
    duplicate = makers.make_journalist(
        email="ola.nordmann@nrk.no", mobile="+47 400 33 431", phone="22 33 44 55"
    )
    return keep, duplicate


def _choices(**taken: str) -> dict[str, str]:
    return {name: taken.get(name, "keep") for name in MERGE_FIELDS}


def test_without_a_duplicate_the_page_offers_the_likely_ones(officer_client, pair):
    keep, duplicate = pair
    response = officer_client.get(f"/desk/journalists/{keep.pk}/merge/")
    assert response.status_code == 200
    assert response.context["candidates"] == [duplicate]
    listed = AuditEvent.objects.get(action=AuditAction.JOURNALIST_LISTED)
    assert (listed.journalist_id, listed.journalist_ids) == (keep.pk, [duplicate.pk])


def test_both_cards_side_by_side_with_a_choice_for_each_differing_field(
    officer_client, officer, pair
):
    keep, duplicate = pair
    makers.make_enquiry(journalist=duplicate)
    response = officer_client.get(f"/desk/journalists/{keep.pk}/merge/?duplicate={duplicate.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["ola@vg.no", "ola.nordmann@nrk.no", "40 03 34 31", "22 33 44 55", "VG"]:
        assert text in html
    rows = {row["name"]: row for row in response.context["rows"]}
    assert rows["first_name"]["same"]
    assert rows["last_name"]["same"]
    assert not rows["email"]["same"]
    # Chosen at first: this card's value, or the duplicate's where this card has none.
    assert 'name="email" value="keep" id="email-keep" checked' in html
    assert 'name="mobile" value="duplicate" id="mobile-duplicate" checked' in html
    assert response.context["counts"]["duplicate"]["enquiries"] == 1
    viewed = AuditEvent.objects.get(action=AuditAction.JOURNALIST_VIEWED, actor=officer)
    assert (viewed.journalist_id, viewed.journalist_ids) == (keep.pk, [duplicate.pk])
    assert Journalist.objects.count() == 2


def test_review_shows_what_is_kept_and_what_goes_and_changes_nothing(officer_client, pair):
    keep, duplicate = pair
    response = officer_client.post(
        f"/desk/journalists/{keep.pk}/merge/",
        {"duplicate": duplicate.pk, "action": "review", **_choices(mobile="duplicate")},
    )
    assert response.status_code == 200
    assert response.context["confirming"]
    rows = {row["name"]: row for row in response.context["rows"]}
    assert (rows["email"]["result"], rows["email"]["lost"]) == ("ola@vg.no", "ola.nordmann@nrk.no")
    assert rows["mobile"]["result"] == "40 03 34 31"
    html = response.content.decode()
    assert "<del>ola.nordmann@nrk.no</del>" in html
    assert 'value="confirm"' in html
    assert Journalist.objects.count() == 2
    assert not AuditEvent.objects.filter(action=AuditAction.JOURNALIST_MERGED).exists()


def test_confirming_merges_with_the_values_chosen(officer_client, pair):
    keep, duplicate = pair
    enquiry = makers.make_enquiry(journalist=duplicate)
    request = open_rights_request(by=None, kind="access", channel="phone", journalist=duplicate)
    response = officer_client.post(
        f"/desk/journalists/{keep.pk}/merge/",
        {
            "duplicate": duplicate.pk,
            "action": "confirm",
            **_choices(email="duplicate", mobile="duplicate", phone="duplicate"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/desk/journalists/{keep.pk}/"
    keep.refresh_from_db()
    assert (keep.email, keep.mobile, keep.phone, keep.outlet.name) == (
        "ola.nordmann@nrk.no",
        "+4740033431",
        "+4722334455",
        "VG",
    )
    assert not Journalist.objects.filter(pk=duplicate.pk).exists()
    enquiry.refresh_from_db()
    request.refresh_from_db()
    assert enquiry.journalist_id == keep.pk
    assert request.journalist_id == keep.pk
    event = AuditEvent.objects.get(action=AuditAction.JOURNALIST_MERGED)
    assert event.detail == {
        "merged_from": duplicate.pk,
        "enquiries": 1,
        "fields": ["email", "phone", "mobile"],
        "rights_requests": 1,
    }


def test_a_confirmation_without_choices_goes_back_to_the_choice(officer_client, pair):
    keep, duplicate = pair
    response = officer_client.post(
        f"/desk/journalists/{keep.pk}/merge/", {"duplicate": duplicate.pk, "action": "confirm"}
    )
    assert response.status_code == 400
    assert not response.context["confirming"]
    assert Journalist.objects.count() == 2


@pytest.mark.parametrize("value", ["", "abc", "0", "999999", "-1", "99999999999999999999"])
def test_a_bad_duplicate_is_a_field_error_and_changes_nothing(officer_client, pair, value):
    keep, _duplicate = pair
    response = officer_client.post(
        f"/desk/journalists/{keep.pk}/merge/",
        {"duplicate": value, "action": "confirm", **_choices()},
    )
    assert response.status_code == 400
    assert "duplicate" in response.context["form"].errors
    assert Journalist.objects.count() == 2
    assert not AuditEvent.objects.filter(action=AuditAction.JOURNALIST_MERGED).exists()


def test_merging_with_itself_is_a_field_error(officer_client, pair):
    keep, _duplicate = pair
    response = officer_client.get(f"/desk/journalists/{keep.pk}/merge/?duplicate={keep.pk}")
    assert response.status_code == 400
    assert "duplicate" in response.context["form"].errors


def test_the_card_lists_the_journalists_rights_requests(officer_client, pair):
    keep, duplicate = pair
    mine = open_rights_request(
        by=None,
        kind="erasure",
        channel="phone",
        journalist=keep,
        requester_name="Ola Nordmann",
        identity_check="call_back",
    )
    open_rights_request(by=None, kind="access", channel="letter", journalist=duplicate)
    response = officer_client.get(f"/desk/journalists/{keep.pk}/")
    assert response.context["rights_requests"] == [mine]
    html = response.content.decode()
    table = html[html.index('class="table table-sm align-middle journalist-rights"') :]
    assert "Ringt tilbake" in table or "call-back" in table
    assert RightsRequest.objects.count() == 2


def test_changing_the_choices_goes_back_with_them_kept(officer_client, pair):
    keep, duplicate = pair
    response = officer_client.post(
        f"/desk/journalists/{keep.pk}/merge/",
        {"duplicate": duplicate.pk, "action": "change", **_choices(email="duplicate")},
    )
    assert response.status_code == 200
    assert not response.context["confirming"]
    html = response.content.decode()
    assert 'name="email" value="duplicate" id="email-duplicate" checked' in html
    assert Journalist.objects.count() == 2
