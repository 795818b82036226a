"""Alerts: the email digest, RSS/Atom feeds and webhooks, all read from the change log."""
