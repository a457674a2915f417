"""Lambda function URLs authenticate callers: with authorizationType NONE, Lambda adds a public
resource-based policy (lambda:InvokeFunctionUrl for principal "*"), so anyone on the internet can
invoke the function -- what Security Hub's Lambda.1 flags on the function's policy."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import Guardrail, References
from ...props import Props
from ...vocabulary.tokens import LAMBDA_FUNCTION_URL


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    if props.get("authorizationType") == "NONE":
        yield (
            "Lambda function URL authorizationType is 'NONE': anyone can invoke the function; use 'AWS_IAM' "
            "(sign requests with SigV4, or put CloudFront with origin access control in front)."
        )


GUARDRAIL = Guardrail(
    name="aws-lambda-functionurl-require-authentication",
    description="Lambda function URLs require IAM authentication (authorizationType AWS_IAM), not NONE.",
    severity="high",
    resource_types=(LAMBDA_FUNCTION_URL,),
    remediation_steps="Set authorizationType = 'AWS_IAM' and grant lambda:InvokeFunctionUrl to the callers that need it.",
    references=References(checkov=("CKV_AWS_258",)),
    check=check,
    audit=LiveAudit(types=(LAMBDA_FUNCTION_URL,)),
)
