"""Bucket policies and ACLs never open a bucket to everyone (S3.2 / S3.3: public read or write through
either). ACLs are judged here rather than by a guardrail of their own because AWS's rule and
controls judge the two together; see `acls` for the ACL spellings and what the public access block
makes S3 do with a public one."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...checks import PIN_THE_CALLER, SERVICE_PRINCIPALS, document_check, each_resource, public_access
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References, StackResource, StackView, Undecided, Violation
from ...props import text, unknown_reason
from ...vocabulary.tokens import S3_BUCKET, S3_BUCKET_ACL, S3_BUCKET_ACL_V2, S3_BUCKET_PAB, S3_BUCKET_POLICY
from .acls import public_grants, what_s3_does
from .buckets import BUCKETS, PUBLIC_ACCESS_BLOCKS, settings_of, undecided_reason

ACL_SETTINGS = (S3_BUCKET_ACL, S3_BUCKET_ACL_V2)
POLICY_TYPES = (S3_BUCKET_POLICY, *BUCKETS)
POLICY_CHECK = document_check("Bucket policy", public_access, PIN_THE_CALLER)


def acl_findings(
    owner: StackResource, bucket: str, blocks: list[StackResource] | None
) -> Iterator[Violation | Undecided]:
    grants, unknown = public_grants(owner.props)
    prefix = "" if owner.type in BUCKETS else f"{owner.name} "
    for grant in grants:
        permissions = ", ".join(grant.permissions) or "access"
        yield Violation(
            f"S3 bucket {bucket!r} ACL ({prefix}{grant.where}) grants {permissions} to {grant.who}{what_s3_does(blocks)}; "
            "keep the ACL private and share through a bucket policy that names its principals.",
            owner.urn,
        )
    if unknown:
        yield Undecided(f"{owner.name}: {unknown_reason(unknown)}", owner.urn)


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    yield from each_resource(POLICY_CHECK, POLICY_TYPES, stack, config)
    judged: set[str] = set()
    for bucket in stack.of_type(*BUCKETS):
        acls = settings_of(stack, bucket, ACL_SETTINGS)
        if acls is None:
            yield Undecided(undecided_reason(bucket, "ACL"), bucket.urn)
        blocks = settings_of(stack, bucket, PUBLIC_ACCESS_BLOCKS)
        for owner in (bucket, *(acls or ())):
            judged.add(owner.urn)
            yield from acl_findings(owner, bucket.name, blocks)
    for acl in stack.of_type(*ACL_SETTINGS):
        if acl.urn not in judged:
            yield from acl_findings(acl, text(acl.props.peek("bucket")) or acl.name, None)


GUARDRAIL = Guardrail(
    name="aws-s3-bucketpolicy-disallow-public-access",
    description="S3 bucket policies (separate or inline) let in only named principals, or callers pinned by a condition on their account, organization, source or network, and no bucket ACL (canned or grants, inline or a BucketAcl) grants AllUsers or AuthenticatedUsers.",
    severity="critical",
    kind="stack",
    resource_types=(*POLICY_TYPES, *ACL_SETTINGS, *PUBLIC_ACCESS_BLOCKS),
    remediation_steps="Name the principals; for service principals (cloudtrail, config, logging) add aws:SourceArn / aws:SourceAccount conditions; keep ACLs private (or disabled with BucketOwnerEnforced object ownership) and the public access block on.",
    references=References(
        config_rule=ConfigRule("S3_BUCKET_PUBLIC_READ_PROHIBITED"),
        security_hub=("S3.2", "S3.3"),
        checkov=("CKV_AWS_70",),
    ),
    check=check,
    parameters=(SERVICE_PRINCIPALS,),
    audit=LiveAudit(types=(S3_BUCKET_POLICY, S3_BUCKET, S3_BUCKET_ACL, S3_BUCKET_PAB)),
)
