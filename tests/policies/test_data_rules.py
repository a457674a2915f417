"""RDS / Aurora and EKS guardrails: a compliant baseline per resource type, then one changed field
per case; absent values judged by AWS's and the provider's defaults; unknown values; booleans in
every spelling the provider reads."""

from __future__ import annotations

import pytest

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import DELETE, UNKNOWN, Res, changed, run_resource, run_stack

KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

INSTANCE = {
    "identifier": "orders",
    "engine": "postgres",
    "instanceClass": "db.t4g.micro",
    "storageEncrypted": True,
    "kmsKeyId": KEY_ARN,
    "publiclyAccessible": False,
    "deletionProtection": True,
}
AURORA = {
    "clusterIdentifier": "orders",
    "engine": "aurora-postgresql",
    "engineMode": "provisioned",
    "storageEncrypted": True,
    "deletionProtection": True,
}
MULTI_AZ = {
    "clusterIdentifier": "ledger",
    "engine": "postgres",
    "dbClusterInstanceClass": "db.m6gd.large",
    "dbSubnetGroupName": "private-data",
    "publiclyAccessible": False,
    "storageEncrypted": True,
    "deletionProtection": True,
}
CLUSTER_INSTANCE = {"clusterIdentifier": "orders", "engine": "aurora-postgresql", "instanceClass": "db.r6g.large"}
PRIVATE_VPC = {"subnetIds": ["subnet-0a1b2c3d"], "endpointPrivateAccess": True, "endpointPublicAccess": False}
EKS = {
    "name": "platform",
    "roleArn": "arn:aws:iam::123456789012:role/eks",
    "vpcConfig": PRIVATE_VPC,
    "encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": KEY_ARN}},
    "enabledClusterLogTypes": ["api", "audit", "authenticator"],
}

INSTANCE_ENCRYPTION = "aws-rds-instance-enable-storage-encryption"
CLUSTER_ENCRYPTION = "aws-rds-cluster-enable-storage-encryption"
PUBLIC = "aws-rds-instance-disallow-public-access"
INSTANCE_PROTECTION = "aws-rds-instance-enable-deletion-protection"
CLUSTER_PROTECTION = "aws-rds-cluster-enable-deletion-protection"
ENDPOINT = "aws-eks-cluster-disallow-public-endpoint"
SECRETS = "aws-eks-cluster-enable-secrets-encryption"
LOGGING = "aws-eks-cluster-enable-control-plane-logging"

BASELINES = {
    (INSTANCE_ENCRYPTION, "instance"): (t.RDS_INSTANCE, INSTANCE),
    (CLUSTER_ENCRYPTION, "aurora"): (t.RDS_CLUSTER, AURORA),
    (CLUSTER_ENCRYPTION, "multi-az"): (t.RDS_CLUSTER, MULTI_AZ),
    (PUBLIC, "instance"): (t.RDS_INSTANCE, INSTANCE),
    (PUBLIC, "cluster-instance"): (t.RDS_CLUSTER_INSTANCE, CLUSTER_INSTANCE),
    (PUBLIC, "aurora"): (t.RDS_CLUSTER, AURORA),
    (PUBLIC, "multi-az"): (t.RDS_CLUSTER, MULTI_AZ),
    (INSTANCE_PROTECTION, "instance"): (t.RDS_INSTANCE, INSTANCE),
    (CLUSTER_PROTECTION, "aurora"): (t.RDS_CLUSTER, AURORA),
    (ENDPOINT, "eks"): (t.EKS_CLUSTER, EKS),
    (SECRETS, "eks"): (t.EKS_CLUSTER, EKS),
    (LOGGING, "eks"): (t.EKS_CLUSTER, EKS),
}

