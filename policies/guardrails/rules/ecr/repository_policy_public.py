"""Repository policies never let everyone pull or push images."""

from ...checks import PIN_THE_CALLER, SERVICE_PRINCIPALS, document_check, public_access
from ...live import LiveAudit
from ...model import Guardrail, References
from ...vocabulary.tokens import ECR_REPOSITORY_POLICY

GUARDRAIL = Guardrail(
    name="aws-ecr-repositorypolicy-disallow-public-access",
    description="ECR repository policies let in only named principals, or callers pinned by a condition on their account, organization or source.",
    severity="critical",
    resource_types=(ECR_REPOSITORY_POLICY,),
    remediation_steps="Name the accounts or roles that pull; for an organization use aws:PrincipalOrgID; for lambda.amazonaws.com add aws:SourceArn.",
    references=References(checkov=("CKV_AWS_32",)),
    check=document_check("Repository policy", public_access, PIN_THE_CALLER),
    parameters=(SERVICE_PRINCIPALS,),
    resolves_references=True,
    audit=LiveAudit(types=(ECR_REPOSITORY_POLICY,)),
)
