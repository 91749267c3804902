"""/desk/log/: quick logging of a phone call, with or without JavaScript."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enquiries.models import AuditAction, AuditEvent, Enquiry, Journalist, Message, Outlet
from tests import makers

pytestmark = pytest.mark.django_db


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _form(**changes: str) -> dict[str, str]:
    return {
        "journalist": "",
        "journalist_lookup": "",
        "outlet_name": "",
        "channel": "phone",
        "received_at": _local(timezone.now()),
        "topic": "Tall for ventetid",
        "details": "Vil ha tall per fylke",
        "topic_category": "",
        "deadline": "",
        "action": "save",
        **changes,
    }


def test_the_form_defaults_to_a_phone_call_received_now(officer_client, stopped_clock):
    form = officer_client.get("/desk/log/").context["form"]
    assert form["channel"].value() == "phone"
    assert form["received_at"].value() == _local(timezone.now())


def test_a_call_from_a_known_journalist_is_logged(officer_client, officer):
    ola = makers.make_journalist(outlet=makers.make_outlet())
    response = officer_client.post("/desk/log/", _form(journalist=str(ola.pk), opted_out="on"))
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/enquiries/{enquiry.pk}/"
    assert (enquiry.journalist, enquiry.outlet.name, enquiry.channel) == (ola, "VG", "phone")
    assert enquiry.opted_out
    assert enquiry.created_by == officer
    assert AuditEvent.objects.filter(action="enquiry.created", actor=officer).count() == 1


def test_a_new_journalist_and_outlet_are_created_inline(officer_client):
    officer_client.post(
        "/desk/log/",
        _form(
            new_first_name="Kari",
            new_last_name="Holm",
            new_email=" Kari.Holm@Khrono.no ",
            new_mobile="415 22 901",
            outlet_name="Khrono",
        ),
    )
    enquiry = Enquiry.objects.get()
    kari = Journalist.objects.get()
    assert (kari.email, kari.mobile, kari.outlet.name) == (
        "kari.holm@khrono.no",
        "+4741522901",
        "Khrono",
    )
    assert enquiry.journalist == kari
    assert enquiry.outlet == kari.outlet


def test_an_existing_outlet_is_reused_in_any_letter_case(officer_client):
    outlet = makers.make_outlet(name="Aftenposten")
    officer_client.post("/desk/log/", _form(outlet_name="aftenposten"))
    assert Outlet.objects.count() == 1
    assert Enquiry.objects.get().outlet == outlet


def test_without_javascript_find_lists_matches_and_keeps_what_was_typed(officer_client):
    ola = makers.make_journalist()
    response = officer_client.post(
        "/desk/log/", _form(journalist_lookup="nordm", action="find", topic="Beholdt emne")
    )
    assert response.status_code == 200
    assert response.context["matches"] == [ola]
    html = response.content.decode()
    assert f'value="{ola.pk}"' in html
    assert "Beholdt emne" in html
    assert Enquiry.objects.count() == 0


def test_find_with_no_match_says_so(officer_client):
    response = officer_client.post("/desk/log/", _form(journalist_lookup="zzz", action="find"))
    assert "journalist_lookup" in response.context["form"].errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"topic": ""}, "topic"),
        ({"topic": "x" * 201}, "topic"),
        ({"topic": "x" * 1_000_000}, "topic"),
        ({"topic": "Rapport\x00"}, "topic"),
        ({"details": "Hei\x07"}, "details"),
        ({"details": "x" * 20_001}, "details"),
        ({"received_at": _local(timezone.now() + timedelta(days=1))}, "received_at"),
        ({"received_at": "yesterday"}, "received_at"),
        ({"received_at": ""}, "received_at"),
        ({"deadline": "2000-01-01T09:00"}, "deadline"),
        ({"new_first_name": "Kari", "new_last_name": "Holm", "new_email": "kari@"}, "new_email"),
        (
            {"new_first_name": "Kari", "new_last_name": "Holm", "new_email": "a@b.no\r\nBcc: x@y"},
            "new_email",
        ),
        ({"new_first_name": "Kari", "new_last_name": "Holm", "new_phone": "123"}, "new_phone"),
        ({"new_first_name": "Kari", "new_last_name": "Holm", "new_mobile": "abc"}, "new_mobile"),
        ({"new_first_name": "Kari", "new_last_name": "x" * 101}, "new_last_name"),
        ({"new_first_name": "Ka\x1bri", "new_last_name": "Holm"}, "new_first_name"),
        ({"new_email": "kari@khrono.no"}, "new_first_name"),
        ({"outlet_name": "x" * 201}, "outlet_name"),
        ({"channel": "pigeon"}, "channel"),
        ({"journalist": "abc"}, "journalist"),
    ],
)
def test_bad_input_is_a_field_error_keeping_the_rest_and_storing_nothing(
    officer_client, changes, field
):
    data = _form(**{"outlet_name": "Nytt Medium", "details": "Beholdt tekst", **changes})
    response = officer_client.post("/desk/log/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    if field != "outlet_name":
        assert "Nytt Medium" in html
    if field != "details":
        assert "Beholdt tekst" in html
    assert Enquiry.objects.count() == 0
    assert Journalist.objects.count() == 0
    assert Outlet.objects.count() == 0
    assert AuditEvent.objects.exclude(action=AuditAction.LOGIN).count() == 0


def test_an_address_already_registered_is_a_field_error_and_nothing_is_stored(officer_client):
    makers.make_journalist()
    response = officer_client.post(
        "/desk/log/",
        _form(
            new_first_name="Ola", new_last_name="N", new_email="OLA.nordmann@vg.no", outlet_name="X"
        ),
    )
    assert response.status_code == 400
    assert "new_email" in response.context["form"].errors
    assert Journalist.objects.count() == 1
    assert Enquiry.objects.count() == 0
    assert not Outlet.objects.filter(name="X").exists()


def test_a_journalist_id_that_does_not_exist_stores_nothing(officer_client):
    response = officer_client.post("/desk/log/", _form(journalist="999999", outlet_name="X"))
    assert response.status_code == 400
    assert Enquiry.objects.count() == 0
    assert Outlet.objects.count() == 0


def test_journalist_suggestions_by_name_e_mail_or_phone(officer_client):
    ola = makers.make_journalist(outlet=makers.make_outlet())
    makers.make_journalist(first_name="Kari", last_name="Holm", email="kari@nrk.no", mobile="")
    for text in ["nordm", "OLA.N", "40033", "400 33"]:
        results = officer_client.post("/desk/suggest/journalists/", {"q": text}).json()["results"]
        assert [r["id"] for r in results] == [ola.pk], text
        assert results[0]["label"] == "Ola Nordmann"
        assert "VG" in results[0]["detail"]


def test_suggestions_need_two_characters_and_ignore_control_characters(officer_client):
    makers.make_journalist()
    assert officer_client.post("/desk/suggest/journalists/", {"q": "o"}).json() == {"results": []}
    response = officer_client.post("/desk/suggest/journalists/", {"q": "no\x00rd"})
    assert response.json() == {"results": []}


def test_outlet_suggestions(officer_client):
    makers.make_outlet(name="Bergens Tidende")
    makers.make_outlet(name="VG")
    results = officer_client.post("/desk/suggest/outlets/", {"q": "tid"}).json()["results"]
    assert [r["label"] for r in results] == ["Bergens Tidende"]


def test_suggestions_are_not_served_by_get(officer_client):
    assert officer_client.get("/desk/suggest/journalists/?q=nordm").status_code == 405


def test_an_untouched_received_time_keeps_the_second_the_form_was_opened(officer_client):
    opened = timezone.localtime().replace(microsecond=0) - timedelta(seconds=20)
    officer_client.post(
        "/desk/log/",
        _form(received_at=opened.strftime("%Y-%m-%dT%H:%M"), opened_at=opened.isoformat()),
    )
    assert Enquiry.objects.get().received_at == opened


def test_an_edited_received_time_is_taken_as_typed(officer_client):
    opened = timezone.localtime().replace(microsecond=0)
    earlier = opened - timedelta(hours=2)
    officer_client.post(
        "/desk/log/",
        _form(received_at=earlier.strftime("%Y-%m-%dT%H:%M"), opened_at=opened.isoformat()),
    )
    assert Enquiry.objects.get().received_at == earlier.replace(second=0)


def test_a_typed_name_that_was_not_picked_lists_matches_instead_of_saving(officer_client):
    ola = makers.make_journalist()
    response = officer_client.post("/desk/log/", _form(journalist_lookup="Ola Nordm"))
    assert response.status_code == 400
    assert response.context["matches"] == [ola]
    assert "journalist" in response.context["form"].errors
    assert Enquiry.objects.count() == 0


def test_a_new_match_list_has_nothing_chosen_so_the_next_enter_cannot_save_it(officer_client):
    ola = makers.make_journalist()
    makers.make_journalist(first_name="Kari", email="kari.nordmann@nrk.no", mobile="")
    listed = officer_client.post("/desk/log/", _form(journalist_lookup="nordm", action="find"))
    html = listed.content.decode()
    assert len(listed.context["matches"]) == 2
    assert 'name="journalist"' in html
    assert " checked" not in html
    # The next Enter sends the form as it stands: no radio chosen, so still nothing saved.
    again = officer_client.post("/desk/log/", _form(journalist_lookup="nordm"))
    assert again.status_code == 400
    assert Enquiry.objects.count() == 0
    chosen = officer_client.post("/desk/log/", _form(journalist_lookup="nordm", journalist=ola.pk))
    assert chosen.status_code == 302
    assert Enquiry.objects.get().journalist == ola


def test_an_error_is_marked_and_described_on_its_field(officer_client):
    response = officer_client.post("/desk/log/", _form(topic=""))
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('name="topic"') - 300 : html.index('name="topic"') + 300]
    assert 'aria-invalid="true"' in field
    assert "is-invalid" in field
    assert 'aria-describedby="id_topic_error"' in field
    assert 'id="id_topic_error"' in html
    # Fields without an error are not marked: the focus goes to the first one that has.
    assert html.count('aria-invalid="true"') == 1


def test_an_unchosen_journalist_marks_the_name_field(officer_client):
    makers.make_journalist()
    html = officer_client.post("/desk/log/", _form(journalist_lookup="nordm")).content.decode()
    at = html.index('name="journalist_lookup"')
    field = html[at - 400 : at + 400]
    assert 'aria-invalid="true"' in field
    assert "id_journalist_lookup_error id_journalist_lookup_help" in field
    assert 'id="id_journalist_lookup_error"' in html


def test_the_opt_out_has_one_wording_in_label_and_help_text(officer_client):
    for language, label, quoted in [
        ("nb", "Ikke loggfør meg", "«Ikke loggfør meg»"),
        ("en", "Do not log me", "“Do not log me”"),
    ]:
        html = officer_client.get("/desk/log/", headers={"accept-language": language}).content
        html = html.decode()
        assert f'for="id_opted_out">{label}</label>' in html, language
        assert html.count(quoted) == 2, language  # both help texts
        assert "Ikke logg meg" not in html


def test_enter_in_any_field_saves(officer_client):
    html = officer_client.get("/desk/log/").content.decode()
    form = html[html.index('id="log-form"') :]
    first_button = form[form.index("<button") : form.index("</button>")]
    assert 'value="save"' in first_button


def test_an_opted_out_call_answered_on_the_phone_stores_nothing_personal(officer_client):
    response = officer_client.post(
        "/desk/log/",
        _form(
            new_first_name="Kari",
            new_last_name="Holm",
            new_mobile="400 12 345",
            outlet_name="Aftenposten",
            opted_out="on",
            answered="on",
        ),
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    # Emptied, it is closed and marked anonymised (#19); when it was answered is kept.
    assert (enquiry.status, enquiry.opted_out) == ("closed", True)
    assert enquiry.anonymised_at is not None
    assert enquiry.answered_at is not None
    assert (enquiry.topic, enquiry.details, enquiry.journalist, enquiry.outlet) == (
        "",
        "",
        None,
        None,
    )
    assert not Journalist.objects.exists()
    assert not Message.objects.exists()
    assert (enquiry.channel, enquiry.kind) == ("phone", "press")  # the anonymous tally


def test_a_call_answered_on_the_phone_without_opt_out_is_kept_as_answered(officer_client):
    officer_client.post("/desk/log/", _form(answered="on"))
    enquiry = Enquiry.objects.get()
    assert (enquiry.status, enquiry.topic) == ("answered", "Tall for ventetid")
