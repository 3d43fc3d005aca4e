"""What the store reports when asked for what is not there."""


class NotFound(LookupError):
    """A situation or fact that does not exist."""
