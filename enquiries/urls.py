from django.urls import include, path

from enquiries.views import health, public

urlpatterns = [
    path("", public.press_page, name="press_page"),
    path("enquiry/", public.enquiry_form, name="enquiry_form"),
    path("enquiry/received/<str:token>/", public.enquiry_receipt, name="enquiry_receipt"),
    path("privacy/", public.privacy_page, name="privacy"),
    path("privacy/request/", public.privacy_request, name="privacy_request"),
    path(
        "privacy/confirm/<str:purpose>/<str:token>/",
        public.privacy_confirm,
        name="privacy_confirm",
    ),
    path("healthz", health.healthz, name="healthz"),
    path(".well-known/security.txt", public.security_txt, name="security_txt"),
    path("favicon.ico", public.favicon, name="favicon"),
    path("desk/", include("enquiries.desk_urls")),
]
