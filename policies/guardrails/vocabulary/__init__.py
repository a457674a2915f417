"""The project's AWS vocabulary, as data with its sources: pulumi-aws type tokens, values AWS APIs
accept, the CIS metric-filter patterns, schedule expressions, Lambda runtime dates, and which
actions carry which condition keys. The guardrails, the program's settings and opsctl all read it;
nothing here judges a resource."""
