"""EKS clusters send control-plane logs to CloudWatch Logs, audit first.

EKS logs nothing by default. EKS.8 requires the `audit` log type; checkov's CKV_AWS_37 wants all
five. `requiredLogTypes` names the types a cluster must enable. pulumi_eks creates this same resource.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import AwsDefault, ConfigRule, Guardrail, Parameter, References
from ...props import MISSING, UNKNOWN, Props, shown
from ...vocabulary.tokens import EKS_CLUSTER

LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")
"""The values EKS (and the provider's validation) accept, spelled exactly so."""


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    enabled = props.items("enabledClusterLogTypes")
    if enabled is UNKNOWN:
        return
    rejected = [t for t in enabled if t is not UNKNOWN and t not in LOG_TYPES]
    if rejected:
        yield (
            f"EKS cluster enabledClusterLogTypes has {', '.join(map(repr, rejected))}, which EKS does not accept "
            f"(allowed: {', '.join(LOG_TYPES)})."
        )
    missing = [t for t in config["requiredLogTypes"] if t not in enabled]
    if missing and UNKNOWN not in enabled:
        listed = props.peek("enabledClusterLogTypes") is not MISSING
        seen = shown(enabled) if listed else "not set: EKS logs nothing"
        yield f"EKS cluster control-plane logs {', '.join(missing)} are off (enabledClusterLogTypes {seen}); add them."


GUARDRAIL = Guardrail(
    name="aws-eks-cluster-enable-control-plane-logging",
    description="EKS clusters send the required control-plane log types (default: audit) to CloudWatch Logs.",
    severity="medium",
    resource_types=(EKS_CLUSTER,),
    remediation_steps="Add the required types to enabledClusterLogTypes; EKS writes them to /aws/eks/<cluster>/cluster (create that log group first to set its retention and key).",
    references=References(
        config_rule=ConfigRule("EKS_CLUSTER_LOG_ENABLED", parameters_from={"logTypes": "requiredLogTypes"}),
        security_hub=("EKS.8",),
        checkov=("CKV_AWS_37",),
    ),
    check=check,
    parameters=(
        Parameter(
            "requiredLogTypes",
            {
                "type": "array",
                "items": {"enum": list(LOG_TYPES)},
                "minItems": 1,
                "uniqueItems": True,
                "default": ["audit"],
            },
            "Control-plane log types every cluster must enable (checkov's CKV_AWS_37 wants all five).",
            AwsDefault(["audit"], "EKS.8 (logTypes audit)"),
        ),
    ),
    audit=LiveAudit(types=(EKS_CLUSTER,)),
)
