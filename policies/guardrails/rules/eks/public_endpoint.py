"""EKS cluster API endpoints are not open to the internet.

The provider's default is a public endpoint (`vpcConfig.endpointPublicAccess` true), and EKS's default
`publicAccessCidrs` is 0.0.0.0/0: a cluster that sets neither answers API calls from anywhere (IAM
and RBAC still authenticate them). EKS.1 fails any public endpoint; `allowRestrictedPublicEndpoint`
accepts one whose CIDRs leave out the whole internet. pulumi_eks creates this same resource.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import AwsDefault, ConfigRule, Guardrail, Parameter, References
from ...props import UNKNOWN, Invalid, Props, shown
from ...vocabulary.tokens import EKS_CLUSTER

GO_PRIVATE = "set vpcConfig.endpointPublicAccess false and endpointPrivateAccess true"


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    public = props.flag("vpcConfig.endpointPublicAccess")
    if public is UNKNOWN or public is False:
        return
    if isinstance(public, Invalid):
        yield f"EKS cluster vpcConfig.endpointPublicAccess is {shown(public)}; {GO_PRIVATE}."
        return
    seen = "true" if public is True else "not set, and the provider's default is true"
    if not config["allowRestrictedPublicEndpoint"]:
        yield f"EKS cluster API endpoint is public (vpcConfig.endpointPublicAccess {seen}); {GO_PRIVATE}."
        return
    cidrs = props.items("vpcConfig.publicAccessCidrs")
    if cidrs is UNKNOWN:
        return
    if not cidrs:
        yield (
            f"EKS cluster API endpoint is public (vpcConfig.endpointPublicAccess {seen}) and publicAccessCidrs is "
            f"not set, so EKS opens it to 0.0.0.0/0; list the CIDRs that may call it, or {GO_PRIVATE}."
        )
        return
    everyone = [c for c in cidrs if isinstance(c, str) and c.endswith("/0")]
    if everyone:
        yield (
            f"EKS cluster API endpoint is public to {', '.join(everyone)} (vpcConfig.publicAccessCidrs); "
            f"list only the CIDRs that may call it, or {GO_PRIVATE}."
        )


GUARDRAIL = Guardrail(
    name="aws-eks-cluster-disallow-public-endpoint",
    description="EKS cluster API endpoints are private (or, where allowed, public only to listed CIDRs, never 0.0.0.0/0).",
    severity="high",
    resource_types=(EKS_CLUSTER,),
    remediation_steps="Set vpcConfig.endpointPrivateAccess = true and endpointPublicAccess = false, and reach the API from the VPC (VPN, bastion, CI runners inside). Where a public endpoint is allowed, set publicAccessCidrs to the callers' ranges.",
    references=References(
        config_rule=ConfigRule("EKS_ENDPOINT_NO_PUBLIC_ACCESS", periodic=True),
        security_hub=("EKS.1",),
        checkov=("CKV_AWS_39", "CKV_AWS_38"),
    ),
    check=check,
    parameters=(
        Parameter(
            "allowRestrictedPublicEndpoint",
            {"type": "boolean", "default": False},
            "Accept a public endpoint whose publicAccessCidrs leave out 0.0.0.0/0 and ::/0.",
            AwsDefault(False, "EKS.1 fails any public endpoint"),
        ),
    ),
    audit=LiveAudit(types=(EKS_CLUSTER,)),
)
