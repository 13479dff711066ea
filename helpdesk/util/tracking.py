"""Signed links with which a requester follows a ticket without an account."""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "helpdesk.tracking.v1"


class InvalidTrackingLink(Exception):
    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make_token(secret_key: str, ticket_id: int, reference: str) -> str:
    return URLSafeTimedSerializer(secret_key, salt=SALT).dumps({"t": ticket_id, "r": reference})


def read_token(secret_key: str, token: str, max_age_days: int) -> tuple[int, str]:
    """Return (ticket id, reference); raise InvalidTrackingLink when tampered or expired."""
    serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
    try:
        data = serializer.loads(token, max_age=max_age_days * 86400)
    except SignatureExpired as exc:
        raise InvalidTrackingLink(expired=True) from exc
    except BadSignature as exc:
        raise InvalidTrackingLink(expired=False) from exc
    if not isinstance(data, dict) or not isinstance(data.get("t"), int):
        raise InvalidTrackingLink(expired=False)
    return data["t"], str(data.get("r", ""))