# (policy, baseline, case id, changes, policy config, expected message part or None for a pass)
CASES = [
    # RDS instance storage: RDS's default is unencrypted, and a key alone does not encrypt.
    (INSTANCE_ENCRYPTION, "instance", "off", {"storageEncrypted": False}, {}, "storageEncrypted is False; set"),
    (INSTANCE_ENCRYPTION, "instance", "off-as-string", {"storageEncrypted": "false"}, {}, "is False; set"),
    (INSTANCE_ENCRYPTION, "instance", "on-as-string", {"storageEncrypted": "true"}, {}, None),
    (INSTANCE_ENCRYPTION, "instance", "on-capitalised", {"storageEncrypted": "True"}, {}, None),
    (INSTANCE_ENCRYPTION, "instance", "on-as-one", {"storageEncrypted": "1"}, {}, None),
    (
        INSTANCE_ENCRYPTION,
        "instance",
        "not-a-boolean",
        {"storageEncrypted": "yes"},
        {},
        "storageEncrypted is 'yes', which the provider cannot read as a boolean",
    ),
    (
        INSTANCE_ENCRYPTION,
        "instance",
        "key-without-encryption",
        {"storageEncrypted": DELETE},
        {},
        "not set, so RDS leaves it unencrypted (kmsKeyId alone does not encrypt)",
    ),
    (
        INSTANCE_ENCRYPTION,
        "instance",
        "nothing-set",
        {"storageEncrypted": DELETE, "kmsKeyId": DELETE},
        {},
        "storageEncrypted is not set, so RDS leaves it unencrypted; set storageEncrypted true (the instance is replaced",
    ),
    (INSTANCE_ENCRYPTION, "instance", "aws-managed-key-is-encryption", {"kmsKeyId": DELETE}, {}, None),
    (
        INSTANCE_ENCRYPTION,
        "instance",
        "replica-of-a-source-elsewhere",
        {"storageEncrypted": DELETE, "kmsKeyId": DELETE, "replicateSourceDb": "legacy-orders"},
        {},
        "read replica without storageEncrypted: it is encrypted only if its source (not in this stack) is",
    ),
    (
        INSTANCE_ENCRYPTION,
        "instance",
        "restored-snapshot",
        {"storageEncrypted": DELETE, "kmsKeyId": DELETE, "snapshotIdentifier": "orders-final"},
        {},
        "a restore takes its snapshot's encryption",
    ),
    # Aurora and Multi-AZ clusters: provisioned defaults to unencrypted, Serverless v1 is always encrypted.
    (CLUSTER_ENCRYPTION, "aurora", "off", {"storageEncrypted": False}, {}, "RDS DB cluster storageEncrypted is False"),
    (CLUSTER_ENCRYPTION, "aurora", "on-capitalised", {"storageEncrypted": "True"}, {}, None),
    (
        CLUSTER_ENCRYPTION,
        "aurora",
        "provisioned-default",
        {"storageEncrypted": DELETE},
        {},
        "storageEncrypted is not set, so RDS leaves it unencrypted; set storageEncrypted true (the cluster is replaced",
    ),
    (
        CLUSTER_ENCRYPTION,
        "aurora",
        "engine-mode-left-to-the-provider",
        {"storageEncrypted": DELETE, "engineMode": DELETE},
        {},
        "so RDS leaves it unencrypted",
    ),
    (
        CLUSTER_ENCRYPTION,
        "aurora",
        "key-without-encryption",
        {"storageEncrypted": DELETE, "kmsKeyId": KEY_ARN},
        {},
        "(kmsKeyId needs storageEncrypted true)",
    ),
    (CLUSTER_ENCRYPTION, "aurora", "serverless-v1", {"storageEncrypted": DELETE, "engineMode": "serverless"}, {}, None),
    (
        CLUSTER_ENCRYPTION,
        "aurora",
        "restore-with-key-encrypts",
        {"storageEncrypted": DELETE, "snapshotIdentifier": "orders-final", "kmsKeyId": KEY_ARN},
        {},
        None,
    ),
    (
        CLUSTER_ENCRYPTION,
        "aurora",
        "restore-without-key",
        {"storageEncrypted": DELETE, "snapshotIdentifier": "orders-final"},
        {},
        "set kmsKeyId (it encrypts the restored cluster) or storageEncrypted true",
    ),
    (CLUSTER_ENCRYPTION, "multi-az", "off", {"storageEncrypted": "0"}, {}, "storageEncrypted is False"),
    # Public access: instances default to private (the provider sends false); Multi-AZ clusters may not.
    (PUBLIC, "instance", "public", {"publiclyAccessible": True}, {}, "RDS DB instance publiclyAccessible is True"),
    (PUBLIC, "instance", "public-as-string", {"publiclyAccessible": "true"}, {}, "publiclyAccessible is True"),
    (PUBLIC, "instance", "public-capitalised", {"publiclyAccessible": "True"}, {}, "publiclyAccessible is True"),
    (PUBLIC, "instance", "private-as-string", {"publiclyAccessible": "false"}, {}, None),
    (PUBLIC, "instance", "left-out-is-private", {"publiclyAccessible": DELETE}, {}, None),
    (
        PUBLIC,
        "instance",
        "left-out-in-the-default-subnet-group",
        {"publiclyAccessible": DELETE, "dbSubnetGroupName": "default"},
        {},
        None,
    ),
    (
        PUBLIC,
        "instance",
        "not-a-boolean",
        {"publiclyAccessible": "public"},
        {},
        "'public', which the provider cannot read as a boolean",
    ),
    (
        PUBLIC,
        "cluster-instance",
        "public",
        {"publiclyAccessible": True},
        {},
        "RDS cluster instance publiclyAccessible is True",
    ),
    (PUBLIC, "cluster-instance", "private", {"publiclyAccessible": False}, {}, None),
    (PUBLIC, "aurora", "no-cluster-level-setting", {"dbSubnetGroupName": "default"}, {}, None),
    (PUBLIC, "multi-az", "public", {"publiclyAccessible": "1"}, {}, "Multi-AZ DB cluster publiclyAccessible is True"),
    (PUBLIC, "multi-az", "left-out-own-subnet-group", {"publiclyAccessible": DELETE}, {}, None),
    (
        PUBLIC,
        "multi-az",
        "left-out-default-subnet-group",
        {"publiclyAccessible": DELETE, "dbSubnetGroupName": "default"},
        {},
        "dbSubnetGroupName is 'default', so RDS makes it public",
    ),
    (
        PUBLIC,
        "multi-az",
        "left-out-no-subnet-group",
        {"publiclyAccessible": DELETE, "dbSubnetGroupName": DELETE},
        {},
        "dbSubnetGroupName is not set, so RDS makes it public",
    ),
    # Deletion protection: off unless set, in every spelling.
    (
        INSTANCE_PROTECTION,
        "instance",
        "left-out",
        {"deletionProtection": DELETE},
        {},
        "is not set (RDS's default is off)",
    ),
    (INSTANCE_PROTECTION, "instance", "off", {"deletionProtection": False}, {}, "deletionProtection is False"),
    (INSTANCE_PROTECTION, "instance", "off-capitalised", {"deletionProtection": "False"}, {}, "is False"),
    (INSTANCE_PROTECTION, "instance", "on-as-t", {"deletionProtection": "t"}, {}, None),
    (CLUSTER_PROTECTION, "aurora", "left-out", {"deletionProtection": DELETE}, {}, "RDS DB cluster deletionProtection"),
    (CLUSTER_PROTECTION, "aurora", "on-as-string", {"deletionProtection": "true"}, {}, None),
    # EKS endpoint: public by the provider's default, to 0.0.0.0/0 by EKS's.
    (
        ENDPOINT,
        "eks",
        "provider-default",
        {"vpcConfig": {"subnetIds": ["subnet-0a1b2c3d"]}},
        {},
        "endpointPublicAccess not set, and the provider's default is true",
    ),
    (
        ENDPOINT,
        "eks",
        "public",
        {"vpcConfig": {**PRIVATE_VPC, "endpointPublicAccess": True}},
        {},
        "API endpoint is public (vpcConfig.endpointPublicAccess true)",
    ),
    (ENDPOINT, "eks", "private-as-string", {"vpcConfig": {**PRIVATE_VPC, "endpointPublicAccess": "false"}}, {}, None),
    (
        ENDPOINT,
        "eks",
        "public-capitalised",
        {"vpcConfig": {**PRIVATE_VPC, "endpointPublicAccess": "True"}},
        {},
        "API endpoint is public",
    ),
    (
        ENDPOINT,
        "eks",
        "restricted-still-public-by-default",
        {"vpcConfig": {**PRIVATE_VPC, "endpointPublicAccess": True, "publicAccessCidrs": ["203.0.113.0/24"]}},
        {},
        "API endpoint is public",
    ),
    (
        ENDPOINT,
        "eks",
        "restricted-allowed",
        {"vpcConfig": {**PRIVATE_VPC, "endpointPublicAccess": True, "publicAccessCidrs": ["203.0.113.0/24"]}},
        {"allowRestrictedPublicEndpoint": True},
        None,
    ),
    (
        ENDPOINT,
        "eks",
        "allowed-but-no-cidrs-means-everyone",
        {"vpcConfig": {**PRIVATE_VPC, "endpointPublicAccess": True}},
        {"allowRestrictedPublicEndpoint": True},
        "publicAccessCidrs is not set, so EKS opens it to 0.0.0.0/0",
    ),
    (
        ENDPOINT,
        "eks",
        "allowed-but-empty-cidrs",
        {"vpcConfig": {"subnetIds": ["subnet-0a1b2c3d"], "publicAccessCidrs": []}},
        {"allowRestrictedPublicEndpoint": True},
        "so EKS opens it to 0.0.0.0/0",
    ),
    (
        ENDPOINT,
        "eks",
        "allowed-but-open-to-the-internet",
        {"vpcConfig": {"subnetIds": ["s"], "publicAccessCidrs": ["203.0.113.0/24", "0.0.0.0/0", "::/0"]}},
        {"allowRestrictedPublicEndpoint": True},
        "public to 0.0.0.0/0, ::/0 (vpcConfig.publicAccessCidrs)",
    ),
    (
        ENDPOINT,
        "eks",
        "not-a-boolean",
        {"vpcConfig": {**PRIVATE_VPC, "endpointPublicAccess": "no"}},
        {},
        "endpointPublicAccess is 'no', which the provider cannot read as a boolean",
    ),
    # EKS secrets: encryptionConfig naming secrets and a key.
    (SECRETS, "eks", "no-encryption-config", {"encryptionConfig": DELETE}, {}, "has no encryptionConfig"),
    (
        SECRETS,
        "eks",
        "secrets-not-named",
        {"encryptionConfig": {"resources": [], "provider": {"keyArn": KEY_ARN}}},
        {},
        "encryptionConfig.resources is []; include 'secrets'",
    ),
    (
        SECRETS,
        "eks",
        "misspelled-resource",
        {"encryptionConfig": {"resources": ["Secrets"], "provider": {"keyArn": KEY_ARN}}},
        {},
        "encryptionConfig.resources is ['Secrets']",
    ),
    (
        SECRETS,
        "eks",
        "no-key",
        {"encryptionConfig": {"resources": ["secrets"], "provider": {}}},
        {},
        "encryptionConfig.provider.keyArn is not set",
    ),
    (
        SECRETS,
        "eks",
        "empty-key",
        {"encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": ""}}},
        {},
        "encryptionConfig.provider.keyArn is empty",
    ),
    # EKS control-plane logs: EKS logs nothing unless asked; EKS.8 wants audit.
    (LOGGING, "eks", "nothing-enabled", {"enabledClusterLogTypes": DELETE}, {}, "not set: EKS logs nothing"),
    (
        LOGGING,
        "eks",
        "empty-list",
        {"enabledClusterLogTypes": []},
        {},
        "logs audit are off (enabledClusterLogTypes [])",
    ),
    (LOGGING, "eks", "no-audit", {"enabledClusterLogTypes": ["api", "scheduler"]}, {}, "logs audit are off"),
    (
        LOGGING,
        "eks",
        "misspelled-type",
        {"enabledClusterLogTypes": ["api", "audit", "Authenticator"]},
        {},
        "has 'Authenticator', which EKS does not accept",
    ),
    (
        LOGGING,
        "eks",
        "all-five-required",
        {},
        {"requiredLogTypes": ["api", "audit", "authenticator", "controllerManager", "scheduler"]},
        "logs controllerManager, scheduler are off",
    ),
    (
        LOGGING,
        "eks",
        "all-five-given",
        {"enabledClusterLogTypes": ["api", "audit", "authenticator", "controllerManager", "scheduler"]},
        {"requiredLogTypes": ["api", "audit", "authenticator", "controllerManager", "scheduler"]},
        None,
    ),
]


