"""EKS clusters envelope-encrypt Kubernetes secrets with a KMS key the account controls.

Without `encryptionConfig`, clusters on Kubernetes 1.28+ still envelope-encrypt API data, but with an
AWS-owned key whose use nobody can audit or revoke; EKS.3 asks for `encryptionConfig` naming
`secrets` and a KMS key. pulumi_eks creates this same resource.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import STACK_KEYS
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...props import MISSING, UNKNOWN, Props, shown
from ...vocabulary.tokens import EKS_CLUSTER

ADD = "add encryptionConfig with resources ['secrets'] and provider.keyArn set to a KMS key of this account"


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    block = props.get("encryptionConfig")
    if block is UNKNOWN:
        return
    if block is MISSING:
        yield f"EKS cluster has no encryptionConfig, so secrets are encrypted at best with an AWS-owned key; {ADD}."
        return
    resources = props.items("encryptionConfig.resources")
    if resources is not UNKNOWN and UNKNOWN not in resources and "secrets" not in resources:
        yield f"EKS cluster encryptionConfig.resources is {shown(resources)}; include 'secrets'."
    key = props.get("encryptionConfig.provider.keyArn")
    if key is UNKNOWN:
        props.resolved("encryptionConfig.provider.keyArn", *STACK_KEYS)
    elif key in (MISSING, ""):
        yield f"EKS cluster encryptionConfig.provider.keyArn is {'empty' if key == '' else 'not set'}; {ADD}."


GUARDRAIL = Guardrail(
    name="aws-eks-cluster-enable-secrets-encryption",
    description="EKS clusters envelope-encrypt Kubernetes secrets with a KMS key (encryptionConfig with resources ['secrets']).",
    severity="medium",
    resource_types=(EKS_CLUSTER,),
    remediation_steps="Add encryptionConfig {resources: ['secrets'], provider: {keyArn: <KMS key ARN>}} (it can be added to a running cluster, never removed); allow the cluster role kms:Encrypt, kms:Decrypt and kms:DescribeKey on the key.",
    references=References(
        config_rule=ConfigRule("EKS_SECRETS_ENCRYPTED", periodic=True),
        security_hub=("EKS.3",),
        checkov=("CKV_AWS_58",),
    ),
    check=check,
    resolves_references=True,
    audit=LiveAudit(types=(EKS_CLUSTER,)),
)
