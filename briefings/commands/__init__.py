"""Commands: parsing, the command table, and the handlers."""
