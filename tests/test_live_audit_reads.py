"""What opsctl audit reads beyond the basics, against moto server on 127.0.0.1: which management
events a trail records, whether a multi-region trail homed elsewhere covers the audited region,
the Config recorder's global types per region, bucket ACLs, secret resource policies, KMS keys
pending deletion that resources still use, the audit buckets' server access logging and the
account's S3 Block Public Access."""

from __future__ import annotations

import json

import boto3
import pytest

from opsctl.live.accounts import Account
from opsctl.live.inventory import Inventory, collect
from opsctl.live.judge import judge
from opsctl.live.readers import aws_config as config_reader
from opsctl.live.readers import cloudtrail as cloudtrail_reader
from tests.test_live import ACCOUNT, REGION, TODAY

MULTI_REGION = "aws-cloudtrail-trail-enable-multi-region"
HTTP = "aws-sns-topicsubscription-disallow-http"
XRAY = "aws-apigateway-stage-enable-xray-tracing"
URL_AUTH = "aws-lambda-functionurl-require-authentication"
LOG_POLICY = "aws-cloudwatch-logresourcepolicy-disallow-public-access"
EXECUTION_LOGS = "aws-apigateway-stage-enable-execution-logging"
HOME = "us-east-1"


def read(*sources, region: str = REGION) -> Inventory:
    account = Account(ACCOUNT, boto3.Session(region_name=region))
    inventory = Inventory(ACCOUNT, region)
    for source in sources:
        collect(source, account, region, inventory)
    assert inventory.errors == []
    return inventory


def findings_of(inventory: Inventory, *policies: str) -> list[tuple[str, str]]:
    findings, _ = judge(inventory, {}, TODAY)
    return [(f.policy, f.message) for f in findings if f.policy in policies and f.kind == "violation"]


def trail(aws, name: str, region: str = REGION, **selectors) -> str:
    s3 = aws("s3", region)
    bucket = f"{name}-logs"
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **location)
    client = aws("cloudtrail", region)
    arn = client.create_trail(Name=name, S3BucketName=bucket, IsMultiRegionTrail=True)["TrailARN"]
    client.start_logging(Name=arn)
    if selectors:
        client.put_event_selectors(TrailName=arn, **selectors)
    return arn


MANAGEMENT = {"Field": "eventCategory", "Equals": ["Management"]}
SELECTORS = {
    "default-selectors": ({}, None),
    "read-and-write": ({"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": True}]}, None),
    "read-only": (
        {"EventSelectors": [{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True}]},
        "record ReadOnly management events only, no write events",
    ),
    "no-management-events": (
        {"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": False}]},
        "record no management events",
    ),
    "advanced-management": ({"AdvancedEventSelectors": [{"FieldSelectors": [MANAGEMENT]}]}, None),
    "advanced-read-only": (
        {
            "AdvancedEventSelectors": [
                {"FieldSelectors": [MANAGEMENT, {"Field": "readOnly", "Equals": ["true"]}]},
            ]
        },
        "advancedEventSelectors record ReadOnly management events only",
    ),
}


@pytest.mark.parametrize("selectors, expected", SELECTORS.values(), ids=SELECTORS.keys())
def test_a_trails_event_selectors_are_read_and_judged(aws, selectors, expected):
    trail(aws, "main", **selectors)
    found = findings_of(read(cloudtrail_reader.SOURCE), MULTI_REGION)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0][1], found


