"""Live governance: what is true in the accounts now, read with boto3 and judged by the guardrails."""
