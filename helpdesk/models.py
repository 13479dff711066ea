"""Import every model so that the metadata is complete (Alembic, tests)."""

from helpdesk.academie.models import AcademieSetting
from helpdesk.accounts.models import (
    Account,
    AccountChild,
    Extraction,
    Pupil,
    PupilLink,
    Responsable,
)
from helpdesk.audit.models import AuditEntry
from helpdesk.auth.models import LoginSession, SignInThrottle, User, user_school
from helpdesk.core.shared import Blob, Generation, SharedFile
from helpdesk.deflection.models import DeflectionEvent
from helpdesk.desk.models import SavedView, TicketPresence
from helpdesk.diagnostics.models import TicketDiagnosis
from helpdesk.knowledge.models import Article, ArticleRevision
from helpdesk.macros.models import Macro
from helpdesk.mail.models import (
    InboundMessage,
    Mailbox,
    MailSetting,
    MailTemplate,
    OutboxMessage,
)
from helpdesk.privacy.models import RetentionRun, RgpdRequest
from helpdesk.satisfaction.models import SatisfactionRating
from helpdesk.schools.models import School
from helpdesk.tickets.intake import TicketIntake
from helpdesk.tickets.models import (
    Attachment,
    CannedReply,
    CategoryLabel,
    Message,
    SlaTarget,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketMerge,
    TicketMergeItem,
)
from helpdesk.worker.models import WorkerHeartbeat

__all__ = [
    "Blob",
    "Generation",
    "SharedFile",
    "AcademieSetting",
    "Account",
    "Article",
    "ArticleRevision",
    "AccountChild",
    "Extraction",
    "Pupil",
    "PupilLink",
    "Responsable",
    "RetentionRun",
    "RgpdRequest",
    "SatisfactionRating",
    "SavedView",
    "Attachment",
    "AuditEntry",
    "CannedReply",
    "CategoryLabel",
    "DeflectionEvent",
    "InboundMessage",
    "LoginSession",
    "Macro",
    "Mailbox",
    "MailSetting",
    "MailTemplate",
    "Message",
    "OutboxMessage",
    "School",
    "SignInThrottle",
    "SlaTarget",
    "Ticket",
    "TicketCounter",
    "TicketDiagnosis",
    "TicketEvent",
    "TicketIntake",
    "TicketMerge",
    "TicketMergeItem",
    "TicketPresence",
    "User",
    "WorkerHeartbeat",
    "user_school",
]