@pytest.mark.parametrize(
    "state, expected",
    [
        ("logging", None),
        ("stopped", "homed in us-east-1, which is not logging"),
        ("write-only", "which does not record every read and write management event"),
    ],
)
def test_a_region_is_covered_by_a_trail_homed_elsewhere_only_while_it_logs_everything(aws, state, expected):
    selectors = {"EventSelectors": [{"ReadWriteType": "WriteOnly"}]} if state == "write-only" else {}
    arn = trail(aws, "org-main", region=HOME, **selectors)
    if state == "stopped":
        aws("cloudtrail", HOME).stop_logging(Name=arn)
    inventory = read(cloudtrail_reader.SOURCE)
    assert not [r for r in inventory.resources if r.arn == arn], "the home region's trail is judged there"
    found = findings_of(inventory, MULTI_REGION)
    if expected is None:
        assert found == [] and inventory.notes[cloudtrail_reader.COVERED] == "org-main"
    else:
        assert len(found) == 1 and expected in found[0][1], found
        assert found[0][1].startswith(f"Region {REGION} relies on multi-region trail 'org-main'")
        assert cloudtrail_reader.COVERED not in inventory.notes


RECORDER = "aws-cfg-recorder-record-all-resources"


def recorder(aws, region: str, *, global_types: bool) -> None:
    config = aws("config", region)
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": f"arn:aws:iam::{ACCOUNT}:role/config",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": global_types},
        }
    )
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "config"})
    config.start_configuration_recorder(ConfigurationRecorderName="default")


@pytest.mark.parametrize(
    "home_records, expected",
    [(True, None), (False, "recordingGroup.includeGlobalResourceTypes is False")],
    ids=["home-region-records-global-types", "no-region-records-them"],
)
def test_global_types_are_judged_against_the_accounts_home_region(aws, home_records, expected):
    """As the program deploys it (awsConfig.homeRegion us-east-1): only the home region records global
    types. Auditing eu-west-1 alone must not flag it for that, unless no region records them."""
    recorder(aws, HOME, global_types=home_records)
    recorder(aws, REGION, global_types=False)
    inventory = read(config_reader.SOURCE)
    found = findings_of(inventory, RECORDER)
    if expected is None:
        assert found == [] and inventory.notes[config_reader.GLOBAL_TYPES_HOME] == HOME
    else:
        assert len(found) == 1 and expected in found[0][1], found


