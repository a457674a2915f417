"""The account's S3 Block Public Access: all four flags on for every bucket of the account, whatever
a bucket's own block says (S3 applies the more restrictive of the two). The baseline stack declares
it; a workload stack relies on its account's baseline."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import AwsDefault, ConfigRule, Guardrail, Parameter, References, StackView, Undecided, Violation
from ...profile import Profile
from ...props import UNKNOWN, shown
from ...vocabulary.tokens import S3_ACCOUNT_PAB

FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    blocks = stack.of_type(S3_ACCOUNT_PAB)
    if not blocks:
        if config["requireAccountBlock"] and not Profile.of(config).workload:
            yield Violation(
                "The stack declares no account-level S3 Block Public Access; add an AccountPublicAccessBlock with "
                "all four flags true, or set requireAccountBlock false where another stack of the account owns it "
                '(an application stack: "stack": "workload" under ops-baseline-profile).'
            )
        return
    for block in blocks:
        flags = {name: block.props.flag(name) for name in FLAGS}
        off = [f"{name} {shown(value)}" for name, value in flags.items() if value not in (True, UNKNOWN)]
        if off:
            yield Violation(
                f"Account public access block {block.name!r} has {', '.join(off)}; set all four flags true "
                "(missing means false).",
                block.urn,
            )
        elif UNKNOWN in flags.values():
            yield Undecided(f"{block.name}: some of its flags are unknown until deploy", block.urn)


GUARDRAIL = Guardrail(
    name="aws-s3-account-enable-public-access-block",
    description="The account's S3 Block Public Access has all four flags on (declared by the baseline stack of the account).",
    severity="high",
    kind="stack",
    resource_types=(S3_ACCOUNT_PAB,),
    remediation_steps="Add aws.s3.AccountPublicAccessBlock with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets true, in the one stack that owns the account's settings.",
    references=References(
        config_rule=ConfigRule(
            "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC",
            periodic=True,
        ),
        security_hub=("S3.1",),
        cis=("2.1.5 (v1.4.0)", "2.1.4 (v3.0.0)"),
    ),
    check=check,
    audit=LiveAudit(types=(S3_ACCOUNT_PAB,)),
    reads_profile=True,
    parameters=(
        Parameter(
            "requireAccountBlock",
            {"type": "boolean", "default": True},
            "Fail when the stack declares no account-level public access block (false for a stack whose account's "
            "block another stack owns; a workload stack is never asked for one).",
            AwsDefault(True, "S3.1 fails an account without all four account-level flags"),
        ),
    ),
)
