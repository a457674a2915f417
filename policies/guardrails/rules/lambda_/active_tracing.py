"""Lambda functions send traces to X-Ray (Active), not only pass them through."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import Guardrail, References
from ...props import MISSING, UNKNOWN, Props, shown
from ...vocabulary.tokens import LAMBDA_FUNCTION


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    mode = props.get("tracingConfig.mode")
    if mode is not UNKNOWN and mode != "Active":
        current = "not set (PassThrough)" if mode is MISSING else shown(mode)
        yield f"Lambda function tracingConfig.mode is {current}; set it to Active."


GUARDRAIL = Guardrail(
    name="aws-lambda-function-enable-active-tracing",
    description="Lambda functions use active X-Ray tracing.",
    severity="low",
    resource_types=(LAMBDA_FUNCTION,),
    remediation_steps="Set tracingConfig.mode = Active and allow xray:PutTraceSegments / PutTelemetryRecords in the function's role.",
    references=References(checkov=("CKV_AWS_50",)),
    check=check,
    audit=LiveAudit(types=(LAMBDA_FUNCTION,)),
)
