"""Which KMS key encrypts a resource, read the same way by every encryption guardrail.

AWS-managed keys are recognised in every spelling (`alias/aws/sns`, `aws/sns`, an alias ARN ending
in `alias/aws/sns`), and an absent or empty key means what the service does without one: its
AWS-managed default key, or no KMS encryption at all. A key id or key ARN is taken as
customer-managed: from the string alone nobody can tell an AWS-managed key's id apart.
While a preview leaves the value unknown, a value computed only from KMS keys or aliases of this
stack is customer-managed (their own rotation and policy are checked on the keys).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .model import AwsDefault, Parameter
from .props import MISSING, UNKNOWN, Invalid, Props
from .vocabulary.tokens import KMS_ALIAS, KMS_EXTERNAL_KEY, KMS_KEY, KMS_REPLICA_EXTERNAL_KEY, KMS_REPLICA_KEY

STACK_KEYS = (KMS_KEY, KMS_ALIAS, KMS_REPLICA_KEY, KMS_EXTERNAL_KEY, KMS_REPLICA_EXTERNAL_KEY)

_AWS_MANAGED = re.compile(r"^(?:arn:[^:]*:kms:[^:]*:[^:]*:)?(?:alias/)?aws/([^/]+)$", re.IGNORECASE)

KeyKind = Literal["customer", "aws-managed", "none"]


@dataclass(frozen=True)
class KeyUse:
    kind: KeyKind
    seen: str
    """How messages name what was found, e.g. `alias/aws/sns`, `aws/secretsmanager (kmsKeyId not set)`."""


def key_in_use(props: Props, path: str, *, service: str, absent: Literal["aws-managed", "none"]) -> KeyUse | object:
    """The key at `path`: a KeyUse, Invalid for a value that is no key reference, or UNKNOWN.

    `absent` says what the service does when no key is given: use its AWS-managed key
    `aws/<service>`, or not encrypt with KMS at all.
    """
    value = props.get(path)
    if value is UNKNOWN:
        stack_keys = props.resolved(path, *STACK_KEYS)
        if stack_keys:
            return KeyUse("customer", " and ".join(f"the KMS key {o.name!r} of this stack" for o in stack_keys))
        return UNKNOWN
    if value is MISSING or value == "":
        shown = f"{path} {'not set' if value is MISSING else 'empty'}"
        if absent == "aws-managed":
            return KeyUse("aws-managed", f"aws/{service} ({shown})")
        return KeyUse("none", shown)
    if not isinstance(value, str):
        return Invalid(value, "a KMS key id, key ARN or alias")
    if _AWS_MANAGED.match(value):
        return KeyUse("aws-managed", value)
    return KeyUse("customer", value)


def wanted_key(allow_aws_managed: bool) -> str:
    """What a message asks for: exactly what the rule accepts."""
    return "a KMS key" if allow_aws_managed else "a customer-managed KMS key"


def allow_aws_managed_key(service: str, what: str, aws: AwsDefault | None = None) -> Parameter:
    """The `allowAwsManagedKey` parameter of a rule for a service that has an AWS-managed key.
    `what` says when the service uses it, e.g. "a secret without kmsKeyId"."""
    return Parameter(
        "allowAwsManagedKey",
        {"type": "boolean", "default": False},
        f"Accept the AWS-managed aws/{service} key ({what}).",
        aws,
    )


def key_problem(
    what: str, path: str, key: KeyUse | object, *, allow_aws_managed: bool = False, note: str = ""
) -> str | None:
    """The violation message for a key that does not meet the rule, else None.

    `allow_aws_managed` is the rule's parameter; services without AWS-managed keys pass False.
    Messages ask for exactly what the rule accepts.
    """
    wanted = wanted_key(allow_aws_managed)
    if isinstance(key, Invalid):
        return f"{what} {path} is {key}; set it to {wanted}."
    if not isinstance(key, KeyUse) or key.kind == "customer":
        return None
    if key.kind == "none":
        return f"{what} is not encrypted with KMS ({key.seen}); set {path} to {wanted}.{note}"
    if not allow_aws_managed:
        return f"{what} uses the AWS-managed key {key.seen}; set {path} to {wanted}.{note}"
    return None
