import pytest

from enquiries.core.errors import CannotMergeWithItself, JournalistNotFound
from enquiries.handling import contacts
from enquiries.models import AuditEvent, Journalist
from tests import makers

pytestmark = pytest.mark.django_db


def test_enquiries_follow_and_blanks_are_filled_from_the_duplicate(officer):
    keep = makers.make_journalist(email=None, mobile="")
    duplicate = makers.make_journalist(
        first_name="Ola",
        last_name="Nordmann",
        email="ola@vg.no",
        mobile="+47 400 33 431",
        outlet=makers.make_outlet(),
    )
    first = makers.make_enquiry(journalist=keep)
    second = makers.make_enquiry(journalist=duplicate)
    merged = contacts.merge_journalists(keep_id=keep.pk, duplicate_id=duplicate.pk, by=officer)
    assert list(Journalist.objects.values_list("pk", flat=True)) == [keep.pk]
    assert set(merged.enquiries.values_list("pk", flat=True)) == {first.pk, second.pk}
    merged.refresh_from_db()
    assert (merged.email, merged.mobile, merged.outlet.name) == ("ola@vg.no", "+4740033431", "VG")
    event = AuditEvent.objects.get(action="journalist.merged")
    assert event.journalist_id == keep.pk
    assert event.detail == {
        "merged_from": duplicate.pk,
        "enquiries": 1,
        "fields": ["email", "mobile", "outlet"],
    }


def test_the_kept_contact_keeps_its_own_details(officer):
    keep = makers.make_journalist(email="ola@vg.no")
    duplicate = makers.make_journalist(email="ola.n@vg.no")
    merged = contacts.merge_journalists(keep_id=keep.pk, duplicate_id=duplicate.pk, by=officer)
    assert merged.email == "ola@vg.no"


def test_merging_with_itself_or_a_missing_contact_is_refused(officer):
    keep = makers.make_journalist()
    with pytest.raises(CannotMergeWithItself):
        contacts.merge_journalists(keep_id=keep.pk, duplicate_id=keep.pk, by=officer)
    with pytest.raises(JournalistNotFound):
        contacts.merge_journalists(keep_id=keep.pk, duplicate_id=keep.pk + 99, by=officer)
    assert Journalist.objects.count() == 1
    assert not AuditEvent.objects.filter(action="journalist.merged").exists()


def test_the_officers_choices_decide_each_field_and_rights_requests_follow(officer):
    from enquiries.privacy.rights import open_rights_request

    keep = makers.make_journalist(email="ola@vg.no", mobile="")
    duplicate = makers.make_journalist(
        first_name="Ola Martin", email="ola.nordmann@nrk.no", phone="22 33 44 55", mobile=""
    )
    request = open_rights_request(by=None, kind="access", channel="phone", journalist=duplicate)
    merged = contacts.merge_journalists(
        keep_id=keep.pk, duplicate_id=duplicate.pk, by=officer, take=["email", "first_name"]
    )
    merged.refresh_from_db()
    # Chosen: the duplicate's address and first name. Not chosen: its phone, though ours is blank.
    assert (merged.first_name, merged.email, merged.phone) == (
        "Ola Martin",
        "ola.nordmann@nrk.no",
        "",
    )
    request.refresh_from_db()
    assert request.journalist_id == keep.pk
    event = AuditEvent.objects.get(action="journalist.merged")
    assert event.detail["fields"] == ["first_name", "email"]
    assert event.detail["rights_requests"] == 1
    assert "nrk" not in str(event.detail)


def test_a_name_is_never_made_blank_and_unknown_fields_are_refused(officer):
    keep = makers.make_journalist()
    duplicate = makers.make_journalist(email=None, mobile="")
    Journalist.objects.filter(pk=duplicate.pk).update(first_name="")
    with pytest.raises(TypeError):
        contacts.merge_journalists(
            keep_id=keep.pk, duplicate_id=duplicate.pk, by=officer, take=["password"]
        )
    merged = contacts.merge_journalists(
        keep_id=keep.pk, duplicate_id=duplicate.pk, by=officer, take=["first_name"]
    )
    merged.refresh_from_db()
    assert merged.first_name == "Ola"
