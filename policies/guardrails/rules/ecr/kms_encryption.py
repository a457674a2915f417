"""Repository images are encrypted with KMS: encryptionType KMS, or KMS_DSSE (two layers, both with
the KMS key), with a customer-managed key. AWS Config's ECR_REPOSITORY_CMK_ENCRYPTION_ENABLED fails
only AES256 and the default aws/ecr key, and ECR uses aws/ecr for either type without kmsKey."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import allow_aws_managed_key, key_in_use, key_problem, wanted_key
from ...live import LiveAudit
from ...model import AwsDefault, ConfigRule, Guardrail, References
from ...props import MISSING, UNKNOWN, Props, shown
from ...vocabulary.tokens import ECR_REPOSITORY

SETTING = "encryptionConfigurations[0]"
KMS_TYPES = ("KMS", "KMS_DSSE")


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    kind = props.get(f"{SETTING}.encryptionType")
    wanted = wanted_key(config["allowAwsManagedKey"])
    if kind is UNKNOWN:
        return
    if kind not in KMS_TYPES:
        current = "AES256 (the default)" if kind is MISSING else shown(kind)
        yield f"ECR repository encryption is {current}; set {SETTING}.encryptionType to KMS (or KMS_DSSE) with kmsKey {wanted} (this replaces the repository)."
        return
    # Either KMS type without kmsKey (or with an empty one) encrypts with the AWS-managed aws/ecr key.
    key = key_in_use(props, f"{SETTING}.kmsKey", service="ecr", absent="aws-managed")
    problem = key_problem("ECR repository", f"{SETTING}.kmsKey", key, allow_aws_managed=config["allowAwsManagedKey"])
    if problem:
        yield problem


GUARDRAIL = Guardrail(
    name="aws-ecr-repository-configure-kms-encryption",
    description="ECR repositories encrypt images with a customer-managed KMS key, as KMS or KMS_DSSE (the AWS-managed aws/ecr key only where allowed).",
    severity="medium",
    resource_types=(ECR_REPOSITORY,),
    remediation_steps="Set encryptionConfigurations = [{encryptionType: KMS, kmsKey: <customer key ARN>}]; this replaces the repository.",
    references=References(config_rule=ConfigRule("ECR_REPOSITORY_CMK_ENCRYPTION_ENABLED"), checkov=("CKV_AWS_136",)),
    check=check,
    resolves_references=True,
    parameters=(
        allow_aws_managed_key(
            "ecr", "encryptionType KMS without kmsKey", AwsDefault(False, "ECR_REPOSITORY_CMK_ENCRYPTION_ENABLED")
        ),
    ),
    audit=LiveAudit(types=(ECR_REPOSITORY,)),
)
