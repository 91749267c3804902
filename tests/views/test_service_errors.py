"""Service errors reach the officer as a message, a form error, a 400 or a 404: never a 500."""

import pytest
from django.http import Http404, HttpResponse

from enquiries.core.errors import CannotMergeWithItself, RightsRequestNotFound
from enquiries.views.errors import ServiceErrorMiddleware

pytestmark = pytest.mark.django_db


def test_a_domain_error_no_view_handles_is_a_short_400(rf):
    middleware = ServiceErrorMiddleware(lambda request: HttpResponse())
    response = middleware.process_exception(rf.post("/desk/"), CannotMergeWithItself())
    assert response is not None
    assert response.status_code == 400
    assert str(CannotMergeWithItself()) == response.content.decode()


def test_a_missing_record_is_a_404(rf):
    middleware = ServiceErrorMiddleware(lambda request: HttpResponse())
    with pytest.raises(Http404):
        middleware.process_exception(rf.post("/desk/"), RightsRequestNotFound())


def test_other_exceptions_are_left_alone(rf):
    middleware = ServiceErrorMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(rf.get("/"), ValueError("x")) is None


def test_a_merge_with_itself_is_a_field_error_on_the_merge_page(officer_client):
    from tests import makers

    journalist = makers.make_journalist()
    response = officer_client.post(
        f"/desk/journalists/{journalist.pk}/merge/", {"duplicate": journalist.pk}, follow=True
    )
    assert response.status_code == 400
    assert str(CannotMergeWithItself()) in response.content.decode()
