"""Guardrails of ops-baseline: the catalog, the rules and the facts they share.

Modules here use relative imports only, so the package works both as `guardrails` (inside the
policy pack, where the pack directory is on sys.path) and as `policies.guardrails` (from the
program, the CLI and the tests).
"""
