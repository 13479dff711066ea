"""French phone numbers in any usual writing, as E.164."""

from __future__ import annotations

import phonenumbers


def parse_french_phone(text: str) -> str | None:
    """E.164 form of a French (or other) number, None when it cannot be read."""
    raw = (text or "").strip()
    if not raw:
        return None
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
