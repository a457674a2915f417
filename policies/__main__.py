"""The ops-baseline CrossGuard pack. Run by the Pulumi CLI:

    pulumi preview --policy-pack policies --policy-pack-config policies/config/<env>.json

Everything lives in the importable `guardrails` package; this file only serves the pack over the
analyzer protocol (it never returns).
"""

from guardrails.serve import serve

serve()
