"""Public pages: no login, nothing personal in URLs, cheap to serve."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from enquiries.core.desk_settings import desk_settings
from enquiries.core.errors import PressdeskError
from enquiries.forms.public import ConfirmLinkForm, EnquiryForm, RightsLinkForm
from enquiries.intake import public_form, ratelimit
from enquiries.models import Enquiry, LinkPurpose
from enquiries.privacy import links as self_service
from enquiries.privacy import self_service as self_service_requests
from enquiries.privacy.export_document import readable_copy

_RECEIPT_SALT = "pressdesk.receipt"
RECEIPT_MAX_AGE = 30 * 24 * 3600


@require_safe
def press_page(request: HttpRequest) -> HttpResponse:
    return render(request, "enquiries/public/press_page.html", {"desk": desk_settings()})


@require_safe
def privacy_page(request: HttpRequest) -> HttpResponse:
    return render(request, "enquiries/public/privacy.html", {"desk": desk_settings()})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every page: point them at the icon once and for all."""
    return HttpResponsePermanentRedirect(static("pressdesk/favicon.svg"))


@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: where to report a vulnerability (the press desk's address unless one is set)."""
    contact = settings.PRESSDESK_SECURITY_CONTACT or f"mailto:{desk_settings().press_email}"
    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: nb, no, en",
        f"Canonical: {settings.PRESSDESK_PUBLIC_URL}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _refusal(
    request: HttpRequest, *, status: int, form: EnquiryForm | RightsLinkForm
) -> HttpResponse:
    """A refusal that is no dead end: the press-duty phone, and the form again as it was typed
    (with a fresh stamp), to send once the reason has passed."""
    if isinstance(form, EnquiryForm):
        form.renew_stamp()
        template = "enquiries/public/_enquiry_form.html"
    else:
        template = "enquiries/public/_privacy_request_form.html"
    context = {
        "status": status,
        "form": form,
        "form_template": template,
        "rights_request": isinstance(form, RightsLinkForm),
        "desk": desk_settings(),
    }
    return render(request, "enquiries/public/refused.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def enquiry_form(request: HttpRequest) -> HttpResponse:
    form = EnquiryForm(request.POST or None)
    if request.method == "POST":
        # A stamp is good until a try with it is refused; sent twice at once (a double
        # click) it makes one enquiry, and both clicks get its receipt.
        key = form.stamp_key()
        if form.is_bot():
            ratelimit.spend_stamp(key)
            return _refusal(request, status=400, form=form)
        if form.is_valid() and ratelimit.stamp_spent(key):
            form.add_error("stamp", _("This form was already sent. Please send it again."))
        if form.is_valid():
            if not ratelimit.allow_submission(request):
                ratelimit.spend_stamp(key)
                return _refusal(request, status=429, form=form)
            data = form.cleaned_data
            enquiry, _created = public_form.submit(
                public_form.Submission(
                    first_name=data["first_name"], last_name=data["last_name"],
                    outlet=data["outlet"], email=data["email"], phone=data["phone"],
                    mobile=data["mobile"], topic=data["topic"], question=data["question"],
                    deadline=data["deadline"], is_foi=data["is_foi"], opt_out=data["opt_out"],
                    key=data["stamp"]["k"], client=ratelimit.client_address(request),
                )
            )  # fmt: skip
            token = signing.dumps(enquiry.pk, salt=_RECEIPT_SALT)
            return redirect(reverse("enquiry_receipt", args=[token]))
        ratelimit.spend_stamp(key)
    if form.is_bound:
        form.renew_stamp()  # the page shown again gets a fresh one-time key
    return render(
        request,
        "enquiries/public/enquiry_form.html",
        {"form": form, "desk": desk_settings()},
        status=400 if form.is_bound else 200,
    )


@require_safe
def enquiry_receipt(request: HttpRequest, token: str) -> HttpResponse:
    """The receipt: its URL is a signature over the enquiry's id, no personal data."""
    try:
        enquiry_id = signing.loads(token, salt=_RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature as exc:
        raise Http404 from exc
    enquiry = Enquiry.objects.filter(pk=enquiry_id).only("reference", "kind").first()
    if enquiry is None:
        raise Http404
    response = render(
        request,
        "enquiries/public/receipt.html",
        {"enquiry": enquiry, "desk": desk_settings()},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def privacy_request(request: HttpRequest) -> HttpResponse:
    """Ask for erasure, a copy or an opt-out; the same answer whoever asks."""
    form = RightsLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow_submission(request):
            return _refusal(request, status=429, form=form)
        self_service_requests.request_link(
            purpose=form.cleaned_data["purpose"], email=form.cleaned_data["email"]
        )
        return render(request, "enquiries/public/privacy_request_sent.html")
    return render(
        request,
        "enquiries/public/privacy_request.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def privacy_confirm(request: HttpRequest, purpose: str, token: str) -> HttpResponse:
    """GET shows what will happen (mail scanners follow links); POST, with the address the link
    was sent to, does it, once."""
    if purpose not in LinkPurpose.values:
        raise Http404
    form = ConfirmLinkForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {"purpose": LinkPurpose(purpose), "form": form}
    try:
        if not form.is_bound:
            self_service.check_link(signed_token=token, purpose=purpose)
            return render(request, "enquiries/public/privacy_confirm.html", context)
        if not form.is_valid():
            self_service.check_link(signed_token=token, purpose=purpose)
            return render(request, "enquiries/public/privacy_confirm.html", context, status=400)
        copy = self_service_requests.confirm(
            purpose=purpose, signed_token=token, email=form.cleaned_data["email"]
        )
    except PressdeskError as exc:
        context["error"] = str(exc)
        return render(request, "enquiries/public/privacy_confirm.html", context, status=400)
    if copy is not None:
        response = render(
            request, "enquiries/public/privacy_copy.html", {"copy": readable_copy(copy)}
        )
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "enquiries/public/privacy_confirm.html", {**context, "done": True})
