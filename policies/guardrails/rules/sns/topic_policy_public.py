"""Topic policies never open publishing or subscribing to everyone."""

from ...checks import PIN_THE_CALLER, SERVICE_PRINCIPALS, document_check, public_access
from ...live import LiveAudit
from ...model import Guardrail, References
from ...vocabulary.tokens import SNS_TOPIC, SNS_TOPIC_POLICY

GUARDRAIL = Guardrail(
    name="aws-sns-topicpolicy-disallow-public-access",
    description="SNS topic policies let in only named principals, or callers pinned by a condition on their account, organization or source.",
    severity="critical",
    resource_types=(SNS_TOPIC, SNS_TOPIC_POLICY),
    remediation_steps="Name the principals (account root, service principals) and add aws:SourceAccount / aws:SourceArn conditions.",
    references=References(checkov=("CKV_AWS_169",)),
    check=document_check("Topic policy", public_access, PIN_THE_CALLER),
    parameters=(SERVICE_PRINCIPALS,),
    resolves_references=True,
    audit=LiveAudit(types=(SNS_TOPIC,)),
)
