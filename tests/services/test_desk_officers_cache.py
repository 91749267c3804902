"""The officers' list comes from the shared cache on every desk page, and any change to who may
use the desk drops it at once, through admin's models or a service alike (on both stacks)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from enquiries import access
from enquiries.handling.duty import current_shift
from enquiries.models import DutyShift
from tests import makers

pytestmark = pytest.mark.django_db


def _names() -> list[str]:
    return [officer.username for officer in access.desk_officers()]


def test_the_list_is_read_once_then_served_from_the_cache(django_assert_num_queries):
    makers.make_officer(username="kari")
    assert _names() == ["kari"]
    with django_assert_num_queries(0):
        assert _names() == ["kari"]


def test_a_permission_granted_directly_shows_at_once():
    assert _names() == []
    user = makers.make_user(username="per")
    assert _names() == []
    user.user_permissions.add(Permission.objects.get(codename="use_desk"))
    assert _names() == ["per"]


def test_leaving_the_group_or_being_deactivated_removes_an_officer_at_once():
    kari = makers.make_officer(username="kari")
    per = makers.make_officer(username="per")
    assert _names() == ["kari", "per"]
    kari.groups.clear()
    assert _names() == ["per"]
    per.is_active = False
    per.save(update_fields=["is_active"])
    assert _names() == []


def test_a_group_losing_the_permission_or_deleted_takes_its_members_along():
    makers.make_officer(username="kari")
    officers = Group.objects.get(name="Press officers")
    helpers = Group.objects.create(name="Vikarer")
    helpers.permissions.add(Permission.objects.get(codename="use_desk"))
    makers.make_user(username="vikar").groups.add(helpers)
    assert _names() == ["kari", "vikar"]
    officers.permissions.remove(Permission.objects.get(codename="use_desk"))
    assert _names() == ["vikar"]
    helpers.delete()
    assert _names() == []


def test_an_officer_no_longer_on_the_desk_is_not_on_duty():
    kari = makers.make_officer(username="kari")
    now = timezone.now()
    DutyShift.objects.create(
        officer=kari, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    shift = current_shift()
    assert shift is not None
    assert shift.officer.username == "kari"
    kari.groups.clear()
    assert current_shift() is None
