"""Keys that trails, topics, log groups and secrets encrypt with stay usable: not disabled, not
scheduled for deletion. Once a key is deleted, what it encrypted can never be read again; while it
is disabled or pending deletion, CloudTrail, SNS, CloudWatch Logs and Secrets Manager fail to write
or read with it. A key pending deletion exists only live (opsctl audit reads its state); a key the
stack declares disabled fails before deploy.

AWS Config's KMS_CMK_NOT_SCHEDULED_FOR_DELETION flags every key pending deletion, including those
meant to go; this guardrail flags only keys something still uses, so it has no managed rule."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import Guardrail, References, StackView, Undecided, Violation
from ...props import text
from ...vocabulary.tokens import KMS_KEY, KMS_REPLICA_KEY, LOG_GROUP, SECRET, SNS_TOPIC, TRAIL

KEYS = (KMS_KEY, KMS_REPLICA_KEY)
USERS = ((TRAIL, "kmsKeyId"), (SNS_TOPIC, "kmsMasterKeyId"), (LOG_GROUP, "kmsKeyId"), (SECRET, "kmsKeyId"))
"""Resource types that encrypt with a key, and the input naming it."""


def unusable(key) -> str | None:
    """Why a key cannot encrypt or decrypt now: pending deletion (live) or disabled."""
    if key.props.peek("keyState") == "PendingDeletion":
        when = key.props.peek("deletionDate")
        return f"is scheduled for deletion{f' on {when}' if isinstance(when, str) else ''}"
    if key.props.flag("isEnabled") is False:
        return "is disabled (isEnabled false)"
    return None


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    for key in stack.of_type(*KEYS):
        why = unusable(key)
        if why is None:
            continue
        users: list[str] = []
        undecided = False
        for types, prop in USERS:
            found = stack.attached(key, (types,), prop, ("arn", "keyId", "id"))
            undecided = undecided or found is None
            users += [f"{u.name} ({types.split(':')[1].split('/')[1]})" for u in found or ()]
        if users:
            description = key.props.peek("description")
            label = f"{key.name!r} ({description})" if text(description) else repr(key.name)
            yield Violation(
                f"KMS key {label} {why}, yet {', '.join(sorted(users))} still encrypt with it; "
                "move them to another key or cancel the deletion (what the key encrypted is lost with it).",
                key.urn,
            )
        elif undecided:
            yield Undecided(f"{key.name}: whether a resource encrypts with it is unknown until deploy", key.urn)


GUARDRAIL = Guardrail(
    name="aws-kms-key-disallow-unusable-key-in-use",
    description="KMS keys that trails, topics, log groups or secrets still encrypt with are neither disabled nor scheduled for deletion.",
    severity="high",
    kind="stack",
    resource_types=(*KEYS, *(types for types, _ in USERS)),
    remediation_steps="Cancel the key's deletion (kms:CancelKeyDeletion, then enable it) or point each user at another "
    "key before the waiting period ends.",
    references=References(security_hub=("KMS.3",)),
    check=check,
    audit=LiveAudit(types=(KMS_KEY, KMS_REPLICA_KEY, TRAIL, SNS_TOPIC, LOG_GROUP, SECRET), pending_deletion=True),
)
