"""Issue 23: public bucket ACLs (S3.2 / S3.3) in every v7 spelling, judged by the bucket-policy public
access guardrail, with what the stack's public access block makes S3 do with them."""

from __future__ import annotations

import pytest

from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import UNKNOWN, Res, run_stack

PUBLIC = "aws-s3-bucketpolicy-disallow-public-access"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"
OWNER = {"id": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}


def bucket(type_=t.S3_BUCKET, **props):
    return Res(type_, "site", {"bucket": "site-bucket", **props})


def acl_resource(type_=t.S3_BUCKET_ACL, **props):
    return Res(type_, "site-acl", {"bucket": "site-bucket", **props})


def grant(uri, *permissions):
    return {"type": "Group", "uri": uri, "permissions": list(permissions)}


def policy_grant(uri, permission):
    return {"permission": permission, "grantee": {"type": "Group", "uri": uri}}


def block(**flags):
    return Res(t.S3_BUCKET_PAB, "site-block", {"bucket": "site-bucket", **flags})


CASES = [
    # id, resources, expected message part (None: passes)
    ("private-baseline", [bucket(acl="private")], None),
    ("no-acl", [bucket()], None),
    ("log-delivery-write", [bucket(acl="log-delivery-write")], None),
    ("public-read", [bucket(acl="public-read")], "ACL (acl 'public-read') grants READ to everyone (AllUsers)"),
    ("public-read-write", [bucket(acl="public-read-write")], "grants READ, WRITE to everyone"),
    ("authenticated-read", [bucket(acl="authenticated-read")], "grants READ to any AWS account (AuthenticatedUsers)"),
    ("canned-upper-case", [bucket(acl="Public-Read")], "grants READ to everyone"),
    ("bucket-v2-canned", [bucket(t.S3_BUCKET_V2, acl="public-read")], "grants READ to everyone"),
    ("inline-grant-all-users", [bucket(grants=[grant(ALL_USERS, "READ")])], "ACL (grants[0]) grants READ to everyone"),
    (
        "inline-grant-authenticated-write",
        [bucket(t.S3_BUCKET_V2, grants=[grant(LOG_DELIVERY, "WRITE"), grant(AUTHENTICATED, "WRITE", "READ_ACP")])],
        "ACL (grants[1]) grants WRITE, READ_ACP to any AWS account",
    ),
    (
        "inline-grant-permission-as-string",
        [bucket(grants=[grant(ALL_USERS) | {"permissions": "FULL_CONTROL"}])],
        "grants FULL_CONTROL to everyone",
    ),
    ("inline-grant-log-delivery", [bucket(grants=[grant(LOG_DELIVERY, "WRITE")])], None),
    (
        "inline-grant-canonical-user",
        [bucket(grants=[{"type": "CanonicalUser", "id": OWNER["id"], "permissions": ["FULL_CONTROL"]}])],
        None,
    ),
    ("bucket-acl-private", [bucket(), acl_resource(acl="private")], None),
    (
        "bucket-acl-canned",
        [bucket(), acl_resource(acl="public-read")],
        "ACL (site-acl acl 'public-read') grants READ to everyone",
    ),
    (
        "bucket-acl-v2-canned",
        [bucket(), acl_resource(t.S3_BUCKET_ACL_V2, acl="authenticated-read")],
        "to any AWS account",
    ),
    (
        "bucket-acl-policy-grant",
        [bucket(), acl_resource(accessControlPolicy={"owner": OWNER, "grants": [policy_grant(ALL_USERS, "READ")]})],
        "ACL (site-acl accessControlPolicy.grants[0]) grants READ to everyone",
    ),
    ("bucket-acl-for-a-bucket-outside-the-stack", [acl_resource(acl="public-read")], "S3 bucket 'site-bucket' ACL"),
    (
        "block-public-acls-refuses",
        [bucket(acl="public-read"), block(blockPublicAcls=True, ignorePublicAcls=True)],
        "its public access block has blockPublicAcls on, so S3 refuses this ACL and the deploy fails",
    ),
    (
        "block-public-acls-as-string",
        [bucket(acl="public-read"), block(blockPublicAcls="true")],
        "S3 refuses this ACL",
    ),
    (
        "ignore-public-acls-ignores",
        [bucket(acl="public-read"), block(blockPublicAcls=False, ignorePublicAcls=True)],
        "its public access block has ignorePublicAcls on, so S3 ignores this ACL",
    ),
    (
        "block-off-says-nothing",
        [bucket(acl="public-read"), block(blockPublicAcls=False)],
        "to everyone (AllUsers); keep",
    ),
]


@pytest.mark.parametrize(("resources", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_public_bucket_acls(resources, expected):
    outcome = run_stack(PUBLIC, resources)
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None, outcome.violations
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


@pytest.mark.parametrize(
    "props",
    [
        pytest.param({"acl": UNKNOWN}, id="canned-unknown"),
        pytest.param({"grants": UNKNOWN}, id="grants-unknown"),
        pytest.param({"grants": [{"type": "Group", "uri": UNKNOWN, "permissions": ["READ"]}]}, id="grantee-unknown"),
    ],
)
def test_an_acl_unknown_until_deploy_is_undecided(props):
    outcome = run_stack(PUBLIC, [bucket(**props)])
    assert outcome.violations == [] and "can't be known during preview" in outcome.unchecked