@pytest.mark.parametrize(("policy", "baseline"), sorted(BASELINES), ids=lambda v: v)
def test_baseline_is_compliant(policy, baseline):
    type_, props = BASELINES[policy, baseline]
    outcome = run_resource(policy, type_, props)
    assert outcome.violations == [] and outcome.unchecked is None


@pytest.mark.parametrize(
    ("policy", "baseline", "changes", "config", "expected"),
    [pytest.param(p, b, ch, cfg, exp, id=f"{p}:{b}:{cid}") for p, b, cid, ch, cfg, exp in CASES],
)
def test_one_change(policy, baseline, changes, config, expected):
    type_, props = BASELINES[policy, baseline]
    outcome = run_resource(policy, type_, changed(props, **changes), config)
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None, outcome.violations
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


@pytest.mark.parametrize("policy", sorted({p for p, _ in BASELINES}))
def test_other_resource_types_are_ignored(policy):
    assert run_resource(policy, t.S3_BUCKET, {"bucket": "x", "publiclyAccessible": True}).violations == []


UNKNOWN_CASES = [
    (INSTANCE_ENCRYPTION, "instance", {"storageEncrypted": UNKNOWN}, "storageEncrypted"),
    (CLUSTER_ENCRYPTION, "aurora", {"storageEncrypted": DELETE, "engineMode": UNKNOWN}, "engineMode"),
    (PUBLIC, "instance", {"publiclyAccessible": UNKNOWN}, "publiclyAccessible"),
    (PUBLIC, "multi-az", {"publiclyAccessible": DELETE, "dbSubnetGroupName": UNKNOWN}, "dbSubnetGroupName"),
    (INSTANCE_PROTECTION, "instance", {"deletionProtection": UNKNOWN}, "deletionProtection"),
    (
        ENDPOINT,
        "eks",
        {"vpcConfig": {**PRIVATE_VPC, "endpointPublicAccess": UNKNOWN}},
        "vpcConfig.endpointPublicAccess",
    ),
    (SECRETS, "eks", {"encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": UNKNOWN}}}, "keyArn"),
    (LOGGING, "eks", {"enabledClusterLogTypes": ["api", UNKNOWN]}, "enabledClusterLogTypes[1]"),
]


