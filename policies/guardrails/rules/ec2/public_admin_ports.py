"""Remote administration ports (SSH, RDP) are never open to the whole internet."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import AwsDefault, ConfigRule, Guardrail, Parameter, References
from ...network import GROUPS, INGRESS_TYPES, ports_parameter_schema, public_ingress
from ...props import Props
from ...vocabulary.tokens import DEFAULT_SECURITY_GROUP, SECURITY_GROUP

ADMIN_PORTS = (22, 3389)
ASK = (
    "allow only your network's CIDRs, a prefix list or a security group, "
    "or reach the instances through SSM Session Manager or an EC2 Instance Connect Endpoint."
)


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    yield from public_ingress(props, config["ports"], ASK)


GUARDRAIL = Guardrail(
    name="aws-ec2-securitygroup-disallow-public-admin-ports",
    description="Security groups and their rules do not let 0.0.0.0/0 or ::/0 reach remote administration ports (SSH 22, RDP 3389) over TCP, UDP or every protocol.",
    severity="critical",
    resource_types=INGRESS_TYPES,
    remediation_steps="Replace the 0.0.0.0/0 and ::/0 sources on the administration ports with your network's CIDRs, a managed prefix list or a security group, or drop the rule and reach instances through SSM Session Manager or an EC2 Instance Connect Endpoint.",
    references=References(
        config_rule=ConfigRule(
            "VPC_SG_PORT_RESTRICTION_CHECK",
            parameters_from={"restrictPorts": "ports"},
            covers=GROUPS,
            periodic=True,
        ),
        security_hub=("EC2.13", "EC2.14", "EC2.53", "EC2.54"),
        cis=("4.1, 4.2 (v1.2.0)", "5.2, 5.3 (v2.0.0)"),
        checkov=("CKV_AWS_24", "CKV_AWS_25"),
    ),
    check=check,
    parameters=(
        Parameter(
            "ports",
            ports_parameter_schema(ADMIN_PORTS),
            "Ports no ingress from the whole internet may reach.",
            AwsDefault(list(ADMIN_PORTS), "EC2.53, EC2.54; VPC_SG_PORT_RESTRICTION_CHECK restrictPorts"),
        ),
    ),
    audit=LiveAudit(types=(SECURITY_GROUP, DEFAULT_SECURITY_GROUP)),
)
