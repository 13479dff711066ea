"""What services need from the configuration, without knowing Flask."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from helpdesk.util.tracking import make_token


@dataclass
class ServiceContext:
    secret_key: str
    public_url: str = "http://127.0.0.1:5000"
    max_attachment_bytes: int = 10 * 1024 * 1024
    tracking_days: int = 180
    classify_threshold: float = 0.8
    mail_from: str = "Assistance EduConnect <assistance@ac-demo.fr>"
    reply_to: str = "assistance@ac-demo.fr"
    #: Defaults of the mail timing settings (the admin page may override them).
    autoclose_days: int = 10
    resolved_close_days: int = 15
    reopen_days: int = 14
    #: (subject, body) -> Prediction; None when no categoriser is available.
    classifier: Callable | None = None
    #: New tickets wait for the background worker (or the first agent who opens them) to be
    #: diagnosed, instead of being diagnosed before the requester gets an answer.
    diagnose_in_background: bool = False
    #: Extra keyword arguments for the business calendar (tests shift hours or holidays).
    calendar_overrides: dict = field(default_factory=dict)

    def tracking_url(self, ticket_id: int, reference: str) -> str:
        return f"{self.public_url}/suivi/{make_token(self.secret_key, ticket_id, reference)}"

    def ticket_url(self, reference: str) -> str:
        return f"{self.public_url}/tickets/{reference}"

    @classmethod
    def from_config(cls, config: dict, classifier: Callable | None = None) -> ServiceContext:
        return cls(
            secret_key=config["SECRET_KEY"],
            public_url=config["PUBLIC_URL"],
            max_attachment_bytes=config["MAX_ATTACHMENT_BYTES"],
            tracking_days=config["TRACKING_LINK_DAYS"],
            classify_threshold=config["CLASSIFY_THRESHOLD"],
            mail_from=config["MAIL_FROM"],
            reply_to=config["MAIL_REPLY_TO"],
            autoclose_days=config.get("MAIL_AUTOCLOSE_DAYS", 10),
            resolved_close_days=config.get("MAIL_RESOLVED_CLOSE_DAYS", 15),
            reopen_days=config.get("REOPEN_DAYS", 14),
            classifier=classifier,
            diagnose_in_background=config.get("DIAGNOSIS_IN_BACKGROUND", False),
        )
