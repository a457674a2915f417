"""RDS DB clusters (Aurora and Multi-AZ) encrypt their storage; their instances inherit it.

RDS's default for a provisioned cluster is unencrypted, and a `kmsKeyId` needs `storageEncrypted` true
with it (the provider's documentation) -- except on a restore from a snapshot, where the key encrypts
the restored cluster. Aurora Serverless v1 (`engineMode` serverless) is always encrypted. Encryption
is chosen at creation only: turning it on replaces the cluster.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...props import MISSING, UNKNOWN, Props, shown
from ...vocabulary.tokens import RDS_CLUSTER

SET_IT = "set storageEncrypted true (the cluster is replaced: RDS encrypts only at creation)"


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    encrypted = props.flag("storageEncrypted")
    if encrypted is True or encrypted is UNKNOWN:
        return
    if encrypted is not MISSING:
        yield f"RDS DB cluster storageEncrypted is {shown(encrypted)}; {SET_IT}."
        return
    mode = props.get("engineMode")
    if mode == "serverless" or mode is UNKNOWN:
        return
    key_given = props.peek("kmsKeyId") not in (MISSING, "")
    if props.peek("snapshotIdentifier") not in (MISSING, ""):
        if not key_given:
            yield (
                "RDS DB cluster storageEncrypted is not set: a restore takes its snapshot's encryption, which the "
                "pack cannot see; set kmsKeyId (it encrypts the restored cluster) or storageEncrypted true."
            )
    elif key_given:
        yield f"RDS DB cluster storageEncrypted is not set, so RDS leaves it unencrypted (kmsKeyId needs storageEncrypted true); {SET_IT}."
    else:
        yield f"RDS DB cluster storageEncrypted is not set, so RDS leaves it unencrypted; {SET_IT}."


GUARDRAIL = Guardrail(
    name="aws-rds-cluster-enable-storage-encryption",
    description="RDS DB clusters (Aurora and Multi-AZ) encrypt their storage at rest; their instances inherit it.",
    severity="medium",
    resource_types=(RDS_CLUSTER,),
    remediation_steps="Set storageEncrypted = true (and kmsKeyId to a customer-managed key, or leave it for aws/rds). An existing cluster is replaced: snapshot it and restore the snapshot with kmsKeyId.",
    references=References(
        config_rule=ConfigRule("RDS_CLUSTER_ENCRYPTED_AT_REST"),
        security_hub=("RDS.27",),
        checkov=("CKV_AWS_96",),
    ),
    check=check,
    audit=LiveAudit(types=(RDS_CLUSTER,)),
)