@pytest.mark.parametrize(
    ("policy", "baseline", "changes", "path"),
    [pytest.param(p, b, c, path, id=f"{p}:{b}") for p, b, c, path in UNKNOWN_CASES],
)
def test_unknown_values_stay_undecided(policy, baseline, changes, path):
    type_, props = BASELINES[policy, baseline]
    outcome = run_resource(policy, type_, changed(props, **changes))
    assert outcome.violations == []
    assert path in outcome.unchecked and "can't be known during preview" in outcome.unchecked


def test_a_known_missing_log_type_fails_next_to_an_unknown_one():
    """An unknown element could be any one type: with two missing, one is missing for sure."""
    outcome = run_resource(
        LOGGING, t.EKS_CLUSTER, changed(EKS, enabledClusterLogTypes=[UNKNOWN]), {"requiredLogTypes": ["api", "audit"]}
    )
    assert outcome.violations == [] and "enabledClusterLogTypes[0]" in outcome.unchecked


def test_an_endpoint_open_to_everyone_fails_even_with_an_unknown_cidr():
    vpc = {"subnetIds": ["s"], "publicAccessCidrs": [UNKNOWN, "0.0.0.0/0"]}
    outcome = run_resource(
        ENDPOINT, t.EKS_CLUSTER, changed(EKS, vpcConfig=vpc), {"allowRestrictedPublicEndpoint": True}
    )
    assert outcome.violations == [
        "EKS cluster API endpoint is public to 0.0.0.0/0 (vpcConfig.publicAccessCidrs); list only the CIDRs that "
        "may call it, or set vpcConfig.endpointPublicAccess false and endpointPrivateAccess true."
    ]
    assert "publicAccessCidrs[0]" in outcome.unchecked


