"""EC2: security groups with every ingress rule (inline or from rule resources, as EC2 holds them),
instances with the metadata options they run with, and launch templates' default versions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.guardrails.vocabulary.tokens import DEFAULT_SECURITY_GROUP, EC2_INSTANCE, LAUNCH_TEMPLATE, SECURITY_GROUP

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages, partition

GONE = ("shutting-down", "terminated")


def ingress(permission: dict[str, Any]) -> dict[str, Any]:
    """An IpPermission as the ingress entry of an `aws.ec2.SecurityGroup` that would have written it."""
    entry: dict[str, Any] = {
        "protocol": permission["IpProtocol"],
        "cidrBlocks": [r["CidrIp"] for r in permission.get("IpRanges", [])],
        "ipv6CidrBlocks": [r["CidrIpv6"] for r in permission.get("Ipv6Ranges", [])],
        "prefixListIds": [p["PrefixListId"] for p in permission.get("PrefixListIds", [])],
        "securityGroups": [g["GroupId"] for g in permission.get("UserIdGroupPairs", []) if g.get("GroupId")],
    }
    for wire, api in (("fromPort", "FromPort"), ("toPort", "ToPort")):
        if api in permission:
            entry[wire] = permission[api]
    return entry


def metadata_options(options: dict[str, Any]) -> dict[str, Any]:
    return {
        wire: options[api]
        for wire, api in (("httpTokens", "HttpTokens"), ("httpEndpoint", "HttpEndpoint"))
        if api in options
    }


def named(label: str | None, identifier: str) -> str:
    """How people know it: its name with the id that tells same-named ones apart."""
    return f"{label} ({identifier})" if label else identifier


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("ec2", region)
    arn_prefix = f"arn:{partition(region)}:ec2:{region}"
    for group in pages(client, "describe_security_groups", "SecurityGroups"):
        group_id, name = group["GroupId"], group.get("GroupName", "")
        arn = (
            group.get("SecurityGroupArn")
            or f"{arn_prefix}:{group.get('OwnerId', account.id)}:security-group/{group_id}"
        )
        props = {
            "name": name,
            "arn": arn,
            "vpcId": group.get("VpcId", ""),
            "ingress": [ingress(p) for p in group.get("IpPermissions", [])],
        }
        type_ = DEFAULT_SECURITY_GROUP if name == "default" else SECURITY_GROUP
        yield LiveResource(type_, named(name, group_id), arn, props, region)
    for reservation in pages(client, "describe_instances", "Reservations"):
        for instance in reservation.get("Instances", []):
            if instance.get("State", {}).get("Name") in GONE:
                continue
            instance_id = instance["InstanceId"]
            arn = f"{arn_prefix}:{reservation.get('OwnerId', account.id)}:instance/{instance_id}"
            label = next((t["Value"] for t in instance.get("Tags", []) if t.get("Key") == "Name"), None)
            props = {"arn": arn, "metadataOptions": metadata_options(instance.get("MetadataOptions", {}))}
            yield LiveResource(EC2_INSTANCE, named(label, instance_id), arn, props, region)
    for template in pages(client, "describe_launch_templates", "LaunchTemplates"):
        template_id, name = template["LaunchTemplateId"], template["LaunchTemplateName"]
        [default] = client.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=["$Default"])[
            "LaunchTemplateVersions"
        ]
        options = default.get("LaunchTemplateData", {}).get("MetadataOptions", {})
        arn = f"{arn_prefix}:{account.id}:launch-template/{template_id}"
        props = {"name": name, "arn": arn, "metadataOptions": metadata_options(options)}
        yield LiveResource(LAUNCH_TEMPLATE, name, arn, props, region)


SOURCE = Source("ec2", (SECURITY_GROUP, DEFAULT_SECURITY_GROUP, EC2_INSTANCE, LAUNCH_TEMPLATE), read)
