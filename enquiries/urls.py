from django.urls import include, path

from enquiries.views import health, public

urlpatterns = [
    path("", public.press_page, name="press_page"),
    path("healthz", health.healthz, name="healthz"),
    path("desk/", include("enquiries.desk_urls")),
]
