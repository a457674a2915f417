"""Database, file-sharing and other high-risk ports, and all traffic, are never open to the whole internet."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, Parameter, References
from ...network import GROUPS, INGRESS_TYPES, ports_parameter_schema, public_ingress
from ...props import Props
from ...vocabulary.tokens import DEFAULT_SECURITY_GROUP, SECURITY_GROUP

EC2_19_PORTS: tuple[int, ...] = (
    20,
    21,
    22,
    23,
    25,
    110,
    135,
    143,
    445,
    1433,
    1434,
    3000,
    3306,
    3389,
    4333,
    5000,
    5432,
    5500,
)
EC2_19_PORTS += (5601, 8080, 8088, 8888, 9200, 9300)
"""The ports Security Hub EC2.19 calls high risk."""
DATA_STORE_PORTS = (1521, 2049, 6379, 11211, 27017)
"""Oracle, NFS, Redis, Memcached and MongoDB: data stores EC2.19 leaves out."""
HIGH_RISK_PORTS = tuple(sorted(set(EC2_19_PORTS + DATA_STORE_PORTS) - {22, 3389}))
"""22 and 3389 are the admin-ports guardrail's, so each exposure is reported once, at its severity."""
ASK = (
    "allow only the clients that need it (your network's CIDRs, a prefix list or a security group), "
    "or put the service behind a load balancer, VPN or PrivateLink."
)


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    yield from public_ingress(props, config["ports"], ASK, all_traffic=True)


GUARDRAIL = Guardrail(
    name="aws-ec2-securitygroup-disallow-public-high-risk-ports",
    description="Security groups and their rules do not let 0.0.0.0/0 or ::/0 reach database, file-sharing and other high-risk ports, nor every port over every protocol.",
    severity="high",
    resource_types=INGRESS_TYPES,
    remediation_steps="Replace the 0.0.0.0/0 and ::/0 sources with the clients' CIDRs, a managed prefix list or the clients' security group; expose public services through a load balancer on 80/443 instead of opening their ports.",
    references=References(
        config_rule=ConfigRule(
            "RESTRICTED_INCOMING_TRAFFIC",
            parameters_from={"blockedPorts": "ports"},
            covers=GROUPS,
            periodic=True,
        ),
        security_hub=("EC2.19",),
        checkov=("CKV_AWS_277",),
    ),
    check=check,
    parameters=(
        Parameter(
            "ports",
            ports_parameter_schema(HIGH_RISK_PORTS),
            "Ports no ingress from the whole internet may reach; an ingress of every protocol fails whatever the list. "
            "Default: Security Hub EC2.19's high-risk ports without 22 and 3389 (the admin-ports guardrail judges those), "
            "plus Oracle 1521, NFS 2049, Redis 6379, Memcached 11211 and MongoDB 27017.",
        ),
    ),
    audit=LiveAudit(types=(SECURITY_GROUP, DEFAULT_SECURITY_GROUP)),
)
