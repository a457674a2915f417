"""The ops-baseline CrossGuard pack. Run by the Pulumi CLI:

    pulumi preview --policy-pack policies --policy-pack-config policies/config/<env>.json

Everything lives in the importable `guardrails` package; this file only serves the pack over the
analyzer protocol (it never returns).
"""

# The CLI runs this file with policies/ as the working directory, where the package is `guardrails`;
# mypy checks the same package as policies.guardrails.
from guardrails.serve import serve  # type: ignore[import-not-found]

serve()
