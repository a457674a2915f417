"""opsctl audit on the exposures of application stacks, against moto server on 127.0.0.1: security
groups open to the world, instances and launch templates without IMDSv2, unencrypted Kinesis streams."""

from __future__ import annotations

import json

import boto3

from opsctl.live.accounts import Account
from opsctl.live.inventory import Inventory, collect
from opsctl.live.judge import judge
from opsctl.live.readers import ec2 as ec2_reader
from opsctl.live.readers import kinesis as kinesis_reader
from tests.test_live import ACCOUNT, AUDIT_CONFIG, REGION, TODAY, run

ADMIN = "aws-ec2-securitygroup-disallow-public-admin-ports"
HIGH_RISK = "aws-ec2-securitygroup-disallow-public-high-risk-ports"
IMDS = "aws-ec2-instance-require-imdsv2"
KINESIS = "aws-kinesis-stream-configure-encryption"
EXPOSURES = (ADMIN, HIGH_RISK, IMDS, KINESIS)


def world(protocol, ports=None, v6=False):
    permission = {
        "IpProtocol": protocol,
        "Ipv6Ranges" if v6 else "IpRanges": [{"CidrIpv6" if v6 else "CidrIp": "::/0" if v6 else "0.0.0.0/0"}],
    }
    if ports:
        permission.update(FromPort=ports[0], ToPort=ports[1])
    return permission


def seed(aws) -> dict[str, str]:
    """Compliant and exposed groups, instances, templates and streams; returns names to their ids."""
    ec2 = aws("ec2")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    ids: dict[str, str] = {}
    groups = {
        "web": [world("tcp", (443, 443)), world("tcp", (443, 443), v6=True)],
        "bastion": [world("tcp", (22, 22))],
        "database": [world("tcp", (5432, 5432))],
        "wide-open": [world("-1", v6=True)],
        "private": [
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "PrefixListIds": [{"PrefixListId": "pl-0123"}]},
        ],
    }
    for name, permissions in groups.items():
        ids[name] = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=ids[name], IpPermissions=permissions)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    for name, options in (("v2-only", {"HttpTokens": "required"}), ("v1-allowed", {})):
        tags = [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}]
        [instance] = ec2.run_instances(
            ImageId=image, MinCount=1, MaxCount=1, TagSpecifications=tags, MetadataOptions=options
        )["Instances"]
        ids[name] = instance["InstanceId"]
    stopped = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    ec2.terminate_instances(InstanceIds=[stopped])
    for name, data in (("app-v2", {"MetadataOptions": {"HttpTokens": "required"}}), ("app-legacy", {"ImageId": image})):
        template = ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData=data)["LaunchTemplate"]
        ids[name] = template["LaunchTemplateId"]

    kms = aws("kms")
    key = kms.create_key(Description="stream-key")["KeyMetadata"]["Arn"]
    kinesis = aws("kinesis")
    for name in ("clicks", "orders", "logs"):
        kinesis.create_stream(StreamName=name, ShardCount=1)
    kinesis.start_stream_encryption(StreamName="clicks", EncryptionType="KMS", KeyId=key)
    kinesis.start_stream_encryption(StreamName="orders", EncryptionType="KMS", KeyId="alias/aws/kinesis")
    return ids


EXPECTED = {
    (ADMIN, "bastion"),
    (ADMIN, "wide-open"),
    (HIGH_RISK, "database"),
    (HIGH_RISK, "wide-open"),
    (IMDS, "v1-allowed"),
    (IMDS, "app-legacy"),
    (KINESIS, "orders"),
    (KINESIS, "logs"),
}
"""What the seeded account exposes: the terminated instance and the default group (no rules) are not findings."""


def short(resource: str, ids: dict[str, str]) -> str:
    by_id = {identifier: name for name, identifier in ids.items()}
    tail = resource.rsplit("/", 1)[-1]
    return by_id.get(tail, tail)


def test_exposures_are_read_as_the_pack_sees_them_and_judged(aws):
    ids = seed(aws)
    account = Account(ACCOUNT, boto3.Session(region_name=REGION))
    inventory = Inventory(ACCOUNT, REGION)
    for source in (ec2_reader.SOURCE, kinesis_reader.SOURCE):
        collect(source, account, REGION, inventory)
    assert inventory.errors == []
    by_name = {r.name: r for r in inventory.resources}
    assert by_name[f"bastion ({ids['bastion']})"].props["ingress"] == [
        {
            "protocol": "tcp",
            "fromPort": 22,
            "toPort": 22,
            "cidrBlocks": ["0.0.0.0/0"],
            "ipv6CidrBlocks": [],
            "prefixListIds": [],
            "securityGroups": [],
        }
    ]
    assert by_name[f"v2-only ({ids['v2-only']})"].props["metadataOptions"]["httpTokens"] == "required"
    assert by_name["orders"].props == {
        "name": "orders",
        "arn": f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/orders",
        "encryptionType": "KMS",
        "kmsKeyId": "alias/aws/kinesis",
    }
    findings, _ = judge(inventory, {}, TODAY)
    found = {(f.policy, short(f.subject, ids)) for f in findings if f.policy in EXPOSURES}
    assert found == EXPECTED
    wide_open = next(f.message for f in findings if f.policy == HIGH_RISK and short(f.subject, ids) == "wide-open")
    assert wide_open.startswith(
        "Security group ingress[0] lets ::/0 reach every port over every protocol (protocol '-1')"
    )


def test_audit_reports_exposures_with_exemptions_by_live_name(aws, capsys, tmp_path):
    ids = seed(aws)
    config = tmp_path / "policy.json"
    exemption = {"resource": "bastion*", "reason": "office jump host behind fail2ban until the VPN lands"}
    config.write_text(json.dumps({**AUDIT_CONFIG, ADMIN: {"exemptions": [exemption]}}))
    code, out, err = run(capsys, "audit", "--region", REGION, "--policy-config", str(config), "--format", "json")
    assert code == 1 and "Traceback" not in err
    report = json.loads(out)
    kinds = {
        (f["policy"], short(f["resource"], ids)): f["kind"] for f in report["findings"] if f["policy"] in EXPOSURES
    }
    assert kinds == {finding: "violation" for finding in EXPECTED} | {(ADMIN, "bastion"): "exempted"}
    assert not [f for f in report["findings"] if f["kind"] == "error"]
    assert not set(EXPOSURES) & set(report["notAudited"])
