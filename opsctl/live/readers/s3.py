"""S3 buckets, read once per account: each bucket with its public access block (all four flags
off where the bucket has none), default encryption, versioning, policy and ACL, as the split
pulumi-aws v7 resources that would declare them; the account's S3 Block Public Access (s3control,
all four flags off where none is set). Per region, the server access logging of the buckets its
trails and Config delivery channels write to."""

from __future__ import annotations

from collections.abc import Iterator

from botocore.exceptions import ClientError

from policies.guardrails.rules.s3.audit_bucket_logging import AUDIT_WRITERS
from policies.guardrails.vocabulary.tokens import (
    S3_ACCOUNT_PAB,
    S3_BUCKET,
    S3_BUCKET_ACL,
    S3_BUCKET_LOGGING,
    S3_BUCKET_PAB,
    S3_BUCKET_POLICY,
    S3_BUCKET_SSE,
    S3_BUCKET_VERSIONING,
)

from ..accounts import Account, error_code
from ..inventory import GLOBAL, Inventory, LiveResource, Source, partition

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


def flags(answer: dict | None) -> dict[str, bool]:
    """A GetPublicAccessBlock answer (bucket or account) as the four wire flags: without a
    configuration, every flag is off (S3.8 and S3.1 fail such a bucket or account)."""
    settings = (answer or {}).get("PublicAccessBlockConfiguration", {})
    return {wire: settings.get(api, False) for wire, api in PUBLIC_ACCESS}


def bucket(client, name: str, region: str) -> LiveResource:
    """The bucket itself, in its own region."""
    arn = f"arn:{partition(region)}:s3:::{name}"
    home = client.get_bucket_location(Bucket=name).get("LocationConstraint") or "us-east-1"
    return LiveResource(S3_BUCKET, name, arn, {"bucket": name, "id": name, "arn": arn}, home)


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("s3", region)
    for listed in client.list_buckets().get("Buckets", []):
        found = bucket(client, listed["Name"], region)
        name, arn, home = found.name, found.arn, found.region
        yield found
        props = {"bucket": name, **flags(optional(client.get_public_access_block, Bucket=name))}
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


def read_account_block(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("s3control", region)
    props = flags(optional(client.get_public_access_block, AccountId=account.id))
    yield LiveResource(S3_ACCOUNT_PAB, account.id, account.id, props, GLOBAL)


ACCOUNT_SOURCE = Source("s3control", (S3_ACCOUNT_PAB,), read_account_block, scope="global")


def logging_props(answer: dict) -> dict | None:
    """GetBucketLogging as aws.s3.BucketLogging's inputs; None when the bucket does not log."""
    enabled = answer.get("LoggingEnabled")
    if not enabled:
        return None
    return {"targetBucket": enabled.get("TargetBucket", ""), "targetPrefix": enabled.get("TargetPrefix", "")}


def read_audit_buckets(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    """The buckets this region's trails and delivery channels (read before, into the same view)
    write to, each with its BucketLogging when it logs. The buckets are there for the audit-bucket
    rule to match writers to buckets: not declared in the source's types, they are judged by no
    other bucket guardrail here (the account-wide view judges every bucket in full)."""
    client = account.client("s3", region)
    names = sorted({r.props.get("s3BucketName") or "" for r in inventory.resources if r.type in AUDIT_WRITERS} - {""})
    for name in names:
        try:
            found = bucket(client, name, region)
            answer = client.get_bucket_logging(Bucket=name)
        except ClientError as error:
            if error_code(error) == "NoSuchBucket":
                continue  # a writer pointing at a deleted bucket: nothing here to judge
            raise
        yield found
        logging = logging_props(answer)
        if logging:
            yield LiveResource(S3_BUCKET_LOGGING, name, found.arn, {"bucket": name, **logging}, found.region)


AUDIT_BUCKETS = Source("s3", (S3_BUCKET_LOGGING,), read_audit_buckets)
"""After the cloudtrail and config sources in SOURCES: it reads the writers they found."""