def test_a_replica_of_an_instance_in_this_stack_is_judged_through_its_source():
    primary = Res(t.RDS_INSTANCE, "primary", changed(INSTANCE, storageEncrypted=DELETE, kmsKeyId=DELETE))
    replica = Res(
        t.RDS_INSTANCE,
        "replica",
        changed(INSTANCE, storageEncrypted=DELETE, kmsKeyId=DELETE, replicateSourceDb=UNKNOWN),
        deps={"replicateSourceDb": ("primary",)},
    )
    outcome = run_stack(INSTANCE_ENCRYPTION, [primary, replica])
    assert len(outcome.violations) == 1 and "so RDS leaves it unencrypted" in outcome.violations[0]
    assert outcome.urns == ["urn:pulumi:test::ops-baseline::aws:rds/instance:Instance::primary"]
    assert outcome.unchecked is None


def test_a_replica_whose_source_is_unknown_outside_the_stack_is_asked_to_state_its_encryption():
    replica = changed(INSTANCE, storageEncrypted=DELETE, kmsKeyId=DELETE, replicateSourceDb=UNKNOWN)
    outcome = run_resource(INSTANCE_ENCRYPTION, t.RDS_INSTANCE, replica)
    assert len(outcome.violations) == 1 and "(not in this stack)" in outcome.violations[0]