def test_bucket_acls_are_read_as_the_pack_sees_a_bucket_acl(aws):
    """Grants to AllUsers and AuthenticatedUsers carry their group URI, the shape of aws.s3.BucketAcl's
    accessControlPolicy, for the S3 public-access guardrails to judge."""
    from opsctl.live.readers import s3 as s3_reader
    from policies.guardrails.vocabulary.tokens import S3_BUCKET_ACL

    s3 = aws("s3")
    s3.create_bucket(Bucket="site", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_acl(Bucket="site", ACL="public-read")
    inventory = read(s3_reader.SOURCE)
    [acl] = [r for r in inventory.resources if r.type == S3_BUCKET_ACL]
    grants = acl.props["accessControlPolicy"]["grants"]
    assert acl.props["bucket"] == "site" and acl.region == REGION
    assert {
        "grantee": {"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"},
        "permission": "READ",
    } in grants
    assert any(g["grantee"]["type"] == "CanonicalUser" and g["permission"] == "FULL_CONTROL" for g in grants)


def test_a_public_bucket_acl_is_judged_by_the_bucket_public_access_guardrail(aws):
    """What the audit reads of an ACL is what the pack judges at preview: a public-read bucket fails
    the bucket public-access guardrail, a private one beside it does not."""
    from opsctl.live.readers import s3 as s3_reader

    s3 = aws("s3")
    for name in ("site", "private"):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_public_access_block(
        Bucket="site",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": False,
            "IgnorePublicAcls": False,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_acl(Bucket="site", ACL="public-read")
    findings, _ = judge(read(s3_reader.SOURCE, region="global"), {}, TODAY)  # S3 is read once per account
    public = [f for f in findings if f.policy == "aws-s3-bucketpolicy-disallow-public-access" and f.kind == "violation"]
    assert [f.subject for f in public] == ["arn:aws:s3:::site"], [f.message for f in public]
    assert "AllUsers" in public[0].message


def test_secret_resource_policies_are_read_and_judged(aws):
    import json

    from opsctl.live.readers import secretsmanager as secrets_reader

    secrets = aws("secretsmanager")
    for name in ("open", "closed"):
        secrets.create_secret(Name=name, SecretString="x")
    statement = {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}
    secrets.put_resource_policy(
        SecretId="open", ResourcePolicy=json.dumps({"Statement": [{**statement, "Principal": "*"}]})
    )
    own = {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    secrets.put_resource_policy(
        SecretId="closed", ResourcePolicy=json.dumps({"Statement": [{**statement, "Principal": own}]})
    )
    findings, _ = judge(read(secrets_reader.SOURCE), {}, TODAY)
    public = [f for f in findings if f.policy == "aws-secretsmanager-secretpolicy-disallow-public-access"]
    assert [(f.subject.split(":secret:")[1].rsplit("-", 1)[0], f.message.split(" statement")[0]) for f in public] == [
        ("open", "Secret policy")
    ]


def test_a_key_pending_deletion_that_resources_still_use_is_reported_with_its_users(aws):
    from opsctl.live.readers import kms as kms_reader
    from opsctl.live.readers import logs as logs_reader

    kms = aws("kms")
    used = kms.create_key(Description="logs-key")["KeyMetadata"]
    unused = kms.create_key(Description="old-key")["KeyMetadata"]
    for key in (used, unused):
        kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    aws("logs").create_log_group(logGroupName="/app", kmsKeyId=used["Arn"])
    findings, _ = judge(read(kms_reader.SOURCE, logs_reader.SOURCE), {}, TODAY)
    about_keys = {f.subject: (f.policy, f.message) for f in findings if "kms" in f.subject and f.kind == "violation"}
    assert list(about_keys) == [used["Arn"]], "a pending key is judged only on what still uses it"
    policy, message = about_keys[used["Arn"]]
    assert policy == "aws-kms-key-disallow-unusable-key-in-use"
    assert message.startswith(f"KMS key '{used['KeyId']}' (logs-key) is scheduled for deletion on ")
    assert "yet /app (logGroup) still encrypt with it" in message


def rest_stage(gateway, name: str, **stage) -> str:
    """A REST API with one mock GET method deployed to stage `prod`; its id."""
    api = gateway.create_rest_api(name=name)["id"]
    root = gateway.get_resources(restApiId=api)["items"][0]["id"]
    gateway.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    gateway.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    deployment = gateway.create_deployment(restApiId=api)["id"]
    gateway.create_stage(restApiId=api, stageName="prod", deploymentId=deployment, **stage)
    return api


def test_http_subscriptions_and_untraced_rest_stages_are_read_and_judged(aws):
    from opsctl.live.readers import apigateway as apigateway_reader
    from opsctl.live.readers import sns as sns_reader

    sns = aws("sns")
    topic = sns.create_topic(Name="hooks")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="http", Endpoint="http://hooks.example.com/plain")
    sns.subscribe(TopicArn=topic, Protocol="https", Endpoint="https://hooks.example.com/tls")
    gateway = aws("apigateway")
    for name, tracing in (("traced", True), ("untraced", False)):
        rest_stage(gateway, name, tracingEnabled=tracing)
    inventory = read(sns_reader.SOURCE, apigateway_reader.SOURCE)
    findings, _ = judge(inventory, {}, TODAY)
    names = {r.arn: r.name for r in inventory.resources}
    found = {(f.policy, names.get(f.subject, f.subject)) for f in findings if f.policy in (HTTP, XRAY)}
    assert found == {(HTTP, "hooks/http:http://hooks.example.com/plain"), (XRAY, "untraced/prod")}


def test_function_urls_are_read_and_judged(fake_aws_credentials):
    """moto has no ListFunctionUrlConfigs: botocore's Stubber answers, checked against the service model."""
    from opsctl.live.readers import lambda_ as lambda_reader
    from tests.test_live import stubbed_account

    account, stubber = stubbed_account("lambda")
    arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:"
    functions = [{"FunctionName": name, "FunctionArn": arn + name} for name in ("open-fn", "iam-fn")]
    stubber.add_response("list_functions", {"Functions": functions})
    for name, auth in (("open-fn", "NONE"), ("iam-fn", "AWS_IAM")):
        url = {
            "FunctionUrl": f"https://{name}.lambda-url.{REGION}.on.aws/",
            "FunctionArn": arn + name,
            "AuthType": auth,
            "CreationTime": "2026-01-01T00:00:00Z",
            "LastModifiedTime": "2026-01-01T00:00:00Z",
        }
        stubber.add_response("list_function_url_configs", {"FunctionUrlConfigs": [url]}, {"FunctionName": name})
        stubber.add_client_error("get_policy", "ResourceNotFoundException", http_status_code=404)
    inventory = Inventory(ACCOUNT, REGION)
    with stubber:
        collect(lambda_reader.SOURCE, account, REGION, inventory)
    assert inventory.errors == []
    findings, _ = judge(inventory, {}, TODAY)
    assert [(f.policy, f.subject) for f in findings if f.policy == URL_AUTH] == [(URL_AUTH, arn + "open-fn")]


def test_log_resource_policies_are_read_and_judged_with_the_account_trusted(aws):
    from opsctl.live.readers import logs as logs_reader

    logs = aws("logs")
    delivery = {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}
    documents = {
        "route53-pinned": {
            **delivery,
            "Principal": {"Service": "route53.amazonaws.com"},
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        },
        "own-account": {**delivery, "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}},
        "other-account": {**delivery, "Principal": {"AWS": "arn:aws:iam::210987654321:root"}},
        "everyone": {**delivery, "Principal": "*"},
    }
    for name, statement in documents.items():
        logs.put_resource_policy(policyName=name, policyDocument=json.dumps({"Statement": [statement]}))
    inventory = read(logs_reader.SOURCE)
    findings, _ = judge(inventory, {}, TODAY)
    names = {r.arn: r.name for r in inventory.resources}
    found = sorted((names[f.subject], f.message) for f in findings if f.policy == LOG_POLICY)
    assert [name for name, _ in found] == ["everyone", "other-account"]
    assert "lets in any principal ('*') without a condition" in found[0][1]
    assert "lets in account 210987654321, which trustedAccounts does not list" in found[1][1]


def test_rest_stages_are_judged_by_their_method_settings_execution_logging(aws):
    from opsctl.live.readers import apigateway as apigateway_reader

    gateway = aws("apigateway")
    for name, level in (("logged", "ERROR"), ("silent", "OFF"), ("unset", None)):
        api = rest_stage(gateway, name)
        if level:
            operations = [{"op": "replace", "path": "/*/*/logging/loglevel", "value": level}]
            gateway.update_stage(restApiId=api, stageName="prod", patchOperations=operations)
    inventory = read(apigateway_reader.SOURCE)
    findings, _ = judge(inventory, {}, TODAY)
    names = {r.arn: r.name for r in inventory.resources}
    found = sorted((names[f.subject], f.message) for f in findings if f.policy == EXECUTION_LOGS)
    assert [name for name, _ in found] == ["silent/prod", "unset/prod"]
    assert "(*/*) set loggingLevel 'OFF'" in found[0][1]
    assert "has no method settings for */*" in found[1][1]


AUDIT_BUCKET_LOGGING = "aws-s3-auditbucket-enable-access-logging"
ACCOUNT_BLOCK = "aws-s3-account-enable-public-access-block"


def log_access(aws, source: str, target: str) -> None:
    """Server access logging of `source` into `target`, whose policy lets S3 log delivery write (moto
    refuses PutBucketLogging otherwise, as S3 does)."""
    s3 = aws("s3")
    delivery = {
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{target}/*",
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    }
    s3.put_bucket_policy(Bucket=target, Policy=json.dumps({"Version": "2012-10-17", "Statement": [delivery]}))
    s3.put_bucket_logging(
        Bucket=source, BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": target, "TargetPrefix": f"{source}/"}}
    )


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (None, "has no server access logging"),
        ("audit-logs", "logs its own access into itself"),
        ("access-logs", None),
    ],
    ids=["not-logged", "logs-to-itself", "logs-to-access-log-bucket"],
)
def test_the_trail_buckets_access_logging_is_read_and_judged(aws, target, expected):
    """The bucket a trail writes to is read in the trail's region with its GetBucketLogging, and
    judged by the pack's S3.9 rule; the access-log bucket itself is no audit bucket and is not asked."""
    from opsctl.live.readers import s3 as s3_reader

    trail(aws, "audit")  # writes to audit-logs
    aws("s3").create_bucket(Bucket="access-logs", CreateBucketConfiguration={"LocationConstraint": REGION})
    if target:
        log_access(aws, "audit-logs", target)
    found = findings_of(read(cloudtrail_reader.SOURCE, s3_reader.AUDIT_BUCKETS), AUDIT_BUCKET_LOGGING)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0][1] and "'audit-logs'" in found[0][1], found


def test_the_account_wide_view_lists_no_bucket_as_checked_for_the_audit_bucket_rule(aws):
    """Every bucket is read once per account, where no trail is: S3.9 is judged only in the
    regions, on the buckets their trails and delivery channels write to."""
    from opsctl.live.readers import s3 as s3_reader

    trail(aws, "audit")
    aws("s3").create_bucket(Bucket="team-data", CreateBucketConfiguration={"LocationConstraint": REGION})
    _, account_wide = judge(read(s3_reader.SOURCE, region="global"), {}, TODAY)
    _, regional = judge(read(cloudtrail_reader.SOURCE, s3_reader.AUDIT_BUCKETS), {}, TODAY)
    assert [c for c in account_wide if c.policy == AUDIT_BUCKET_LOGGING] == []
    checked = {
        c.resource.rsplit(":", 1)[-1]
        for c in regional
        if c.policy == AUDIT_BUCKET_LOGGING and c.type == "aws:s3/bucket:Bucket"
    }
    assert checked == {"audit-logs"}


def test_the_config_delivery_channels_bucket_is_an_audit_bucket(aws):
    from opsctl.live.readers import s3 as s3_reader

    recorder(aws, REGION, global_types=True)
    s3 = aws("s3")
    s3.create_bucket(Bucket="config-store", CreateBucketConfiguration={"LocationConstraint": REGION})
    aws("config").put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "config-store"})
    inventory = read(config_reader.SOURCE, s3_reader.AUDIT_BUCKETS)
    [(_, message)] = findings_of(inventory, AUDIT_BUCKET_LOGGING)
    assert "'config-store' (written by the AWS Config delivery channel 'default')" in message
    assert "has no server access logging" in message


ALL_FOUR = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (None, "blockPublicAcls False, blockPublicPolicy False, ignorePublicAcls False, restrictPublicBuckets False"),
        ({**ALL_FOUR, "RestrictPublicBuckets": False}, "has restrictPublicBuckets False;"),
        (ALL_FOUR, None),
    ],
    ids=["none-set", "one-flag-off", "all-four"],
)
def test_the_accounts_s3_block_public_access_is_read_and_judged(aws, block, expected):
    """s3control GetPublicAccessBlock in the account-wide view: none set (NoSuchPublicAccessBlockConfiguration)
    is every flag off, which S3.1 fails."""
    from opsctl.live.readers import s3 as s3_reader

    if block:
        aws("s3control").put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration=block)
    findings, _ = judge(read(s3_reader.ACCOUNT_SOURCE, region="global"), {}, TODAY)
    found = [f for f in findings if f.policy == ACCOUNT_BLOCK and f.kind == "violation"]
    if expected is None:
        assert found == []
    else:
        assert [f.subject for f in found] == [ACCOUNT] and expected in found[0].message, found
