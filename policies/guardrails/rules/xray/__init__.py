"""Guardrail rules, one per module; the catalog lists them."""
