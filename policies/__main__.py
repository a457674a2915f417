"""The ops-baseline CrossGuard pack. Run by the Pulumi CLI:

    pulumi preview --policy-pack policies --policy-pack-config policies/config/<env>.json

Everything lives in the importable `guardrails` package; this file only starts the pack
(PolicyPack's constructor serves the analyzer protocol and never returns).
"""

from guardrails.pack import build_policies
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack(
    name="ops-baseline-guardrails",
    description="ops-baseline guardrails: log retention, alarm actions, ECR scanning, encryption, CloudTrail, Config and CIS alarms.",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=build_policies(),
)
