"""RDS databases are not publicly accessible: no public DNS name and IP for the instances.

The provider sends `publiclyAccessible` false for a DB instance or an Aurora cluster instance that
leaves it out, so only a true value exposes one. A Multi-AZ DB cluster (engine mysql or postgres) is
different: the provider leaves the setting to RDS, which makes the cluster public when it has no
dbSubnetGroupName or the `default` one. Aurora clusters have no cluster-level setting (their
instances carry it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References, StackResource, StackView, Undecided, Violation
from ...props import MISSING, UNKNOWN, Invalid, shown, unknown_reason
from ...vocabulary.tokens import RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE

WHAT = {
    RDS_INSTANCE: "RDS DB instance",
    RDS_CLUSTER_INSTANCE: "RDS cluster instance",
    RDS_CLUSTER: "RDS Multi-AZ DB cluster",
}


def problem(resource: StackResource) -> str | None:
    props = resource.props
    what = WHAT[resource.type]
    public = props.flag("publiclyAccessible")
    if public is True or isinstance(public, Invalid):
        return f"{what} publiclyAccessible is {shown(public)}; set it false and reach it from inside the VPC."
    if public is not MISSING or resource.type != RDS_CLUSTER:
        return None
    engine = props.get("engine")
    if engine is UNKNOWN or (isinstance(engine, str) and engine.startswith("aurora")):
        return None
    subnets = props.get("dbSubnetGroupName")
    if subnets is UNKNOWN:
        props.resolved("dbSubnetGroupName")  # a subnet group of this stack is never named `default`
        return None
    if subnets in (MISSING, "", "default"):
        where = "not set" if subnets in (MISSING, "") else "'default'"
        return (
            f"{what} publiclyAccessible is not set and dbSubnetGroupName is {where}, so RDS makes it public; "
            "set publiclyAccessible false."
        )
    return None


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    for resource in stack.of_type(*WHAT):
        message = problem(resource)
        if message:
            yield Violation(message, resource.urn)
        if resource.props.unknown_paths:
            yield Undecided(f"{resource.name}: {unknown_reason(resource.props.unknown_paths)}", resource.urn)


GUARDRAIL = Guardrail(
    name="aws-rds-instance-disallow-public-access",
    description="RDS DB instances, Aurora cluster instances and Multi-AZ DB clusters are not publicly accessible.",
    severity="critical",
    kind="stack",
    resource_types=tuple(WHAT),
    remediation_steps="Set publiclyAccessible = false (leave it out on instances; set it explicitly on Multi-AZ DB clusters) and connect through the VPC, a VPN or a bastion.",
    references=References(
        config_rule=ConfigRule("RDS_INSTANCE_PUBLIC_ACCESS_CHECK", covers=(RDS_INSTANCE, RDS_CLUSTER_INSTANCE)),
        security_hub=("RDS.2",),
        checkov=("CKV_AWS_17",),
    ),
    check=check,
    audit=LiveAudit(types=(RDS_INSTANCE, RDS_CLUSTER_INSTANCE, RDS_CLUSTER)),
)
