"""kooperacje: the coordinator's tool for a local cooperation team (PZK)."""

__version__ = "0.1.0"
