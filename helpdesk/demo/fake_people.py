"""Made-up surnames, phones, addresses and dates of a synthetic académie (never real people)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from helpdesk.accounts.normalize import compact_key, name_key
from helpdesk.demo.rates import PROVIDERS
from helpdesk.util.phones import parse_phone


class PersonDetails:
    """What a made-up person is written with; mixed into the académie writer, whose random
    generator, name lists and extraction moment it uses."""

    rng: random.Random
    last_names: list[str]
    now: datetime

    def _surname(self) -> str:
        name = self.rng.choice(self.last_names)
        if self.rng.random() < 0.06:
            name += "-" + self.rng.choice(self.last_names)
        return name

    def _mobile(self) -> str:
        prefix = self.rng.choice(["6", "6", "6", "7"])
        first = self.rng.randint(0, 9) if prefix == "6" else self.rng.randint(3, 9)
        if prefix == "6" and first in (3, 9):
            first = 1
        digits = prefix + str(first) + "".join(str(self.rng.randint(0, 9)) for _ in range(7))
        return "0" + digits

    def _write_phone(self, national: str) -> str:
        style = self.rng.random()
        pairs = " ".join(national[i : i + 2] for i in range(0, 10, 2))
        if style < 0.55:
            return pairs
        if style < 0.80:
            return national
        if style < 0.90:
            return pairs.replace(" ", ".")
        if style < 0.97:
            return (
                "+33 " + national[1] + " " + " ".join(national[i : i + 2] for i in range(2, 10, 2))
            )
        return "0033" + national[1:]

    def _landline(self) -> str:
        while True:
            digits = "".join(str(self.rng.randint(0, 9)) for _ in range(8))
            number = "0" + str(self.rng.randint(1, 5)) + digits
            phone = parse_phone(number)
            if phone and phone.is_valid:
                return number

    def _email(self, first: str, last: str) -> str:
        local = f"{name_key(first).replace(' ', '-')}.{compact_key(last)}"
        # Providers number the addresses of common names: namesakes rarely share one.
        if self.rng.random() < 0.85:
            local += str(self.rng.randint(1, 9999))
        return f"{local}@{self.rng.choice(PROVIDERS)}"

    def _stamp(self, days_back_max: int, days_back_min: int = 0) -> datetime:
        delta = timedelta(
            days=self.rng.randint(days_back_min, days_back_max),
            minutes=self.rng.randint(0, 24 * 60 - 1),
        )
        return self.now - delta
