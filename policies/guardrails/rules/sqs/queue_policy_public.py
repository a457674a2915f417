"""Queue policies never open a queue to everyone."""

from ...checks import PIN_THE_CALLER, SERVICE_PRINCIPALS, document_check, public_access
from ...live import LiveAudit
from ...model import Guardrail, References
from ...vocabulary.tokens import SQS_QUEUE, SQS_QUEUE_POLICY

GUARDRAIL = Guardrail(
    name="aws-sqs-queuepolicy-disallow-public-access",
    description="SQS queue policies (separate or inline) let in only named principals, or callers pinned by a condition on their account, organization or source.",
    severity="critical",
    resource_types=(SQS_QUEUE_POLICY, SQS_QUEUE),
    remediation_steps="Name the principals; for a topic or rule that sends here, use its service principal with aws:SourceArn.",
    references=References(checkov=("CKV_AWS_168",)),
    check=document_check("Queue policy", public_access, PIN_THE_CALLER),
    parameters=(SERVICE_PRINCIPALS,),
    resolves_references=True,
    audit=LiveAudit(types=(SQS_QUEUE,)),
)
