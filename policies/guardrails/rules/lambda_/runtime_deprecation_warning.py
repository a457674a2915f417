"""Lambda functions whose runtime AWS deprecates within `warningDays`: time to plan the move. Kept
apart from the deprecated-runtime guardrail so that it can stay advisory where that one blocks."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import AwsDefault, Guardrail, Parameter, References
from ...props import Props, shown
from ...vocabulary import lambda_runtimes
from ...vocabulary.lambda_runtimes import SOURCE, judged_runtime, upgrade_hint
from ...vocabulary.tokens import LAMBDA_FUNCTION

WARNING_DAYS = "warningDays"


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    found = judged_runtime(props)
    on = lambda_runtimes.today()
    if found:
        runtime, life = found
        days = (life.deprecated - on).days
        if 0 < days <= config[WARNING_DAYS]:
            yield (
                f"Lambda function runtime {runtime} is deprecated on {life.deprecated}, in {days} days "
                f"(warningDays {shown(config[WARNING_DAYS])}); {upgrade_hint(runtime, on)}."
            )


GUARDRAIL = Guardrail(
    name="aws-lambda-function-warn-runtime-deprecation",
    description="Lambda functions whose runtime AWS deprecates within warningDays are named ahead of time, with the runtime to move to.",
    severity="low",
    resource_types=(LAMBDA_FUNCTION,),
    remediation_steps=f"Plan and test the move to a supported runtime of the same language before the date; dates: {SOURCE}",
    references=References(security_hub=("Lambda.2",), checkov=("CKV_AWS_363",)),
    check=check,
    parameters=(
        Parameter(
            WARNING_DAYS,
            {"type": "number", "minimum": 1, "maximum": 365, "default": 60},
            "Days before a runtime's deprecation date from which a function on it is named.",
            AwsDefault(60, "Lambda emails accounts with functions on a runtime deprecated within 60 days"),
        ),
    ),
    audit=LiveAudit(types=(LAMBDA_FUNCTION,)),
)
