"""Secret resource policies never open a secret to everyone."""

from ...checks import PIN_THE_CALLER, SERVICE_PRINCIPALS, document_check, public_access
from ...live import LiveAudit
from ...model import Guardrail, References
from ...vocabulary.tokens import SECRET_POLICY

GUARDRAIL = Guardrail(
    name="aws-secretsmanager-secretpolicy-disallow-public-access",
    description="Secrets Manager resource policies let in only named principals, or callers pinned by a condition on their account, organization or source.",
    severity="critical",
    resource_types=(SECRET_POLICY,),
    remediation_steps="Name the principals (a role ARN, an account root) or pin the caller with aws:PrincipalOrgID; "
    "leave blockPublicPolicy on so Secrets Manager refuses a public policy.",
    # No AWS Config rule, Security Hub control or checkov check judges secret policies for public access.
    references=References(),
    check=document_check("Secret policy", public_access, PIN_THE_CALLER),
    parameters=(SERVICE_PRINCIPALS,),
    resolves_references=True,
    audit=LiveAudit(types=(SECRET_POLICY,)),
)
