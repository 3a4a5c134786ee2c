"""Metrics, traces and structured logs: what operators watch the router with (docs/operations.md)."""
