"""Platform adapters, the command line and the scheduler."""
