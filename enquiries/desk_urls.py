"""/desk/: every pattern here must be wrapped in views._access.desk_view
(tests/views/test_desk_access.py walks them all and fails on one that is not)."""

from django.urls import path

from enquiries.views import desk, rights

app_name = "desk"

urlpatterns = [
    path("", desk.queue, name="queue"),
    path("search/", desk.search, name="search"),
    path("log/", desk.log_call, name="log"),
    path("suggest/journalists/", desk.suggest_journalists, name="suggest_journalists"),
    path("suggest/outlets/", desk.suggest_outlets, name="suggest_outlets"),
    path("enquiries/<int:enquiry_id>/", desk.enquiry, name="enquiry"),
    path("enquiries/<int:enquiry_id>/edit/", desk.enquiry_edit, name="enquiry_edit"),
    path("enquiries/<int:enquiry_id>/messages/", desk.enquiry_message, name="enquiry_message"),
    path("enquiries/<int:enquiry_id>/assign/", desk.enquiry_assign, name="enquiry_assign"),
    path("enquiries/<int:enquiry_id>/status/", desk.enquiry_status, name="enquiry_status"),
    path(
        "enquiries/<int:enquiry_id>/reclassify/",
        desk.enquiry_reclassify,
        name="enquiry_reclassify",
    ),
    path("enquiries/<int:enquiry_id>/routing/retry/", desk.routing_retry, name="routing_retry"),
    path(
        "enquiries/<int:enquiry_id>/routing/case-number/",
        desk.routing_case_number,
        name="routing_case_number",
    ),
    path("journalists/<int:journalist_id>/", desk.journalist, name="journalist"),
    path("journalists/<int:journalist_id>/edit/", desk.journalist_edit, name="journalist_edit"),
    path("journalists/<int:journalist_id>/merge/", desk.journalist_merge, name="journalist_merge"),
    path(
        "journalists/<int:journalist_id>/erase/", rights.journalist_erase, name="journalist_erase"
    ),
    path(
        "journalists/<int:journalist_id>/export.<str:fmt>",
        rights.journalist_export,
        name="journalist_export",
    ),
    path("rights/", rights.rights, name="rights"),
    path("rights/new/", rights.rights_new, name="rights_new"),
    path("rights/<int:request_id>/extend/", rights.rights_extend, name="rights_extend"),
    path("rights/<int:request_id>/complete/", rights.rights_complete, name="rights_complete"),
    path("rights/opt-out/", rights.opt_out, name="opt_out"),
]
