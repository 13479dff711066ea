"""Inbound and outbound e-mail: parsing, reply splitting, ticket references, outbox."""
