"""opsctl: run the baseline offline (preflight) and check a deployed account."""
