"""S3 buckets, read once per account: each bucket with its public access block (all four flags
off where the bucket has none), default encryption, versioning, policy and ACL, as the split
pulumi-aws v7 resources that would declare them."""

from __future__ import annotations

from collections.abc import Iterator

from botocore.exceptions import ClientError

from policies.guardrails.vocabulary.tokens import (
    S3_BUCKET,
    S3_BUCKET_ACL,
    S3_BUCKET_PAB,
    S3_BUCKET_POLICY,
    S3_BUCKET_SSE,
    S3_BUCKET_VERSIONING,
)

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, partition

ABSENT = {
    "NoSuchPublicAccessBlockConfiguration",
    "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchBucketPolicy",
}
PUBLIC_ACCESS = (
    ("blockPublicAcls", "BlockPublicAcls"),
    ("blockPublicPolicy", "BlockPublicPolicy"),
    ("ignorePublicAcls", "IgnorePublicAcls"),
    ("restrictPublicBuckets", "RestrictPublicBuckets"),
)


def optional(call, *args, **kwargs):
    """A get_* answer, or None when the bucket has no such configuration."""
    try:
        return call(*args, **kwargs)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ABSENT:
            return None
        raise


GRANTEE = (("type", "Type"), ("uri", "URI"), ("id", "ID"), ("emailAddress", "EmailAddress"))


def acl(answer: dict) -> dict:
    """GetBucketAcl as aws.s3.BucketAcl's accessControlPolicy: grants to AllUsers and
    AuthenticatedUsers carry their group URI, as a declared grant does."""
    return {
        "owner": {"id": answer.get("Owner", {}).get("ID", "")},
        "grants": [
            {
                "grantee": {wire: grant["Grantee"][api] for wire, api in GRANTEE if grant["Grantee"].get(api)},
                "permission": grant["Permission"],
            }
            for grant in answer.get("Grants", [])
        ],
    }


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("s3", region)
    arn_partition = partition(region)
    for bucket in client.list_buckets().get("Buckets", []):
        name = bucket["Name"]
        arn = f"arn:{arn_partition}:s3:::{name}"
        home = client.get_bucket_location(Bucket=name).get("LocationConstraint") or "us-east-1"
        yield LiveResource(S3_BUCKET, name, arn, {"bucket": name, "id": name, "arn": arn}, home)
        # Without a configuration, every bucket-level setting is off (S3.8 fails such a bucket).
        block = optional(client.get_public_access_block, Bucket=name) or {}
        settings = block.get("PublicAccessBlockConfiguration", {})
        props = {"bucket": name, **{wire: settings.get(api, False) for wire, api in PUBLIC_ACCESS}}
        yield LiveResource(S3_BUCKET_PAB, name, arn, props, home)
        encryption = optional(client.get_bucket_encryption, Bucket=name)
        if encryption:
            rules = [
                {
                    "applyServerSideEncryptionByDefault": {
                        "sseAlgorithm": rule.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm"),
                        **(
                            {"kmsMasterKeyId": rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"]}
                            if rule.get("ApplyServerSideEncryptionByDefault", {}).get("KMSMasterKeyID")
                            else {}
                        ),
                    },
                    "bucketKeyEnabled": rule.get("BucketKeyEnabled", False),
                }
                for rule in encryption["ServerSideEncryptionConfiguration"].get("Rules", [])
            ]
            yield LiveResource(S3_BUCKET_SSE, name, arn, {"bucket": name, "rules": rules}, home)
        versioning = client.get_bucket_versioning(Bucket=name).get("Status")
        if versioning:
            props = {"bucket": name, "versioningConfiguration": {"status": versioning}}
            yield LiveResource(S3_BUCKET_VERSIONING, name, arn, props, home)
        grants = acl(client.get_bucket_acl(Bucket=name))
        yield LiveResource(S3_BUCKET_ACL, name, arn, {"bucket": name, "accessControlPolicy": grants}, home)
        policy = optional(client.get_bucket_policy, Bucket=name)
        if policy:
            yield LiveResource(S3_BUCKET_POLICY, name, arn, {"bucket": name, "policy": policy["Policy"]}, home)


SOURCE = Source(
    "s3",
    (S3_BUCKET, S3_BUCKET_PAB, S3_BUCKET_SSE, S3_BUCKET_VERSIONING, S3_BUCKET_POLICY, S3_BUCKET_ACL),
    read,
    scope="global",
)
