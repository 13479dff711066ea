"""Personal data: RGPD requests, retention of each kind of data, a person's export and erasure."""
