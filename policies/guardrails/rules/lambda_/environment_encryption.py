"""Lambda environment variables, when present, are encrypted with a customer-managed key."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import Guardrail, References
from ...props import MISSING, UNKNOWN, Props
from ...tokens import LAMBDA_FUNCTION


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    variables = props.get("environment.variables")
    if variables in (MISSING, UNKNOWN) or (isinstance(variables, Mapping) and not variables):
        return
    if props.get("kmsKeyArn") in (MISSING, ""):
        yield "Lambda function has environment variables but no kmsKeyArn; encrypt them with a customer-managed key."


GUARDRAIL = Guardrail(
    name="aws-lambda-function-configure-environment-kms-key",
    description="Lambda functions with environment variables encrypt them with a customer-managed KMS key.",
    severity="low",
    resource_types=(LAMBDA_FUNCTION,),
    remediation_steps="Set kmsKeyArn on the function and allow kms:Decrypt on that key in its role.",
    references=References(checkov=("CKV_AWS_173",)),
    check=check,
)
