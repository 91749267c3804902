from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("enquiries.urls")),
]

if settings.PRESSDESK_BENCH_BARE_VIEW:
    from pressdesk.bench_views import bare, unaudited_queue, unaudited_search

    urlpatterns[:0] = [
        path("bench/bare", bare),
        path("bench/unaudited/desk/", unaudited_queue),
        path("bench/unaudited/search/", unaudited_search),
    ]

# Styled pages that need no database: 503 with Retry-After when it is away, 500 otherwise.
handler500 = "pressdesk.errors.server_error"