def test_a_subnet_group_of_this_stack_is_not_the_default_one():
    subnets = Res("aws:rds/subnetGroup:SubnetGroup", "data-subnets", {"subnetIds": ["subnet-0a1b2c3d"]})
    cluster = Res(
        t.RDS_CLUSTER,
        "ledger",
        changed(MULTI_AZ, publiclyAccessible=DELETE, dbSubnetGroupName=UNKNOWN),
        deps={"dbSubnetGroupName": ("data-subnets",)},
    )
    outcome = run_stack(PUBLIC, [subnets, cluster])
    assert outcome.violations == [] and outcome.unchecked is None


def test_a_key_of_this_stack_encrypts_secrets_at_first_preview():
    key = Res(t.KMS_KEY, "eks-key", {"enableKeyRotation": True})
    cluster = Res(
        t.EKS_CLUSTER,
        "platform",
        changed(EKS, encryptionConfig={"resources": ["secrets"], "provider": {"keyArn": UNKNOWN}}),
        deps={"encryptionConfig": ("eks-key",)},
    )
    outcome = run_stack(SECRETS, [key, cluster])
    assert outcome.violations == [] and outcome.unchecked is None


def test_deletion_protection_is_its_own_guardrail_so_configs_set_it_per_environment():
    import json

    from tests.conftest import ROOT

    levels = {env: json.loads((ROOT / "policies" / "config" / f"{env}.json").read_text()) for env in ("dev", "prod")}
    for name in (INSTANCE_PROTECTION, CLUSTER_PROTECTION):
        assert levels["dev"][name] == "advisory"
        assert name not in levels["prod"] and levels["prod"]["all"] == "mandatory"


@pytest.mark.parametrize(
    ("config", "log_types"),
    [({}, "audit"), ({"requiredLogTypes": ["api", "audit", "authenticator"]}, "api,audit,authenticator")],
)
def test_the_config_rule_checks_the_same_log_types(config, log_types):
    guardrail = BY_NAME[LOGGING]
    rule = guardrail.references.config_rule
    assert rule.identifier == "EKS_CLUSTER_LOG_ENABLED"
    assert rule.input_parameters(guardrail.config(config)) == {"logTypes": log_types}
