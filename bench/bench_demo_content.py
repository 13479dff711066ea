"""Time the demo content generators: fast message bodies and full conversations."""

from __future__ import annotations

import time

from faker import Faker

from helpdesk.demo.content import CHANNELS, MOTIF_WEIGHTS, conversation_for, fast_message_bodies


def main(bodies: int = 250_000, conversations: int = 2_000) -> None:
    faker = Faker("fr_FR")
    faker.seed_instance(1)

    began = time.perf_counter()
    generated = list(fast_message_bodies(faker, bodies))
    elapsed = time.perf_counter() - began
    distinct = len(set(generated))
    print(f"fast_message_bodies: {bodies} in {elapsed:.2f} s, {distinct} distinct")

    motifs = list(MOTIF_WEIGHTS)
    began = time.perf_counter()
    for i in range(conversations):
        conversation_for(motifs[i % len(motifs)], faker, CHANNELS[i % len(CHANNELS)])
    elapsed = time.perf_counter() - began
    print(f"conversation_for: {conversations} in {elapsed:.2f} s")


if __name__ == "__main__":
    main()
