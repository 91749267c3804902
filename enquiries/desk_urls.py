"""/desk/: every pattern here must be wrapped in views.guards.desk_view
(tests/views/test_desk_access.py walks them all and fails on one that is not)."""

from django.urls import path

from enquiries.views import inbox, replies, reports, rights
from enquiries.views.account import log_out_everywhere
from enquiries.views.directory import journalist_directory
from enquiries.views.enquiry import (
    enquiry,
    enquiry_accept_form_details,
    enquiry_assign,
    enquiry_edit,
    enquiry_message,
    enquiry_reclassify,
    enquiry_status,
    mail_retry,
    routing_case_number,
    routing_release,
    routing_retry,
)
from enquiries.views.journalist import journalist, journalist_edit, journalist_merge
from enquiries.views.log_call import log_call
from enquiries.views.presence import enquiry_presence
from enquiries.views.queue import queue, search
from enquiries.views.suggestions import suggest_journalists, suggest_outlets

app_name = "desk"

urlpatterns = [
    path("", queue, name="queue"),
    path("reports/", reports.reports, name="reports"),
    path("reports/<slug:table>.csv", reports.reports_csv, name="reports_csv"),
    path("search/", search, name="search"),
    path("log/", log_call, name="log"),
    path("sessions/end-all/", log_out_everywhere, name="log_out_everywhere"),
    path("suggest/journalists/", suggest_journalists, name="suggest_journalists"),
    path("suggest/outlets/", suggest_outlets, name="suggest_outlets"),
    path("enquiries/<int:enquiry_id>/", enquiry, name="enquiry"),
    path("enquiries/<int:enquiry_id>/edit/", enquiry_edit, name="enquiry_edit"),
    path("enquiries/<int:enquiry_id>/presence/", enquiry_presence, name="enquiry_presence"),
    path("enquiries/<int:enquiry_id>/messages/", enquiry_message, name="enquiry_message"),
    path("enquiries/<int:enquiry_id>/reply/", replies.enquiry_reply, name="enquiry_reply"),
    path("enquiries/<int:enquiry_id>/assign/", enquiry_assign, name="enquiry_assign"),
    path("enquiries/<int:enquiry_id>/status/", enquiry_status, name="enquiry_status"),
    path(
        "enquiries/<int:enquiry_id>/form-details/accept/",
        enquiry_accept_form_details,
        name="enquiry_accept_form_details",
    ),
    path(
        "enquiries/<int:enquiry_id>/reclassify/",
        enquiry_reclassify,
        name="enquiry_reclassify",
    ),
    path("enquiries/<int:enquiry_id>/routing/retry/", routing_retry, name="routing_retry"),
    path("enquiries/<int:enquiry_id>/mail/<int:mail_id>/retry/", mail_retry, name="mail_retry"),
    path("enquiries/<int:enquiry_id>/routing/release/", routing_release, name="routing_release"),
    path(
        "enquiries/<int:enquiry_id>/routing/case-number/",
        routing_case_number,
        name="routing_case_number",
    ),
    path("journalists/", journalist_directory, name="journalists"),
    path("journalists/<int:journalist_id>/", journalist, name="journalist"),
    path("journalists/<int:journalist_id>/edit/", journalist_edit, name="journalist_edit"),
    path("journalists/<int:journalist_id>/merge/", journalist_merge, name="journalist_merge"),
    path(
        "journalists/<int:journalist_id>/erase/", rights.journalist_erase, name="journalist_erase"
    ),
    path(
        "journalists/<int:journalist_id>/export.<str:fmt>",
        rights.journalist_export,
        name="journalist_export",
    ),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:held_id>/attach/", inbox.inbox_attach, name="inbox_attach"),
    path("inbox/<int:held_id>/enquiry/", inbox.inbox_enquiry, name="inbox_enquiry"),
    path("inbox/<int:held_id>/discard/", inbox.inbox_discard, name="inbox_discard"),
    path("attachments/<int:attachment_id>/", inbox.attachment, name="attachment"),
    path("rights/", rights.rights, name="rights"),
    path("rights/new/", rights.rights_new, name="rights_new"),
    path("rights/<int:request_id>/extend/", rights.rights_extend, name="rights_extend"),
    path("rights/<int:request_id>/complete/", rights.rights_complete, name="rights_complete"),
    path("rights/opt-out/", rights.opt_out, name="opt_out"),
]
