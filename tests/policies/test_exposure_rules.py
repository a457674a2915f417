"""Exposures application stacks have: security groups open to the world, IMDSv1, unencrypted Kinesis.

Security-group cases run on every pulumi-aws v7 spelling: a group's and the default group's inline
`ingress`, an `ec2.SecurityGroupRule` and a `vpc.SecurityGroupIngressRule`. Each table has one
compliant baseline and changes one field per case.
"""

from __future__ import annotations

import pytest

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.rules.ec2.public_high_risk_ports import ASK as HIGH_RISK_ASK
from policies.guardrails.rules.ec2.public_high_risk_ports import HIGH_RISK_PORTS
from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import DELETE, UNKNOWN, Res, changed, run_resource, run_stack

ADMIN = "aws-ec2-securitygroup-disallow-public-admin-ports"
HIGH_RISK = "aws-ec2-securitygroup-disallow-public-high-risk-ports"
IMDS = "aws-ec2-instance-require-imdsv2"
KINESIS = "aws-kinesis-stream-configure-encryption"
UNDECIDED = "UNDECIDED"

EVERYTHING_OUT = {"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"], "ipv6CidrBlocks": ["::/0"]}
HTTPS_IN = {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"], "ipv6CidrBlocks": ["::/0"]}


def group(entry):
    return t.SECURITY_GROUP, {
        "name": "web",
        "vpcId": "vpc-0a1b",
        "ingress": [HTTPS_IN, entry],
        "egress": [EVERYTHING_OUT],
    }


def default_group(entry):
    return t.DEFAULT_SECURITY_GROUP, {"vpcId": "vpc-0a1b", "ingress": [entry], "egress": [EVERYTHING_OUT]}


def group_rule(entry):
    return t.SECURITY_GROUP_RULE, {"type": "ingress", "securityGroupId": "sg-0a1b", **entry}


def ingress_rule(entry):
    """The vpc.SecurityGroupIngressRule spelling: one CIDR per rule, `ipProtocol`."""
    renamed = {"protocol": "ipProtocol", "prefixListIds": "prefixListId", "securityGroups": "referencedSecurityGroupId"}
    props = {"securityGroupId": "sg-0a1b"}
    for key, value in entry.items():
        if key in ("cidrBlocks", "ipv6CidrBlocks"):
            wire = "cidrIpv4" if key == "cidrBlocks" else "cidrIpv6"
            props[wire] = value if value is UNKNOWN else value[0] if value else DELETE
        elif key in ("prefixListIds", "securityGroups"):
            props[renamed[key]] = value[0]
        else:
            props[renamed.get(key, key)] = value
    return t.SECURITY_GROUP_INGRESS_RULE, {k: v for k, v in props.items() if v is not DELETE}


SPELLINGS = {"group": group, "default-group": default_group, "group-rule": group_rule, "ingress-rule": ingress_rule}
LISTS_ONLY = ("group", "default-group", "group-rule")


def judge(policy, spelling, entry, config=None):
    type_, props = SPELLINGS[spelling](entry)
    return run_resource(policy, type_, props, config)


def assert_outcome(outcome, expected):
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None, outcome
    elif expected.startswith(UNDECIDED):
        path = expected.removeprefix(UNDECIDED).strip().lower()
        assert outcome.violations == [] and path in (outcome.unchecked or "").lower(), outcome
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


# --- sources: SSH from the office network, one source changed ------------------------------------

SSH_FROM_OFFICE = {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["203.0.113.0/24"]}

SOURCES = [
    ("office-network", {}, None, SPELLINGS),
    ("ipv4-world", {"cidrBlocks": ["0.0.0.0/0"]}, "lets 0.0.0.0/0 reach port 22 (SSH) over tcp", SPELLINGS),
    ("ipv6-world", {"cidrBlocks": [], "ipv6CidrBlocks": ["::/0"]}, "lets ::/0 reach port 22 (SSH)", SPELLINGS),
    ("ipv6-world-long-form", {"cidrBlocks": [], "ipv6CidrBlocks": ["0:0:0:0:0:0:0:0/0"]}, "reach port 22", SPELLINGS),
    ("world-beside-office", {"cidrBlocks": ["203.0.113.0/24", "0.0.0.0/0"]}, "lets 0.0.0.0/0 reach", LISTS_ONLY),
    ("half-the-internet-is-not-the-world", {"cidrBlocks": ["0.0.0.0/1"]}, None, SPELLINGS),
    ("unknown-cidr", {"cidrBlocks": [UNKNOWN]}, f"{UNDECIDED} cidrBlocks[0]", LISTS_ONLY),
    ("unknown-cidr-list", {"cidrBlocks": UNKNOWN}, f"{UNDECIDED} cidrBlocks", LISTS_ONLY),
    ("unknown-cidr-of-a-rule", {"cidrBlocks": UNKNOWN}, f"{UNDECIDED} cidrIpv4", ("ingress-rule",)),
    ("prefix-list-source", {"cidrBlocks": [], "prefixListIds": ["pl-0123"]}, None, SPELLINGS),
    ("security-group-source", {"cidrBlocks": [], "securityGroups": ["sg-0bastion"]}, None, SPELLINGS),
]


@pytest.mark.parametrize(
    ("spelling", "changes", "expected"),
    [pytest.param(s, c, e, id=f"{s}-{case}") for case, c, e, spellings in SOURCES for s in spellings],
)
def test_admin_ports_sources(spelling, changes, expected):
    assert_outcome(judge(ADMIN, spelling, changed(SSH_FROM_OFFICE, **changes)), expected)


# --- protocols: port 22 from the world over ICMP (no ports), the protocol changed -----------------

ICMP_FROM_WORLD = {"protocol": "icmp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}
EVERY_PROTOCOL = "reach every port over every protocol"

PROTOCOLS = [
    ("icmp", None),
    ("1", None),
    ("icmpv6", None),
    ("58", None),
    ("50", None),  # ESP
    ("tcp", "reach port 22 (SSH) over tcp"),
    ("TCP", "reach port 22 (SSH) over tcp"),
    ("6", "reach port 22 (SSH) over tcp"),
    ("06", "reach port 22 (SSH) over tcp"),
    (6.0, "reach port 22 (SSH) over tcp"),
    ("udp", "reach port 22 (SSH) over udp"),
    ("17", "reach port 22 (SSH) over udp"),
    ("-1", f"{EVERY_PROTOCOL} (protocol '-1'), including 22 (SSH), 3389 (RDP)"),
    ("all", f"{EVERY_PROTOCOL} (protocol 'all')"),
    ("ALL", f"{EVERY_PROTOCOL} (protocol 'ALL')"),
    (UNKNOWN, f"{UNDECIDED} protocol"),
]


@pytest.mark.parametrize(
    ("spelling", "protocol", "expected"),
    [pytest.param(s, p, e, id=f"{s}-{p if p is not UNKNOWN else 'unknown'}") for p, e in PROTOCOLS for s in SPELLINGS],
)
def test_admin_ports_protocols(spelling, protocol, expected):
    assert_outcome(judge(ADMIN, spelling, changed(ICMP_FROM_WORLD, protocol=protocol)), expected)


# --- ports: HTTPS from the world, one bound changed -----------------------------------------------

PORTS = [
    ("https-only", {}, None),
    ("range-from-0", {"fromPort": 0}, "reach ports 0-443 over tcp, including 22 (SSH)"),
    ("from-as-string", {"fromPort": "0"}, "reach ports 0-443 over tcp, including 22 (SSH)"),
    ("from-as-float", {"fromPort": 22.0}, "reach ports 22-443 over tcp, including 22 (SSH)"),
    ("range-up-to-rdp", {"toPort": 3389}, "reach ports 443-3389 over tcp, including 3389 (RDP)"),
    ("to-as-string", {"toPort": "3389"}, "including 3389 (RDP)"),
    ("range-without-admin-ports", {"toPort": 1024}, None),
    ("from-above-to", {"fromPort": 500}, None),
    ("from-not-a-number", {"fromPort": "ssh"}, "fromPort is 'ssh', which the provider cannot read as a whole number"),
    ("from-leading-zero", {"fromPort": "022"}, "fromPort is '022', which the provider cannot read"),
    ("unknown-from", {"fromPort": UNKNOWN}, f"{UNDECIDED} fromPort"),
]


@pytest.mark.parametrize(
    ("spelling", "changes", "expected"),
    [pytest.param(s, c, e, id=f"{s}-{case}") for case, c, e in PORTS for s in SPELLINGS],
)
def test_admin_ports_port_ranges(spelling, changes, expected):
    https_only = {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}
    assert_outcome(judge(ADMIN, spelling, changed(https_only, **changes)), expected)


def test_an_ingress_rule_without_ports_is_open_on_every_port():
    """A vpc.SecurityGroupIngressRule may leave fromPort/toPort out; a TCP rule without them is taken as open."""
    props = {"securityGroupId": "sg-0a1b", "ipProtocol": "tcp", "cidrIpv4": "0.0.0.0/0"}
    outcome = run_resource(ADMIN, t.SECURITY_GROUP_INGRESS_RULE, props)
    assert (
        outcome.violations and "reach ports 0-65535 over tcp, including 22 (SSH), 3389 (RDP)" in outcome.violations[0]
    )
    all_traffic = {"securityGroupId": "sg-0a1b", "ipProtocol": "-1", "cidrIpv6": "::/0"}
    assert EVERY_PROTOCOL in run_resource(HIGH_RISK, t.SECURITY_GROUP_INGRESS_RULE, all_traffic).violations[0]


@pytest.mark.parametrize(
    ("direction", "expected"),
    [("ingress", "reach port 22 (SSH)"), ("egress", None), (UNKNOWN, f"{UNDECIDED} type")],
    ids=["ingress", "egress-is-not-judged", "unknown-type"],
)
def test_security_group_rules_are_judged_only_as_ingress(direction, expected):
    ssh_from_world = changed(SSH_FROM_OFFICE, cidrBlocks=["0.0.0.0/0"])
    props = {"securityGroupId": "sg-0a1b", **ssh_from_world, "type": direction}
    assert_outcome(run_resource(ADMIN, t.SECURITY_GROUP_RULE, props), expected)


def test_each_open_entry_of_a_group_is_reported_and_a_known_one_beside_an_unknown_entry():
    ssh = changed(SSH_FROM_OFFICE, cidrBlocks=["0.0.0.0/0"])
    rdp = {"protocol": "tcp", "fromPort": 3389, "toPort": 3389, "ipv6CidrBlocks": ["::/0"]}
    outcome = run_resource(ADMIN, t.SECURITY_GROUP, {"name": "jump", "ingress": [ssh, rdp, UNKNOWN]})
    assert [v.split(";")[0] for v in outcome.violations] == [
        "Security group ingress[0] lets 0.0.0.0/0 reach port 22 (SSH) over tcp",
        "Security group ingress[1] lets ::/0 reach port 3389 (RDP) over tcp",
    ]
    assert "ingress[2]" in outcome.unchecked
    unknown = run_resource(ADMIN, t.SECURITY_GROUP, {"name": "jump", "ingress": UNKNOWN})
    assert unknown.violations == [] and "ingress can't be known during preview" in unknown.unchecked


def test_a_group_without_ingress_and_egress_to_the_world_pass():
    for policy in (ADMIN, HIGH_RISK):
        assert_outcome(run_resource(policy, t.SECURITY_GROUP, {"name": "quiet", "egress": [EVERYTHING_OUT]}), None)


def test_the_admin_ports_are_a_parameter():
    ssh_2222 = {"protocol": "tcp", "fromPort": 2222, "toPort": 2222, "cidrBlocks": ["0.0.0.0/0"]}
    assert_outcome(judge(ADMIN, "group-rule", ssh_2222), None)
    assert_outcome(judge(ADMIN, "group-rule", ssh_2222, {"ports": [2222.0]}), "reach port 2222 over tcp")


# --- high-risk ports and all traffic -------------------------------------------------------------

POSTGRES_FROM_APP_SUBNET = {"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": ["10.0.16.0/20"]}

HIGH_RISK_CASES = [
    ("app-subnet", {}, None),
    ("postgres-to-world", {"cidrBlocks": ["0.0.0.0/0"]}, "lets 0.0.0.0/0 reach port 5432 (PostgreSQL) over tcp"),
    ("redis-to-world", {"cidrBlocks": ["0.0.0.0/0"], "fromPort": 6379, "toPort": 6379}, "port 6379 (Redis)"),
    (
        "mongodb-over-ipv6",
        {"cidrBlocks": [], "ipv6CidrBlocks": ["::/0"], "fromPort": 27017, "toPort": 27017},
        "27017 (MongoDB)",
    ),
    ("every-protocol", {"cidrBlocks": ["0.0.0.0/0"], "protocol": "-1", "fromPort": 0, "toPort": 0}, EVERY_PROTOCOL),
    (
        "every-tcp-port",
        {"cidrBlocks": ["0.0.0.0/0"], "fromPort": 0, "toPort": 65535},
        "ports 0-65535 over tcp, including 20 (FTP data)",
    ),
    ("ssh-is-the-admin-guardrails", {"cidrBlocks": ["0.0.0.0/0"], "fromPort": 22, "toPort": 22}, None),
]


@pytest.mark.parametrize(
    ("spelling", "changes", "expected"),
    [pytest.param(s, c, e, id=f"{s}-{case}") for case, c, e in HIGH_RISK_CASES for s in SPELLINGS],
)
def test_high_risk_ports(spelling, changes, expected):
    assert_outcome(judge(HIGH_RISK, spelling, changed(POSTGRES_FROM_APP_SUBNET, **changes)), expected)


def test_all_traffic_fails_whatever_the_port_list():
    everything_in = {"protocol": "all", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}
    outcome = judge(HIGH_RISK, "group-rule", everything_in, {"ports": []})
    assert outcome.violations == [
        "Security group rule lets 0.0.0.0/0 reach every port over every protocol (protocol 'all'); " + HIGH_RISK_ASK
    ]


def test_high_risk_defaults_are_ec2_19_without_the_admin_ports_plus_data_stores():
    assert {22, 3389}.isdisjoint(HIGH_RISK_PORTS)
    assert {20, 21, 23, 25, 445, 1433, 3306, 5432, 5601, 9200, 9300} <= set(HIGH_RISK_PORTS)
    assert {1521, 2049, 6379, 11211, 27017} <= set(HIGH_RISK_PORTS)
    assert BY_NAME[HIGH_RISK].defaults()["ports"] == list(HIGH_RISK_PORTS)


def test_config_rules_take_the_port_lists_as_csv():
    admin, high_risk = BY_NAME[ADMIN], BY_NAME[HIGH_RISK]
    assert admin.references.config_rule.input_parameters(admin.defaults()) == {"restrictPorts": "22,3389"}
    blocked = high_risk.references.config_rule.input_parameters(high_risk.defaults())["blockedPorts"]
    assert blocked.split(",") == [str(p) for p in HIGH_RISK_PORTS]
    assert admin.references.config_rule.input_parameters({"ports": [22.0, 2222.0]}) == {"restrictPorts": "22,2222"}


# --- IMDSv2 ---------------------------------------------------------------------------------------

REQUIRED = {"metadataOptions": {"httpTokens": "required", "httpEndpoint": "enabled", "httpPutResponseHopLimit": 1}}
IMDS_BASELINES = {
    t.EC2_INSTANCE: {"ami": "ami-0a1b", "instanceType": "t3.micro", **REQUIRED},
    t.SPOT_INSTANCE_REQUEST: {"ami": "ami-0a1b", "instanceType": "t3.micro", "spotPrice": "0.01", **REQUIRED},
    t.LAUNCH_TEMPLATE: {"name": "app", "imageId": "ami-0a1b", **REQUIRED},
    t.LAUNCH_CONFIGURATION: {"name": "app", "imageId": "ami-0a1b", "instanceType": "t3.micro", **REQUIRED},
}
NOT_SET = (
    "metadataOptions.httpTokens is not set, so the AMI's ImdsSupport or the account's instance metadata defaults decide"
)

IMDS_CASES = [
    ("required", {}, None),
    (
        "optional",
        {"httpTokens": "optional"},
        "metadataOptions.httpTokens is 'optional', which allows IMDSv1; set it to required.",
    ),
    ("not-set", {"httpTokens": DELETE}, NOT_SET),
    (
        "capitalised",
        {"httpTokens": "Required"},
        "'Required', which the provider does not accept (optional or required)",
    ),
    (
        "endpoint-disabled",
        {"httpTokens": "optional", "httpEndpoint": "disabled"},
        "EC2.8 and EC2_IMDSV2_CHECK judge httpTokens alone",
    ),
    ("unknown", {"httpTokens": UNKNOWN}, f"{UNDECIDED} metadataOptions.httpTokens"),
]


@pytest.mark.parametrize(
    ("type_", "changes", "expected"),
    [pytest.param(ty, c, e, id=f"{ty.split(':')[-1]}-{case}") for case, c, e in IMDS_CASES for ty in IMDS_BASELINES],
)
def test_imdsv2(type_, changes, expected):
    props = IMDS_BASELINES[type_]
    props = changed(props, metadataOptions=changed(props["metadataOptions"], **changes))
    assert_outcome(run_stack(IMDS, [Res(type_, "app", props)]), expected)


def test_a_resource_without_metadata_options_fails_with_its_urn():
    outcome = run_stack(IMDS, [Res(t.EC2_INSTANCE, "web", {"ami": "ami-0a1b", "instanceType": "t3.micro"})])
    assert outcome.urns == ["urn:pulumi:test::ops-baseline::aws:ec2/instance:Instance::web"]
    assert outcome.violations[0].startswith(f"EC2 instance 'web' {NOT_SET}")


TEMPLATE = Res(t.LAUNCH_TEMPLATE, "app-template", {"name": "app-20260101", **REQUIRED})


@pytest.mark.parametrize(
    ("reference", "deps", "expected"),
    [
        ({"name": "app-20260101"}, {}, None),
        ({"id": UNKNOWN, "version": "$Latest"}, {"launchTemplate": ("app-template",)}, None),
        (
            {"id": "lt-0123456789abcdef0"},
            {},
            "takes its metadata options from launch template 'lt-0123456789abcdef0', which this stack does not declare",
        ),
        ({"name": UNKNOWN}, {}, f"{UNDECIDED} which launch template"),
    ],
    ids=["by-name", "by-dependency-while-unknown", "outside-the-stack", "unknown-reference"],
)
def test_an_instance_without_tokens_takes_its_launch_templates(reference, deps, expected):
    instance = Res(t.EC2_INSTANCE, "web", {"launchTemplate": reference}, deps)
    assert_outcome(run_stack(IMDS, [TEMPLATE, instance]), expected)


def test_an_instance_from_an_optional_template_is_reported_once_on_the_template():
    template = Res(t.LAUNCH_TEMPLATE, "legacy", {"name": "legacy", "metadataOptions": {"httpTokens": "optional"}})
    instance = Res(t.EC2_INSTANCE, "web", {"launchTemplate": {"name": "legacy"}})
    outcome = run_stack(IMDS, [template, instance])
    assert outcome.urns == ["urn:pulumi:test::ops-baseline::aws:ec2/launchTemplate:LaunchTemplate::legacy"]


# --- Kinesis --------------------------------------------------------------------------------------

KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
STREAM = {"name": "clicks", "encryptionType": "KMS", "kmsKeyId": KEY_ARN, "retentionPeriod": 24}
WANT = "set encryptionType KMS and kmsKeyId to a customer-managed KMS key."

KINESIS_CASES = [
    ("customer-key", {}, {}, None),
    ("provider-default-none", {"encryptionType": "NONE"}, {}, f"not encrypted at rest (encryptionType NONE); {WANT}"),
    ("not-set", {"encryptionType": DELETE}, {}, "encryptionType not set, so NONE"),
    (
        "lower-case",
        {"encryptionType": "kms"},
        {},
        "encryptionType is 'kms', which the provider does not accept (KMS or NONE)",
    ),
    (
        "kms-without-key",
        {"kmsKeyId": DELETE},
        {},
        "has encryptionType KMS but kmsKeyId not set, which the provider refuses",
    ),
    ("kms-with-empty-key", {"kmsKeyId": ""}, {}, "kmsKeyId empty"),
    ("aws-managed-alias", {"kmsKeyId": "alias/aws/kinesis"}, {}, "uses the AWS-managed key alias/aws/kinesis"),
    ("aws-managed-short", {"kmsKeyId": "aws/kinesis"}, {}, "uses the AWS-managed key aws/kinesis"),
    ("aws-managed-allowed", {"kmsKeyId": "alias/aws/kinesis"}, {"allowAwsManagedKey": True}, None),
    ("customer-alias", {"kmsKeyId": "alias/clicks"}, {}, None),
    ("unknown-type", {"encryptionType": UNKNOWN}, {}, f"{UNDECIDED} encryptionType"),
    ("unknown-key", {"kmsKeyId": UNKNOWN}, {}, f"{UNDECIDED} kmsKeyId"),
]


@pytest.mark.parametrize(
    ("changes", "config", "expected"), [pytest.param(c, cfg, e, id=case) for case, c, cfg, e in KINESIS_CASES]
)
def test_kinesis_stream_encryption(changes, config, expected):
    assert_outcome(run_resource(KINESIS, t.KINESIS_STREAM, changed(STREAM, **changes), config), expected)


def test_a_key_of_the_stack_decides_an_unknown_kinesis_key():
    key = Res(t.KMS_KEY, "stream-key", {"enableKeyRotation": True})
    stream = Res(t.KINESIS_STREAM, "clicks", changed(STREAM, kmsKeyId=UNKNOWN), {"kmsKeyId": ("stream-key",)})
    assert_outcome(run_stack(KINESIS, [key, stream]), None)


# --- through the real pack, as a first preview sends them ------------------------------------------


def test_the_pack_judges_exposures_with_configured_ports_in_a_first_preview():
    """Config numbers reach the pack as protobuf doubles; unknown ids and ARNs are the engine's sentinel."""
    from pulumi.runtime.rpc import UNKNOWN as ENGINE_UNKNOWN

    from opsctl.engine import StackContext
    from opsctl.engine.analyzer import PolicyPack, resolve_config
    from tests.conftest import ROOT
    from tests.policies.test_analyzer_protocol import CONFIG, analyze, resource

    config = {**CONFIG, ADMIN: {"ports": [22, 2222]}}
    bastion = resource(
        t.SECURITY_GROUP,
        "bastion",
        {
            "name": "bastion-1a2b3c4",
            "ingress": [{"protocol": "tcp", "fromPort": 2222, "toPort": 2222, "cidrBlocks": ["0.0.0.0/0"]}],
        },
    )
    template = resource(t.LAUNCH_TEMPLATE, "app", {"name": "app-5d6e7f8", "id": ENGINE_UNKNOWN, **REQUIRED})
    instance = resource(
        t.EC2_INSTANCE, "web", {"launchTemplate": {"id": ENGINE_UNKNOWN}}, {"launchTemplate": [template.urn]}
    )
    stream = resource(t.KINESIS_STREAM, "clicks", {"name": "clicks-9a8b7c6", "encryptionType": "NONE"})
    with PolicyPack(ROOT / "policies", StackContext("ops-baseline", "dev", dry_run=True)) as pack:
        pack.configure(resolve_config(pack.info(), config, "test"))
        found = analyze(pack, [bastion, template, instance, stream])
    assert sorted((policy, level, name) for policy, level, _, name in found) == [
        (ADMIN, "mandatory", "bastion"),
        (KINESIS, "mandatory", "clicks"),
    ]
    assert "lets 0.0.0.0/0 reach port 2222 over tcp" in next(m for p, _, m, _ in found if p == ADMIN)
