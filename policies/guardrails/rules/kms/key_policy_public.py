"""Key policies never let everyone use or manage a key."""

from ...checks import PIN_THE_CALLER, SERVICE_PRINCIPALS, document_check, public_access
from ...live import LiveAudit
from ...model import Guardrail, References
from ...vocabulary.tokens import KMS_EXTERNAL_KEY, KMS_KEY, KMS_KEY_POLICY, KMS_REPLICA_EXTERNAL_KEY, KMS_REPLICA_KEY

GUARDRAIL = Guardrail(
    name="aws-kms-keypolicy-disallow-public-access",
    description="KMS key policies let in only named principals, or callers pinned by a condition on their account (kms:CallerAccount), organization, source or encryption context.",
    severity="critical",
    resource_types=(KMS_KEY, KMS_KEY_POLICY, KMS_REPLICA_KEY, KMS_EXTERNAL_KEY, KMS_REPLICA_EXTERNAL_KEY),
    remediation_steps="Give the account root (kms:*) and named roles access; scope service principals with aws:SourceAccount, aws:SourceArn or the service's kms:EncryptionContext ARN.",
    references=References(checkov=("CKV_AWS_33",)),
    check=document_check("Key policy", public_access, PIN_THE_CALLER),
    parameters=(SERVICE_PRINCIPALS,),
    resolves_references=True,
    audit=LiveAudit(types=(KMS_KEY, KMS_REPLICA_KEY, KMS_EXTERNAL_KEY, KMS_REPLICA_EXTERNAL_KEY)),
)
