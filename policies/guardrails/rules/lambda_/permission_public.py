"""Function permissions never let everyone, or any account's use of a service, invoke a function."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ...checks import SERVICE_PRINCIPALS, public_access
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...props import MISSING, UNKNOWN, Props
from ...vocabulary.tokens import LAMBDA_FUNCTION, LAMBDA_PERMISSION
from ..s3.buckets import BUCKETS

SERVICE = re.compile(r"^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$")
CONDITIONS = {
    "sourceArn": ("ArnLike", "aws:SourceArn"),
    "sourceAccount": ("StringEquals", "aws:SourceAccount"),
    "principalOrgId": ("StringEquals", "aws:PrincipalOrgID"),
}
"""The permission's fields as the conditions Lambda writes into the function's resource policy."""


def bucket_source(props: Props) -> bool:
    """A sourceArn unknown until deploy that is the ARN of S3 buckets of the stack: such an ARN
    (`arn:aws:s3:::name`) carries no account, so it pins nothing without sourceAccount."""
    origins = (props.origins("sourceArn") or ()) if props.peek("sourceArn") is UNKNOWN else ()
    return bool(origins) and all(o.type in BUCKETS for o in origins)


def as_statement(props: Props) -> dict[str, Any]:
    """The function-policy statement this permission becomes, to be judged like any resource policy."""
    principal = props.plain("principal", record=False)
    if isinstance(principal, str) and principal != "*":
        principal = {"Service" if SERVICE.match(principal) else "AWS": principal}
    condition: dict[str, dict[str, Any]] = {}
    for path, (operator, key) in CONDITIONS.items():
        value = props.plain(path, record=False)
        if path == "sourceArn" and bucket_source(props):
            value = "arn:aws:s3:::bucket-of-the-stack"  # what any bucket ARN looks like: no account
        if value not in (MISSING, ""):
            condition.setdefault(operator, {})[key] = value
    return {
        "Effect": "Allow",
        "Principal": principal,
        "Action": props.plain("action", record=False),
        "Condition": condition,
    }


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    statement = as_statement(props)
    unknown_pins = any(props.origins(path) for path in CONDITIONS if not (path == "sourceArn" and bucket_source(props)))
    found = public_access({"Statement": [statement]}, config, unknown_pins)
    for grant in found.grants:
        yield f"Lambda permission {grant.who}; set sourceArn to the resource that invokes the function (and sourceAccount for S3)."
    if found.undecided:
        props.undecided("principal and sourceArn/sourceAccount/principalOrgId")


GUARDRAIL = Guardrail(
    name="aws-lambda-permission-disallow-public-access",
    description="Lambda permissions never let any principal, or a service principal acting for any account, invoke a function: sourceArn, sourceAccount or principalOrgId names the caller.",
    severity="critical",
    resource_types=(LAMBDA_PERMISSION,),
    remediation_steps="Set sourceArn to the topic, bucket, rule or API that invokes the function (and sourceAccount for S3); never use principal '*' without principalOrgId.",
    references=References(
        config_rule=ConfigRule("LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED", covers=(LAMBDA_FUNCTION,)),
        security_hub=("Lambda.1",),
        checkov=("CKV_AWS_301",),
    ),
    check=check,
    parameters=(SERVICE_PRINCIPALS,),
    resolves_references=True,
    audit=LiveAudit(types=(LAMBDA_PERMISSION,)),
)
