"""Lambda functions run on a runtime AWS still supports (Security Hub Lambda.2).

Lambda.2 is evaluated with the LAMBDA_FUNCTION_SETTINGS_CHECK Config rule, which also compares
memory size and timeout with its own defaults (128 MB, 3 s); deployed as a guardrail's rule it
would flag every other function, so the pack judges the runtime alone and deploys no rule."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import Guardrail, References
from ...props import Props
from ...vocabulary import lambda_runtimes
from ...vocabulary.lambda_runtimes import SOURCE, judged_runtime, upgrade_hint
from ...vocabulary.tokens import LAMBDA_FUNCTION


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    found = judged_runtime(props)
    on = lambda_runtimes.today()
    if found and found[1].deprecated <= on:
        runtime, life = found
        blocked = life.update_blocked
        updates = (
            f"; Lambda blocks updates of functions on it from {blocked}"
            if blocked and blocked > on
            else "; Lambda no longer accepts updates of functions on it"
            if blocked
            else ""
        )
        yield (
            f"Lambda function runtime {runtime} was deprecated on {life.deprecated} (no security patches"
            f"{updates}); {upgrade_hint(runtime, on)}."
        )


GUARDRAIL = Guardrail(
    name="aws-lambda-function-disallow-deprecated-runtime",
    description="Lambda functions do not use a runtime past the deprecation date AWS publishes for it (container image functions bring their own).",
    severity="medium",
    resource_types=(LAMBDA_FUNCTION,),
    remediation_steps=f"Set runtime to a supported identifier of the same language and test the function on it; dates: {SOURCE}",
    references=References(security_hub=("Lambda.2",), checkov=("CKV_AWS_363",)),
    check=check,
    audit=LiveAudit(types=(LAMBDA_FUNCTION,)),
)
