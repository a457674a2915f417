"""Bucket policies never open a bucket to everyone."""

from ...checks import PIN_THE_CALLER, SERVICE_PRINCIPALS, document_check, public_access
from ...model import ConfigRule, Guardrail, References
from ...tokens import S3_BUCKET_POLICY
from .buckets import BUCKETS

GUARDRAIL = Guardrail(
    name="aws-s3-bucketpolicy-disallow-public-access",
    description="S3 bucket policies (separate or inline) let in only named principals, or callers pinned by a condition on their account, organization, source or network.",
    severity="critical",
    resource_types=(S3_BUCKET_POLICY, *BUCKETS),
    remediation_steps="Name the principals; for service principals (cloudtrail, config, logging) add aws:SourceArn / aws:SourceAccount conditions; keep the public access block on.",
    references=References(
        config_rule=ConfigRule("S3_BUCKET_PUBLIC_READ_PROHIBITED"),
        security_hub=("S3.2", "S3.3"),
        checkov=("CKV_AWS_70",),
    ),
    check=document_check("Bucket policy", public_access, PIN_THE_CALLER),
    parameters=(SERVICE_PRINCIPALS,),
    resolves_references=True,
)
