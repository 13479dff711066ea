"""Domain errors: raised by services, turned into French messages by the callers."""


class DomainError(Exception):
    """A request that the rules refuse; its message is French and shown as is."""


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    pass
