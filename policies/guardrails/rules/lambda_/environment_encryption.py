"""Lambda environment variables, when present, are encrypted with a customer-managed key."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import allow_aws_managed_key, key_in_use, key_problem
from ...live import LiveAudit
from ...model import Guardrail, References
from ...props import MISSING, UNKNOWN, Props
from ...vocabulary.tokens import LAMBDA_FUNCTION


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    variables = props.get("environment.variables")
    if variables in (MISSING, UNKNOWN) or (isinstance(variables, Mapping) and not variables):
        return
    # Without kmsKeyArn, Lambda encrypts environment variables with the AWS-managed aws/lambda key.
    key = key_in_use(props, "kmsKeyArn", service="lambda", absent="aws-managed")
    problem = key_problem(
        "Lambda function environment", "kmsKeyArn", key, allow_aws_managed=config["allowAwsManagedKey"]
    )
    if problem:
        yield problem


GUARDRAIL = Guardrail(
    name="aws-lambda-function-configure-environment-kms-key",
    description="Lambda functions with environment variables encrypt them with a customer-managed KMS key.",
    severity="low",
    resource_types=(LAMBDA_FUNCTION,),
    remediation_steps="Set kmsKeyArn on the function and allow kms:Decrypt on that key in its role.",
    references=References(checkov=("CKV_AWS_173",)),
    check=check,
    resolves_references=True,
    parameters=(allow_aws_managed_key("lambda", "what a function without kmsKeyArn uses"),),
    audit=LiveAudit(types=(LAMBDA_FUNCTION,)),
)
