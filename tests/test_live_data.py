"""opsctl audit of RDS / Aurora and EKS against a moto server on 127.0.0.1: compliant and exposed
databases and clusters, read into the guardrails' shape and judged by the pack's own rules."""

from __future__ import annotations

import json

from opsctl.live.readers.eks import props_of
from tests.test_live import ACCOUNT, AUDIT_CONFIG, REGION, run

PASSWORD = "not-a-real-password-1"


def seed(aws) -> None:
    """One compliant and one exposed resource of each kind the RDS and EKS readers produce."""
    kms = aws("kms")
    key = kms.create_key(Description="data")["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=key)
    rds = aws("rds")
    base = {"Engine": "postgres", "DBInstanceClass": "db.t4g.micro", "AllocatedStorage": 20}
    credentials = {"MasterUsername": "app", "MasterUserPassword": PASSWORD}
    rds.create_db_instance(
        DBInstanceIdentifier="good-db",
        StorageEncrypted=True,
        KmsKeyId=key,
        PubliclyAccessible=False,
        DeletionProtection=True,
        **base,
        **credentials,
    )
    rds.create_db_instance(DBInstanceIdentifier="open-db", PubliclyAccessible=True, **base, **credentials)
    rds.create_db_cluster(
        DBClusterIdentifier="good-aurora",
        Engine="aurora-postgresql",
        StorageEncrypted=True,
        DeletionProtection=True,
        **credentials,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="good-aurora-1",
        DBClusterIdentifier="good-aurora",
        Engine="aurora-postgresql",
        DBInstanceClass="db.r6g.large",
        PubliclyAccessible=False,
    )
    rds.create_db_cluster(DBClusterIdentifier="plain-aurora", Engine="aurora-mysql", **credentials)
    rds.create_db_instance(
        DBInstanceIdentifier="plain-aurora-1",
        DBClusterIdentifier="plain-aurora",
        Engine="aurora-mysql",
        DBInstanceClass="db.r6g.large",
        PubliclyAccessible=True,
    )
    eks = aws("eks")
    role = f"arn:aws:iam::{ACCOUNT}:role/eks"
    eks.create_cluster(name="default-eks", roleArn=role, resourcesVpcConfig={"subnetIds": ["subnet-0a1b2c3d"]})
    eks.create_cluster(
        name="good-eks",
        roleArn=role,
        resourcesVpcConfig={
            "subnetIds": ["subnet-0a1b2c3d"],
            "endpointPublicAccess": False,
            "endpointPrivateAccess": True,
        },
        encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": key}}],
        logging={"clusterLogging": [{"types": ["api", "audit", "authenticator"], "enabled": True}]},
    )


EXPECTED = {
    ("aws-rds-instance-enable-storage-encryption", "open-db"),
    ("aws-rds-instance-disallow-public-access", "open-db"),
    ("aws-rds-instance-enable-deletion-protection", "open-db"),
    ("aws-rds-cluster-enable-storage-encryption", "plain-aurora"),
    ("aws-rds-cluster-enable-deletion-protection", "plain-aurora"),
    ("aws-rds-instance-disallow-public-access", "plain-aurora-1"),
    ("aws-eks-cluster-disallow-public-endpoint", "default-eks"),
    ("aws-eks-cluster-enable-secrets-encryption", "default-eks"),
    ("aws-eks-cluster-enable-control-plane-logging", "default-eks"),
}
"""The exposed resources, guardrail by resource: nothing on the compliant ones, and an Aurora
member's storage and deletion protection are judged on its cluster, not on it."""


def test_audit_reads_rds_and_eks_and_finds_exactly_the_exposed_ones(aws, capsys, tmp_path):
    seed(aws)
    config = tmp_path / "policy.json"
    config.write_text(json.dumps(AUDIT_CONFIG))
    code, out, err = run(capsys, "audit", "--region", REGION, "--policy-config", str(config), "--format", "json")
    assert "Traceback" not in err, err
    report = json.loads(out)
    assert code == 1
    assert not [f for f in report["findings"] if f["kind"] == "error"]
    found = {
        (f["policy"], f["resource"].rsplit(":", 1)[-1].rsplit("/", 1)[-1])
        for f in report["findings"]
        if f["kind"] == "violation"
    }
    assert found == EXPECTED
    messages = {(f["policy"], f["resource"].rsplit("/", 1)[-1]): f["message"] for f in report["findings"]}
    assert (
        "vpcConfig.endpointPublicAccess not set, and the provider's default is true"
        in messages[("aws-eks-cluster-disallow-public-endpoint", "default-eks")]
    )
    assert "(enabledClusterLogTypes [])" in messages[("aws-eks-cluster-enable-control-plane-logging", "default-eks")]


def test_eks_reader_keeps_what_describe_cluster_reports():
    """The shape DescribeCluster returns on AWS (every field present), read into aws.eks.Cluster's."""
    cluster = {
        "name": "platform",
        "arn": f"arn:aws:eks:{REGION}:{ACCOUNT}:cluster/platform",
        "resourcesVpcConfig": {
            "subnetIds": ["subnet-0a1b2c3d"],
            "endpointPublicAccess": True,
            "endpointPrivateAccess": True,
            "publicAccessCidrs": ["203.0.113.0/24"],
        },
        "logging": {
            "clusterLogging": [
                {"types": ["api", "audit"], "enabled": True},
                {"types": ["authenticator", "controllerManager", "scheduler"], "enabled": False},
            ]
        },
        "encryptionConfig": [{"resources": ["secrets"], "provider": {"keyArn": "arn:aws:kms:eu-west-1:1:key/k"}}],
    }
    assert props_of(cluster) == {
        "name": "platform",
        "vpcConfig": {
            "endpointPublicAccess": True,
            "endpointPrivateAccess": True,
            "publicAccessCidrs": ["203.0.113.0/24"],
        },
        "enabledClusterLogTypes": ["api", "audit"],
        "encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": "arn:aws:kms:eu-west-1:1:key/k"}},
    }
