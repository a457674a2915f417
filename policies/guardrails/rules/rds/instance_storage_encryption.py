"""RDS DB instances encrypt their storage.

`storageEncrypted` decides it, and RDS's default is off. A `kmsKeyId` alone encrypts nothing: it names
the key of an instance that is encrypted. A read replica takes its source's encryption
(CreateDBInstanceReadReplica has no StorageEncrypted), so a replica of an instance in this stack is
judged through that instance; a restore takes its snapshot's. Encryption is chosen at creation only:
turning it on replaces the instance.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...props import MISSING, UNKNOWN, Props, shown
from ...vocabulary.tokens import RDS_INSTANCE

SET_IT = "set storageEncrypted true (the instance is replaced: RDS encrypts only at creation)"


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    encrypted = props.flag("storageEncrypted")
    if encrypted is True or encrypted is UNKNOWN:
        return
    if encrypted is not MISSING:
        yield f"RDS DB instance storageEncrypted is {shown(encrypted)}; {SET_IT}."
        return
    source = props.peek("replicateSourceDb")
    if source not in (MISSING, ""):
        if any(o.type == RDS_INSTANCE for o in props.origins("replicateSourceDb") or ()):
            return  # its source in this stack is judged by this guardrail
        yield (
            "RDS DB instance is a read replica without storageEncrypted: it is encrypted only if its source "
            "(not in this stack) is; set storageEncrypted true to require it."
        )
    elif props.peek("snapshotIdentifier") not in (MISSING, ""):
        yield (
            "RDS DB instance storageEncrypted is not set: a restore takes its snapshot's encryption, which the "
            "pack cannot see; set storageEncrypted true to require an encrypted snapshot."
        )
    elif props.peek("kmsKeyId") not in (MISSING, ""):
        yield f"RDS DB instance storageEncrypted is not set, so RDS leaves it unencrypted (kmsKeyId alone does not encrypt); {SET_IT}."
    else:
        yield f"RDS DB instance storageEncrypted is not set, so RDS leaves it unencrypted; {SET_IT}."


GUARDRAIL = Guardrail(
    name="aws-rds-instance-enable-storage-encryption",
    description="RDS DB instances encrypt their storage at rest (storageEncrypted; a replica through its source).",
    severity="medium",
    resource_types=(RDS_INSTANCE,),
    remediation_steps="Set storageEncrypted = true (and kmsKeyId to a customer-managed key, or leave it for aws/rds). An existing instance is replaced: snapshot it, copy the snapshot with encryption, restore from the copy.",
    references=References(
        config_rule=ConfigRule("RDS_STORAGE_ENCRYPTED"),
        cis=("2.3.1 (v1.4.0)",),
        security_hub=("RDS.3",),
        checkov=("CKV_AWS_16",),
    ),
    check=check,
    resolves_references=True,
    audit=LiveAudit(types=(RDS_INSTANCE,)),
)
