from enquiries.models.accounts import SessionGeneration
from enquiries.models.audit import AuditAction, AuditEvent
from enquiries.models.canned import CannedReply
from enquiries.models.catalogue import Outlet, TopicCategory
from enquiries.models.desk_settings import DeskSettings
from enquiries.models.duty import DutyShift
from enquiries.models.enquiry import Enquiry, Message, ReferenceCounter
from enquiries.models.foi import FoiRouting
from enquiries.models.health import Heartbeat
from enquiries.models.inbox import Attachment, HeldMail, HoldReason, InboundReceipt
from enquiries.models.journalist import Journalist
from enquiries.models.outbox import OutboundEmail
from enquiries.models.privacy import (
    ContactKind,
    ErasureReceipt,
    LinkPurpose,
    RightsRequest,
    SelfServiceLink,
    Suppression,
)
from enquiries.models.retention import MonthlyTally, PurgeRun, ReportDay

__all__ = [
    "Attachment",
    "AuditAction",
    "AuditEvent",
    "CannedReply",
    "ContactKind",
    "DeskSettings",
    "DutyShift",
    "Enquiry",
    "ErasureReceipt",
    "FoiRouting",
    "Heartbeat",
    "HeldMail",
    "HoldReason",
    "InboundReceipt",
    "Journalist",
    "LinkPurpose",
    "Message",
    "MonthlyTally",
    "OutboundEmail",
    "Outlet",
    "PurgeRun",
    "ReferenceCounter",
    "ReportDay",
    "RightsRequest",
    "SelfServiceLink",
    "SessionGeneration",
    "Suppression",
    "TopicCategory",
]
