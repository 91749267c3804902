from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from enquiries.views import account

# The admin has no password form of its own: it sends to the one login (allauth's, with the
# second factor and the throttle) and comes back. Assigning to the site's bound method is
# what mypy refuses; it is the one way to wrap the default site's view.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    # The names the templates and DESIGN.md use, on allauth's own views.
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    # allauth pages the desk does not offer: accounts, their e-mail addresses and forgotten
    # passwords are an administrator's (and no mail may leave except through the outbox).
    path("accounts/signup/", account.not_offered),
    path("accounts/email/", account.not_offered),
    path("accounts/password/reset/", account.not_offered),
    path("accounts/", include("allauth.urls")),
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
