"""The account services as the stack plans them: CloudTrail and its bucket, CIS alarms, event rules,
AWS Config with rules from the guardrail catalog, X-Ray, ECR and flow logs (not `opsctl audit`:
test_live.py)."""

from __future__ import annotations

import copy
import json

import boto3
import pytest

from opsctl.engine.policy_run import check_run
from plan import plan_stack
from policies.guardrails.catalog import CATALOG
from policies.guardrails.vocabulary.cis import CONTROLS
from settings import SettingsError
from tests.conftest import (
    ACCESS_LOG_BUCKET_EXEMPTION,
    ROOT,
    SECRET_KEYS,
    VALID_CONFIG,
    exempted,
    mandatory_failures,
    only,
    run_stack_program,
    stack_key_arn,
    stack_values,
)
from tests.eventbridge import Delivery, Hop, allows, matches

TOPIC = "arn:aws:sns:eu-west-1:123456789012:ops-dev-alerts"
TRAIL_GROUP = "/aws/cloudtrail/ops-dev-trail"
AUDIT = {
    "ops-baseline:cloudTrail": {
        "insights": ["ApiCallRateInsight"],
        "s3DataEvents": True,
        "cisDashboard": True,
        "cisControls": {"CloudWatch.14": {"enabled": False}, "CloudWatch.2": {"threshold": 5}},
        "bucket": {"transitionDays": 365, "expirationDays": 2557, "protect": True},
    },
    "ops-baseline:awsConfig": {"dailyRecording": True, "aggregator": "account"},
    "ops-baseline:xray": {
        "samplingRules": [
            {"name": "health-checks", "priority": 100, "fixedRate": 0.0, "reservoirSize": 0, "urlPath": "/health*"}
        ],
        "groups": [{"name": "slow", "filterExpression": "responsetime > 2"}],
    },
    "ops-baseline:ecr": {"repositories": [{"name": "team/orders", "keepLast": 20}], "registryScanning": "basic"},
    "ops-baseline:flowLogs": {"vpcIds": ["vpc-0a1b2c3d4e5f67890"]},
    "ops-baseline:monitoring": {"lambdaFunctions": [{"functionName": "orders"}]},
}


def audit_config(**changes):
    config = copy.deepcopy(VALID_CONFIG)
    config.update(copy.deepcopy(AUDIT))
    config.update(changes)
    return config


@pytest.fixture(scope="module")
def plan():
    return run_stack_program(audit_config())


def by_name(plan, type_, field="name"):
    return {r.inputs[field]: r for r in plan.of_type(type_)}


# --- CloudTrail -------------------------------------------------------------------------------------


def test_trail_is_multi_region_validated_encrypted_and_logs_to_cloudwatch(plan):
    trail = only(plan, "aws:cloudtrail/trail:Trail")
    inputs = trail.inputs
    assert inputs["name"] == "ops-dev-trail"
    assert inputs["isMultiRegionTrail"] and inputs["includeGlobalServiceEvents"] and inputs["enableLogFileValidation"]
    assert inputs["enableLogging"] is True and inputs["kmsKeyId"] == stack_key_arn(plan)
    group = by_name(plan, "aws:cloudwatch/logGroup:LogGroup")[TRAIL_GROUP]
    assert inputs["cloudWatchLogsGroupArn"] == f"{group.outputs['arn']}:*"
    assert group.inputs["retentionInDays"] == 14 and group.inputs["kmsKeyId"] == stack_key_arn(plan)
    selectors = {s["name"]: s["fieldSelectors"] for s in inputs["advancedEventSelectors"]}
    assert selectors["Management events"] == [{"field": "eventCategory", "equals": ["Management"]}]
    assert {"field": "resources.type", "equals": ["AWS::S3::Object"]} in selectors["S3 object events"]
    assert inputs["insightSelectors"] == [{"insightType": "ApiCallRateInsight"}]
    role = by_name(plan, "aws:iam/role:Role")["ops-dev-trail-logs-role"]
    assert role.outputs["arn"] == inputs["cloudWatchLogsRoleArn"]
    policy = json.loads(
        next(p for p in plan.of_type("aws:iam/rolePolicy:RolePolicy") if p.name == "audit-role-policy").inputs["policy"]
    )
    assert policy["Statement"][0]["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert all(r.startswith(group.outputs["arn"]) for r in policy["Statement"][0]["Resource"])


def test_trail_is_created_after_its_bucket_policy_and_role(plan):
    trail = only(plan, "aws:cloudtrail/trail:Trail")
    policy = next(p for p in plan.of_type("aws:s3/bucketPolicy:BucketPolicy") if p.name == "audit-store-policy")
    assert policy.urn in trail.dependencies


STORES = {
    "audit-store": "ops-dev-trail-123456789012-eu-west-1",
    "compliance-store": "ops-dev-config-123456789012-eu-west-1",
}


@pytest.fixture(scope="module")
def first_preview():
    return run_stack_program(audit_config(), mode="preview")


@pytest.mark.parametrize("store", STORES)
def test_audit_bucket_names_and_policies_are_known_in_a_first_preview(plan, first_preview, store):
    """Names carry the account id and region (unique across S3, like Control Tower's), so the bucket
    policy is built from the ARN the name implies: the same document at preview and deploy, which
    names the bucket the provider creates."""
    for run in (first_preview, plan):
        bucket = next(b for b in run.of_type("aws:s3/bucket:Bucket") if b.name == f"{store}-bucket")
        assert bucket.inputs["bucket"] == STORES[store] and "bucketPrefix" not in bucket.inputs
    policies = [
        json.loads(
            next(p for p in run.of_type("aws:s3/bucketPolicy:BucketPolicy") if p.name == f"{store}-policy").inputs[
                "policy"
            ]
        )
        for run in (first_preview, plan)
    ]
    assert policies[0] == policies[1]
    created = next(b for b in plan.of_type("aws:s3/bucket:Bucket") if b.name == f"{store}-bucket").outputs["arn"]
    deny = next(s for s in policies[1]["Statement"] if s["Sid"] == "DenyInsecureTransport")
    assert deny["Resource"] == [created, f"{created}/*"]


def test_access_logs_go_to_a_named_bucket_that_only_the_audit_buckets_may_log_into(first_preview):
    bucket = next(b for b in first_preview.of_type("aws:s3/bucket:Bucket") if b.name == "access-logs-bucket")
    assert bucket.inputs["bucket"] == "ops-dev-access-logs-123456789012-eu-west-1"
    policy = json.loads(
        next(
            p for p in first_preview.of_type("aws:s3/bucketPolicy:BucketPolicy") if p.name == "access-logs-policy"
        ).inputs["policy"]
    )
    grant = next(s for s in policy["Statement"] if s["Sid"] == "S3ServerAccessLogDelivery")
    assert grant["Condition"]["ArnLike"]["aws:SourceArn"] == [f"arn:aws:s3:::{name}" for name in STORES.values()]
    logging = {r.inputs["bucket"]: r.inputs for r in first_preview.of_type("aws:s3/bucketLogging:BucketLogging")}
    assert set(logging) == set(STORES.values())
    assert {r["targetBucket"] for r in logging.values()} == {bucket.inputs["bucket"]}


def test_an_environment_that_makes_a_bucket_name_too_long_is_refused_before_deploy():
    config = audit_config(**{"aws:region": "ap-southeast-1", "ops-baseline:environment": "a" * 20})
    with pytest.raises(SettingsError) as raised:
        plan_stack(config, SECRET_KEYS)
    assert (
        f'ops-baseline:environment: "{"a" * 20}" — makes the access-log bucket name '
        f"'ops-{'a' * 20}-access-logs-<account id>-ap-southeast-1', which is 64 characters in ap-southeast-1 with "
        "the 12-digit account id, and S3 allows 63: use an environment of at most 19 characters"
    ) in str(raised.value)
    plan_stack(audit_config(**{"aws:region": "ap-southeast-1", "ops-baseline:environment": "a" * 19}), SECRET_KEYS)


def test_a_stack_keeps_the_names_of_buckets_it_deployed_before():
    """Before bucket names were deterministic they had a random suffix; S3 cannot rename a bucket, and a
    protected one is never replaced, so such a stack names its buckets as deployed."""
    kept = {
        "cloudTrail": "ops-dev-trail-20240101123456789000000001",
        "awsConfig": "ops-dev-config-20240101123456789000000002",
    }
    config = audit_config()
    for section, name in kept.items():
        config[f"ops-baseline:{section}"] = {
            **config.get(f"ops-baseline:{section}", {}),
            "bucket": {"name": name, "protect": True},
        }
    run = run_stack_program(config, mode="preview")
    for store, section in (("audit-store", "cloudTrail"), ("compliance-store", "awsConfig")):
        bucket = next(b for b in run.of_type("aws:s3/bucket:Bucket") if b.name == f"{store}-bucket")
        assert bucket.inputs["bucket"] == kept[section]
        policy = json.loads(
            next(p for p in run.of_type("aws:s3/bucketPolicy:BucketPolicy") if p.name == f"{store}-policy").inputs[
                "policy"
            ]
        )
        assert f"arn:aws:s3:::{kept[section]}/*" in json.dumps(policy)


@pytest.mark.parametrize("store", ["audit-store", "compliance-store"])
def test_audit_buckets_are_fully_hardened(plan, store):
    bucket = next(b for b in plan.of_type("aws:s3/bucket:Bucket") if b.name == f"{store}-bucket")
    name = bucket.outputs["bucket"]
    pab = next(
        r.inputs
        for r in plan.of_type("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
        if r.inputs["bucket"] == name
    )
    assert all(
        pab[flag] is True
        for flag in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )
    sse = next(
        r.inputs
        for r in plan.of_type("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
        if r.inputs["bucket"] == name
    )
    rule = sse["rules"][0]
    assert rule["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": stack_key_arn(plan),
    }
    assert rule["bucketKeyEnabled"] is True
    versioning = next(
        r.inputs for r in plan.of_type("aws:s3/bucketVersioning:BucketVersioning") if r.inputs["bucket"] == name
    )
    assert versioning["versioningConfiguration"] == {"status": "Enabled"}
    lifecycle = next(
        r.inputs
        for r in plan.of_type("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
        if r.inputs["bucket"] == name
    )
    policy = json.loads(
        next(r.inputs for r in plan.of_type("aws:s3/bucketPolicy:BucketPolicy") if r.inputs["bucket"] == name)["policy"]
    )
    deny = next(s for s in policy["Statement"] if s["Effect"] == "Deny")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    grants = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    assert grants and all(s["Principal"] != "*" and "Condition" in s for s in grants)
    if store == "audit-store":
        assert lifecycle["rules"][0]["transitions"] == [{"days": 365, "storageClass": "GLACIER_IR"}]
        assert lifecycle["rules"][0]["expiration"] == {"days": 2557}
        trail_arn = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/ops-dev-trail"
        assert all(s["Principal"] == {"Service": "cloudtrail.amazonaws.com"} for s in grants)
        assert all(s["Condition"]["StringEquals"]["aws:SourceArn"] == trail_arn for s in grants)
        write = next(s for s in grants if s["Action"] == "s3:PutObject")
        assert write["Resource"] == f"{bucket.outputs['arn']}/AWSLogs/123456789012/*"
        assert write["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"


# --- CIS CloudWatch.1-14 ------------------------------------------------------------------------------


def test_cis_filters_carry_the_published_patterns_verbatim(plan):
    filters = {
        f.inputs["metricTransformation"]["name"]: f.inputs
        for f in plan.of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter")
    }
    for control in CONTROLS:
        if control.control == "CloudWatch.14":  # switched off in settings
            assert control.name not in filters
            continue
        metric_filter = filters[control.name]
        assert metric_filter["pattern"] == control.pattern, control.control
        assert metric_filter["logGroupName"] == TRAIL_GROUP
        assert metric_filter["metricTransformation"]["value"] == "1"
        assert metric_filter["metricTransformation"]["namespace"] == "OpsBaseline/dev"


def test_each_cis_filter_has_a_sum_over_300s_alarm_to_the_topic(plan):
    alarms = {
        a.inputs["metricName"]: a.inputs
        for a in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        if a.inputs.get("namespace") == "OpsBaseline/dev"
    }
    for control in CONTROLS[:13]:
        alarm = alarms[control.name]
        assert (alarm["statistic"], alarm["period"], alarm["comparisonOperator"]) == (
            "Sum",
            300,
            "GreaterThanOrEqualToThreshold",
        )
        assert alarm["treatMissingData"] == "notBreaching"
        assert alarm["alarmActions"] == [TOPIC]
        assert alarm["threshold"] == (5 if control.control == "CloudWatch.2" else 1)


def test_every_alarm_in_the_stack_notifies_someone(plan):
    for alarm in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm"):
        assert alarm.inputs["alarmActions"], alarm.inputs["name"]


def test_cis_dashboard_charts_the_enabled_controls(plan):
    dashboard = by_name(plan, "aws:cloudwatch/dashboard:Dashboard", "dashboardName")["ops-dev-cis"]
    metrics = {w["properties"]["metrics"][0][1] for w in json.loads(dashboard.inputs["dashboardBody"])["widgets"]}
    assert metrics == {c.name for c in CONTROLS if c.control != "CloudWatch.14"}  # dev turns CloudWatch.14 off


# --- EventBridge --------------------------------------------------------------------------------------


RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
GLOBAL_RULES = ("root-sign-in", "iam-policy-changes")
BUS = "arn:aws:events:eu-west-1:123456789012:event-bus/default"
FORWARDING_ROLE = "arn:aws:iam::123456789012:role/ops-dev-event-forwarding-role"


def in_region(plan, type_, region=None):
    """Rules or targets by name in `region` (None: the stack's own, which the provider's Check
    writes into an absent region input)."""
    return {
        r.inputs.get("name") or r.name: r for r in plan.of_type(type_) if r.inputs["region"] == (region or plan.region)
    }


def forwarding_rule_arn(rule):
    return f"arn:aws:events:us-east-1:123456789012:rule/ops-dev-{rule}-to-eu-west-1"


def event(fixture):
    return json.loads((ROOT / "tests" / "events" / "eventbridge" / fixture).read_text())


def test_event_rules_send_high_signal_calls_to_the_alerting_topic(plan):
    rules = in_region(plan, RULE)
    assert set(rules) == {
        f"ops-dev-{n}"
        for n in (
            "security-group-changes",
            "root-sign-in",
            "iam-policy-changes",
            "trail-stopped",
            "config-stopped",
            "kms-key-disabled-or-deleted",
            "config-non-compliant",
        )
    }
    targets = in_region(plan, TARGET).values()
    assert {t.inputs["rule"] for t in targets} == set(rules) and all(t.inputs["arn"] == TOPIC for t in targets)
    root = json.loads(rules["ops-dev-root-sign-in"].inputs["eventPattern"])
    assert root["detail"]["userIdentity"]["type"] == ["Root"]
    policy = next(
        json.loads(p.inputs["policy"])
        for p in plan.of_type("aws:sns/topicPolicy:TopicPolicy")
        if p.inputs["arn"] == TOPIC
    )
    events = next(s for s in policy["Statement"] if s["Principal"] == {"Service": "events.amazonaws.com"})
    assert events["Condition"]["ArnLike"]["aws:SourceArn"] == "arn:aws:events:eu-west-1:123456789012:rule/*"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"ops-baseline:cloudTrail": {"eventRules": ["root-sign-in"]}},
            ["ops-dev-root-sign-in", "ops-dev-config-non-compliant"],
        ),
        ({"ops-baseline:cloudTrail": {"enabled": False, "eventRules": []}}, ["ops-dev-config-non-compliant"]),
        ({"ops-baseline:cloudTrail": {"eventRules": []}, "ops-baseline:awsConfig": {"enabled": False}}, []),
    ],
    ids=["config-on-rule-left-out", "config-on-no-trail", "config-off"],
)
def test_the_compliance_rule_is_on_wherever_config_is(changes, expected):
    plan = plan_stack({**copy.deepcopy(VALID_CONFIG), **changes}, ("ops-baseline:alerting",))
    assert [rule.name for rule in plan.event_rules] == expected


def test_global_service_events_are_forwarded_from_us_east_1_to_this_regions_bus(plan):
    """IAM calls and root sign-ins reach EventBridge in us-east-1 only: a rule there with the same
    pattern sends them to this region's default bus, through the forwarding role."""
    here = in_region(plan, RULE)
    forwarding = in_region(plan, RULE, "us-east-1")
    assert set(forwarding) == {f"ops-dev-{rule}-to-eu-west-1" for rule in GLOBAL_RULES}
    for rule in GLOBAL_RULES:
        forwarder = forwarding[f"ops-dev-{rule}-to-eu-west-1"]
        assert forwarder.inputs["eventPattern"] == here[f"ops-dev-{rule}"].inputs["eventPattern"]
        assert forwarder.inputs["description"].endswith(f"Sent on to eu-west-1, whose rule ops-dev-{rule} alerts.")
    targets = in_region(plan, TARGET, "us-east-1").values()
    assert sorted(t.inputs["rule"] for t in targets) == sorted(forwarding)
    for target in targets:
        assert (target.inputs["arn"], target.inputs["roleArn"]) == (BUS, FORWARDING_ROLE)
        # The role holds its policy before EventBridge first sends with it.
        assert any(urn.endswith("::events-forwarding-role-policy") for urn in target.dependencies)


def test_the_forwarding_role_may_only_put_events_on_this_regions_bus(plan):
    role = next(r for r in plan.of_type("aws:iam/role:Role") if r.inputs["name"] == "ops-dev-event-forwarding-role")
    [policy] = [
        json.loads(p.inputs["policy"])
        for p in plan.of_type("aws:iam/rolePolicy:RolePolicy")
        if p.inputs["role"] == "ops-dev-event-forwarding-role"
    ]
    assert policy["Statement"] == [
        {"Sid": "PutEventsOnOneBus", "Effect": "Allow", "Action": "events:PutEvents", "Resource": BUS}
    ]
    assert not allows(policy, "events:PutEvents", "arn:aws:events:us-east-1:123456789012:event-bus/default", {})
    trust = json.loads(role.inputs["assumeRolePolicy"])
    service = "events.amazonaws.com"
    for rule in GLOBAL_RULES:
        context = {"aws:SourceAccount": "123456789012", "aws:SourceArn": forwarding_rule_arn(rule)}
        assert allows(trust, "sts:AssumeRole", "", context, service), rule
    # Another rule of this account, or the same rule name in another account, cannot send with it.
    other_rule = {"aws:SourceAccount": "123456789012", "aws:SourceArn": forwarding_rule_arn("trail-stopped")}
    other_account = {
        "aws:SourceAccount": "999988887777",
        "aws:SourceArn": forwarding_rule_arn("root-sign-in").replace("123456789012", "999988887777"),
    }
    assert not allows(trust, "sts:AssumeRole", "", other_rule, service)
    assert not allows(trust, "sts:AssumeRole", "", other_account, service)


@pytest.mark.parametrize(
    "fixture, rule", [("root_sign_in.json", "root-sign-in"), ("iam_attach_role_policy.json", "iam-policy-changes")]
)
def test_global_service_events_in_us_east_1_reach_this_regions_alerting_topic(plan, fixture, rule):
    """As AWS delivers them, in us-east-1: the forwarding rule sends them to this region's bus, and
    this region's rule publishes them to the topic (topic and key policies admit it, as they admit
    only rules of this region); nothing sends them back."""
    hops = Delivery(plan, region="eu-west-1", account="123456789012").deliver(event(fixture))
    assert hops == [
        Hop(forwarding_rule_arn(rule), BUS),
        Hop(f"arn:aws:events:eu-west-1:123456789012:rule/ops-dev-{rule}", TOPIC),
    ]


def test_regional_events_of_another_region_are_not_forwarded(plan):
    """The stack watches its own region's security groups; those of us-east-1 stay there."""
    change = json.loads(record_of("cloudtrail_security_group.json"))
    change |= {"region": "us-east-1", "account": "123456789012"}
    delivery = Delivery(plan, region="eu-west-1", account="123456789012")
    assert delivery.deliver(change) == []
    assert delivery.deliver(change | {"region": "eu-west-1"}) == [
        Hop("arn:aws:events:eu-west-1:123456789012:rule/ops-dev-security-group-changes", TOPIC)
    ]


def test_a_us_east_1_stack_matches_global_service_events_where_they_arrive():
    plan = run_stack_program(audit_config(**{"aws:region": "us-east-1"}))
    assert not [name for name in in_region(plan, RULE) if "-to-" in name], "nothing is forwarded"
    assert not [r for r in plan.of_type("aws:iam/role:Role") if "forwarding" in r.name]
    hops = Delivery(plan, region="us-east-1", account="123456789012").deliver(event("root_sign_in.json"))
    assert hops == [
        Hop(
            "arn:aws:events:us-east-1:123456789012:rule/ops-dev-root-sign-in",
            "arn:aws:sns:us-east-1:123456789012:ops-dev-alerts",
        )
    ]


def test_event_patterns_match_the_events_the_notifier_formats(plan):
    """The rules and the Slack fixtures describe the same events (matched here by their own fields)."""
    rules = {name: json.loads(r.inputs["eventPattern"]) for name, r in in_region(plan, RULE).items()}
    for rule, fixture in (
        ("ops-dev-security-group-changes", "cloudtrail_security_group.json"),
        ("ops-dev-root-sign-in", "root_sign_in.json"),
    ):
        assert matches(rules[rule], json.loads(record_of(fixture))), rule
    change = json.loads(record_of("config_compliance.json"))
    own_rule = plan.of_type("aws:cfg/rule:Rule")[0]
    ours = change | {"detail": change["detail"] | {"configRuleName": own_rule.inputs["name"]}}
    assert matches(rules["ops-dev-config-non-compliant"], ours)


def test_compliance_changes_of_another_stacks_config_rules_reach_only_that_stack(plan):
    """Every Config rule of the account and region reports to the same bus: prod's, Control Tower's."""
    pattern = json.loads(in_region(plan, RULE)["ops-dev-config-non-compliant"].inputs["eventPattern"])
    change = json.loads(record_of("config_compliance.json"))
    for foreign in ("ops-prod-aws-s3-bucket-enable-versioning", "AWSControlTower_AWS-GR_ENCRYPTED_VOLUMES"):
        assert not matches(pattern, change | {"detail": change["detail"] | {"configRuleName": foreign}}), foreign


def record_of(fixture):
    """The EventBridge event a Slack fixture's SNS record carries."""
    from tests.test_slack_notifier import record

    return record(fixture)["Sns"]["Message"]


# --- AWS Config ---------------------------------------------------------------------------------------


def test_recorder_records_everything_daily_in_dev_with_global_types_at_home(plan):
    recorder = only(plan, "aws:cfg/recorder:Recorder").inputs
    assert recorder["recordingGroup"] == {"allSupported": True, "includeGlobalResourceTypes": True}
    assert recorder["recordingMode"] == {"recordingFrequency": "DAILY"}
    channel = only(plan, "aws:cfg/deliveryChannel:DeliveryChannel").inputs
    assert channel["s3KmsKeyArn"] == stack_key_arn(plan)
    assert channel["snapshotDeliveryProperties"] == {"deliveryFrequency": "TwentyFour_Hours"}
    attachment = only(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs
    assert attachment["policyArn"] == "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"


def test_config_streams_nothing_to_people_and_may_not_publish(plan):
    """Configuration items, evaluations and snapshots stay in the bucket; compliance changes come from
    the EventBridge rule alone, so each reaches the topic once."""
    channel = only(plan, "aws:cfg/deliveryChannel:DeliveryChannel").inputs
    assert "snsTopicArn" not in channel
    role_policy = next(p for p in plan.of_type("aws:iam/rolePolicy:RolePolicy") if p.name == "compliance-role-policy")
    actions = [s["Action"] for s in json.loads(role_policy.inputs["policy"])["Statement"]]
    assert not any("sns:" in json.dumps(action) for action in actions)
    assert "ops-dev-config-non-compliant" in by_name(plan, "aws:cloudwatch/eventRule:EventRule")


def test_global_types_are_recorded_only_in_the_home_region():
    plan = run_stack_program(audit_config(**{"ops-baseline:awsConfig": {"homeRegion": "us-east-1"}}))
    assert only(plan, "aws:cfg/recorder:Recorder").inputs["recordingGroup"]["includeGlobalResourceTypes"] is False


def test_config_rules_start_after_the_recorder_and_take_the_stacks_parameters(plan):
    status = only(plan, "aws:cfg/recorderStatus:RecorderStatus")
    assert status.inputs["isEnabled"] is True
    assert only(plan, "aws:cfg/deliveryChannel:DeliveryChannel").urn in status.dependencies
    rules = by_name(plan, "aws:cfg/rule:Rule")
    assert len(rules) == sum(1 for g in CATALOG if g.references.config_rule)
    for rule in rules.values():
        assert status.urn in rule.dependencies, rule.inputs["name"]
        assert rule.inputs["source"]["owner"] == "AWS"
    retention = rules["ops-dev-aws-cloudwatch-loggroup-configure-retention"].inputs
    assert retention["source"]["sourceIdentifier"] == "CW_LOGGROUP_RETENTION_PERIOD_CHECK"
    assert json.loads(retention["inputParameters"]) == {"MinRetentionTime": "14"}


def test_config_rules_are_accepted_by_aws_config(plan, moto_endpoint, fake_aws_credentials):
    """moto checks managed-rule identifiers, required parameters and unknown parameters."""
    client = boto3.client("config", region_name="eu-west-1", endpoint_url=moto_endpoint)
    for rule in plan.of_type("aws:cfg/rule:Rule"):
        request = {
            "ConfigRuleName": rule.inputs["name"],
            "Source": {"Owner": "AWS", "SourceIdentifier": rule.inputs["source"]["sourceIdentifier"]},
        }
        if rule.inputs.get("inputParameters"):
            request["InputParameters"] = rule.inputs["inputParameters"]
        client.put_config_rule(ConfigRule=request)


def test_a_stack_that_reuses_the_recorder_creates_only_its_rules():
    plan = run_stack_program(audit_config(**{"ops-baseline:awsConfig": {"recorder": "reuse", "aggregator": "account"}}))
    component = only(plan, "ops-baseline:compliance:Compliance")
    children = {r.type for r in plan.children(component.urn)}
    assert children == {"aws:cfg/rule:Rule", "aws:cfg/configurationAggregator:ConfigurationAggregator"}
    rules = plan.of_type("aws:cfg/rule:Rule")
    assert len(rules) == sum(1 for g in CATALOG if g.references.config_rule)
    assert all(rule.dependencies == () for rule in rules)  # the reused recorder is deployed before the stack
    assert "configRecorderName" not in plan.outputs and plan.outputs["configRuleNames"].value


def test_the_recorder_owner_keeps_its_names():
    plan = run_stack_program(audit_config(**{"ops-baseline:awsConfig": {"recorder": "own"}}))
    assert only(plan, "aws:cfg/recorder:Recorder").inputs["name"] == "ops-dev-recorder"
    assert only(plan, "aws:cfg/deliveryChannel:DeliveryChannel").inputs["name"] == "ops-dev-delivery"
    assert plan.outputs["configRecorderName"].value == "ops-dev-recorder"


def test_a_stack_that_reuses_xray_encryption_keeps_its_rules_and_groups():
    xray = {**AUDIT["ops-baseline:xray"], "encryption": "reuse"}
    plan = run_stack_program(audit_config(**{"ops-baseline:xray": xray}))
    assert plan.of_type("aws:xray/encryptionConfig:EncryptionConfig") == []
    assert only(plan, "aws:xray/samplingRule:SamplingRule").inputs["ruleName"] == "health-checks"
    assert set(by_name(plan, "aws:xray/group:Group", "groupName")) == {"slow", "orders"}


def test_a_stack_that_reuses_the_recorder_may_not_configure_it():
    from settings import SettingsError

    config = copy.deepcopy(VALID_CONFIG)
    config["ops-baseline:awsConfig"] = {
        "recorder": "reuse",
        "dailyRecording": True,
        "homeRegion": "us-east-1",
        "snapshotFrequency": "One_Hour",
        "bucket": {"protect": True},
        "aggregator": "account",
    }
    with pytest.raises(SettingsError) as raised:
        plan_stack(config, SECRET_KEYS)
    reuse = "configures the recorder, which this stack reuses (recorder: reuse)"
    assert [str(i) for i in raised.value.issues] == [
        f'ops-baseline:awsConfig.homeRegion: "us-east-1" — {reuse}: the owning stack\'s settings apply; set it '
        "there, or set recorder: own here",
        f"ops-baseline:awsConfig.dailyRecording: true — {reuse}: the owning stack's settings apply; set it there, "
        "or set recorder: own here",
        f'ops-baseline:awsConfig.snapshotFrequency: "One_Hour" — {reuse}: the owning stack\'s settings apply; set '
        "it there, or set recorder: own here",
        f"ops-baseline:awsConfig.bucket: {reuse}: the owning stack's settings apply; set it there, or set "
        "recorder: own here",
    ]


def test_account_aggregator_covers_all_regions(plan):
    aggregator = only(plan, "aws:cfg/configurationAggregator:ConfigurationAggregator").inputs
    assert aggregator["accountAggregationSource"] == {"accountIds": ["123456789012"], "allRegions": True}


# --- X-Ray, ECR, flow logs ----------------------------------------------------------------------------


def test_xray_encrypts_with_the_key_and_has_rules_and_groups(plan):
    encryption = only(plan, "aws:xray/encryptionConfig:EncryptionConfig").inputs
    assert (encryption["type"], encryption["keyId"]) == ("KMS", stack_key_arn(plan))
    rule = only(plan, "aws:xray/samplingRule:SamplingRule").inputs
    assert (rule["ruleName"], rule["priority"], rule["fixedRate"], rule["reservoirSize"], rule["urlPath"]) == (
        "health-checks",
        100,
        0,
        0,
        "/health*",
    )
    groups = by_name(plan, "aws:xray/group:Group", "groupName")
    assert set(groups) == {"slow", "orders"}
    assert groups["orders"].inputs["filterExpression"] == 'service("orders")'
    assert groups["orders"].inputs["insightsConfiguration"] == {"insightsEnabled": True, "notificationsEnabled": True}


def test_ecr_repositories_scan_refuse_overwrites_use_the_key_and_expire_images(plan):
    repository = only(plan, "aws:ecr/repository:Repository").inputs
    assert repository["imageTagMutability"] == "IMMUTABLE" and repository["imageScanningConfiguration"] == {
        "scanOnPush": True
    }
    assert repository["encryptionConfigurations"] == [{"encryptionType": "KMS", "kmsKey": stack_key_arn(plan)}]
    rules = json.loads(only(plan, "aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs["policy"])["rules"]
    assert rules[0]["selection"] == {
        "tagStatus": "untagged",
        "countType": "sinceImagePushed",
        "countUnit": "days",
        "countNumber": 7,
    }
    assert rules[1]["selection"] == {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 20}
    scanning = only(plan, "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration").inputs
    assert scanning["scanType"] == "BASIC"


def test_flow_logs_capture_all_traffic_into_a_managed_group(plan):
    flow_log = only(plan, "aws:ec2/flowLog:FlowLog").inputs
    group = by_name(plan, "aws:cloudwatch/logGroup:LogGroup")["/aws/vpc/flow-logs/vpc-0a1b2c3d4e5f67890"]
    assert flow_log["trafficType"] == "ALL" and flow_log["logDestination"] == group.outputs["arn"]
    assert group.inputs["retentionInDays"] == 14
    trust = json.loads(by_name(plan, "aws:iam/role:Role")["ops-dev-flow-logs-role"].inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}


# --- policies as documents ----------------------------------------------------------------------------


def test_resource_policies_are_json_without_open_principals(plan):
    documents = [
        *(p.inputs["policy"] for p in plan.of_type("aws:s3/bucketPolicy:BucketPolicy")),
        *(p.inputs["policy"] for p in plan.of_type("aws:sns/topicPolicy:TopicPolicy")),
        *(k.inputs["policy"] for k in plan.of_type("aws:kms/key:Key")),
        *(r.inputs["policy"] for r in plan.of_type("aws:iam/rolePolicy:RolePolicy")),
    ]
    for document in documents:
        policy = json.loads(document)
        for statement in policy["Statement"]:
            if statement.get("Principal") == "*" or statement.get("Principal") == {"AWS": "*"}:
                assert statement["Effect"] == "Deny" or "Condition" in statement, statement
            if statement["Effect"] == "Allow" and statement.get("Action") in ("*", ["*"]):
                raise AssertionError(f"allows every action: {statement}")


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_committed_stacks_pass_their_mandatory_guardrails_with_trail_and_the_recorder_they_own_required(stack):
    values, _ = stack_values(stack)
    config = {k: json.loads(v) if v[:1] in "[{" else v for k, v in values.items()}
    plan = run_stack_program(config)
    pack_config = json.loads((ROOT / "policies" / "config" / f"{stack}.json").read_text())
    owns = bool(plan.of_type("aws:cfg/recorder:Recorder"))
    assert owns is (stack == "prod")  # one account and region: prod owns the singletons, dev reuses them
    # The pack judges resources: a stack that reuses the region's recorder has none to show it.
    assert pack_config["aws-cfg-recorder-record-all-resources"]["requireRecorder"] is owns
    # The owner of the home-region recorder owns the account's S3 Block Public Access too.
    assert bool(plan.of_type("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock")) is owns
    assert pack_config["aws-s3-account-enable-public-access-block"]["requireAccountBlock"] is owns
    assert pack_config["aws-cloudtrail-trail-configure-cis-metric-alarms"]["requireTrail"] is True
    result = check_run(plan, ROOT / "policies", ROOT / "policies" / "config" / f"{stack}.json")
    assert mandatory_failures(result.findings) == []
    dev_only = {("aws-secretsmanager-secret-enable-rotation", "sample-secret")} if stack == "dev" else set()
    assert exempted(result.findings) == {ACCESS_LOG_BUCKET_EXEMPTION, *dev_only}


# --- bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            {"ops-baseline:cloudTrail": {"cisControls": {"CloudWatch.15": {}}}},
            "ops-baseline:cloudTrail.cisControls.CloudWatch.15: unknown CIS control; allowed: CloudWatch.1,",
        ),
        (
            {"ops-baseline:cloudTrail": {"cisControls": {"CloudWatch.3": {"threshold": 0}}}},
            "ops-baseline:cloudTrail.cisControls.CloudWatch.3.threshold: 0 — must be between 1 and",
        ),
        (
            {"ops-baseline:cloudTrail": {"bucket": {"transitionDays": 365, "expirationDays": 90}}},
            "ops-baseline:cloudTrail.bucket.expirationDays: 90 — must be later than transitionDays (365)",
        ),
        (
            {"ops-baseline:cloudTrail": {"insights": ["ApiCallRate"]}},
            'ops-baseline:cloudTrail.insights[0]: "ApiCallRate" — must be one of "ApiCallRateInsight", "ApiErrorRateInsight"',
        ),
        (
            {"ops-baseline:cloudTrail": {"eventRules": ["root-signin"]}},
            'ops-baseline:cloudTrail.eventRules[0]: "root-signin" — must be one of',
        ),
        ({"ops-baseline:cloudTrail": {"enabled": False}}, "ops-baseline:cloudTrail.eventRules: "),
        (
            {"ops-baseline:awsConfig": {"rules": ["aws-s3-bucket-enable-logging"]}},
            'ops-baseline:awsConfig.rules[0]: "aws-s3-bucket-enable-logging" — must be one of',
        ),
        (
            {"ops-baseline:awsConfig": {"snapshotFrequency": "Daily"}},
            'ops-baseline:awsConfig.snapshotFrequency: "Daily" — must be one of "One_Hour"',
        ),
        ({"ops-baseline:awsConfig": {"aggregator": "everything"}}, 'ops-baseline:awsConfig.aggregator: "everything"'),
        (
            {"ops-baseline:xray": {"samplingRules": [{"name": "a", "priority": 0, "fixedRate": 0.1}]}},
            "ops-baseline:xray.samplingRules[0].priority: 0 — must be between 1 and 9999",
        ),
        (
            {"ops-baseline:xray": {"samplingRules": [{"name": "a", "priority": 10, "fixedRate": 1.5}]}},
            "ops-baseline:xray.samplingRules[0].fixedRate: 1.5 — must be between 0 and 1",
        ),
        (
            {
                "ops-baseline:xray": {
                    "samplingRules": [
                        {"name": "a", "priority": 10, "fixedRate": 0.1},
                        {"name": "b", "priority": 10, "fixedRate": 0.2},
                    ]
                }
            },
            "ops-baseline:xray.samplingRules[1].priority: 10 — is also the priority of a",
        ),
        (
            {"ops-baseline:xray": {"groups": [{"name": "a group with spaces", "filterExpression": "ok"}]}},
            'ops-baseline:xray.groups[0].name: "a group with spaces" — must be 1-32 letters',
        ),
        (
            {"ops-baseline:ecr": {"repositories": [{"name": "Orders"}]}},
            'ops-baseline:ecr.repositories[0].name: "Orders" — must be lowercase letters',
        ),
        (
            {"ops-baseline:ecr": {"repositories": [{"name": "orders", "keepLast": 0}]}},
            "ops-baseline:ecr.repositories[0].keepLast: 0 — must be between 1 and 10000",
        ),
        (
            {"ops-baseline:flowLogs": {"vpcIds": ["vpc-123"]}},
            'ops-baseline:flowLogs.vpcIds[0]: "vpc-123" — must be a VPC id like vpc-0a1b2c3d4e5f67890',
        ),
        (
            {"ops-baseline:cloudTrail": {"logRetentionDays": 13}},
            "ops-baseline:cloudTrail.logRetentionDays: 13 — must be one of 0, 1, 3, 5, 7, 14",
        ),
        (
            {"ops-baseline:cloudTrail": {"bucket": {"name": "Ops_Dev_Trail"}}},
            'ops-baseline:cloudTrail.bucket.name: "Ops_Dev_Trail" — must be an S3 bucket name: lowercase letters, digits,',
        ),
        (
            {"ops-baseline:awsConfig": {"bucket": {"name": "ops-dev-config-" + "0" * 49}}},
            '0000" — is 64 characters; S3 bucket names have 3 to 63',
        ),
        (
            {"ops-baseline:cloudTrail": {"bucket": {"name": "ops..trail"}}},
            'ops-baseline:cloudTrail.bucket.name: "ops..trail" — must be an S3 bucket name',
        ),
        (
            {"ops-baseline:cloudTrail": {"bucket": {"name": "10.0.0.1"}}},
            'ops-baseline:cloudTrail.bucket.name: "10.0.0.1" — must not be formatted as an IP address',
        ),
        (
            {"ops-baseline:cloudTrail": {"bucket": {"name": "ops-dev-trail-s3alias"}}},
            "ops-baseline:cloudTrail.bucket.name: \"ops-dev-trail-s3alias\" — must not use '-s3alias', which S3 reserves",
        ),
        (
            {"ops-baseline:cloudTrail": {"bucket": {"noncurrentExpirationDays": 0}}},
            "ops-baseline:cloudTrail.bucket.noncurrentExpirationDays: 0 — must be between 1 and 36500 days",
        ),
        (
            {"ops-baseline:awsConfig": {"homeRegion": "Ireland"}},
            'ops-baseline:awsConfig.homeRegion: "Ireland" — must be an AWS region name',
        ),
        (
            {
                "ops-baseline:xray": {
                    "samplingRules": [{"name": "a", "priority": 1, "fixedRate": 0.1, "reservoirSize": -1}]
                }
            },
            "ops-baseline:xray.samplingRules[0].reservoirSize: -1 — must be between 0 and",
        ),
        (
            {"ops-baseline:xray": {"groups": [{"name": "a", "filterExpression": ""}]}},
            'ops-baseline:xray.groups[0].filterExpression: "" — must be 1-2000 characters',
        ),
        (
            {
                "ops-baseline:xray": {
                    "groups": [{"name": "a", "filterExpression": "x"}, {"name": "a", "filterExpression": "y"}]
                }
            },
            'ops-baseline:xray.groups[1].name: "a" — is used twice',
        ),
        (
            {"ops-baseline:ecr": {"repositories": [{"name": "orders"}, {"name": "orders"}]}},
            'ops-baseline:ecr.repositories[1].name: "orders" — is used twice',
        ),
        (
            {"ops-baseline:ecr": {"repositories": [{"name": "orders", "untaggedExpireDays": 0}]}},
            "ops-baseline:ecr.repositories[0].untaggedExpireDays: 0 — must be between 1 and 3650",
        ),
        ({"ops-baseline:ecr": {"registryScanning": "deep"}}, 'ops-baseline:ecr.registryScanning: "deep"'),
        (
            {"ops-baseline:awsConfig": {"recorder": "shared"}},
            'ops-baseline:awsConfig.recorder: "shared" — expected one of "own", "reuse"',
        ),
        (
            {"ops-baseline:xray": {"encryption": "none"}},
            'ops-baseline:xray.encryption: "none" — expected one of "own", "reuse"',
        ),
        (
            {"ops-baseline:flowLogs": {"vpcIds": ["vpc-0a1b2c3d4e5f67890"], "retentionDays": 2}},
            "ops-baseline:flowLogs.retentionDays: 2 — must be one of",
        ),
    ],
    ids=[
        "unknown-cis-control",
        "cis-threshold-zero",
        "lifecycle-days-in-wrong-order",
        "unknown-insight-type",
        "unknown-event-rule",
        "event-rules-without-trail",
        "unknown-config-rule",
        "bad-snapshot-frequency",
        "bad-aggregator",
        "sampling-priority-zero",
        "sampling-rate-over-one",
        "sampling-priorities-tie",
        "xray-group-name",
        "ecr-uppercase-name",
        "ecr-keep-none",
        "bad-vpc-id",
        "trail-retention-not-a-cloudwatch-value",
        "kept-bucket-name-uppercase-and-underscores",
        "kept-bucket-name-over-63",
        "kept-bucket-name-adjacent-dots",
        "kept-bucket-name-ip-address",
        "kept-bucket-name-reserved-suffix",
        "noncurrent-expiration-zero",
        "home-region-not-a-region",
        "sampling-reservoir-negative",
        "xray-filter-empty",
        "xray-group-twice",
        "ecr-repository-twice",
        "ecr-untagged-expiry-zero",
        "ecr-unknown-scanning",
        "config-recorder-owner-unknown",
        "xray-encryption-owner-unknown",
        "flow-log-retention-not-a-cloudwatch-value",
    ],
)
def test_bad_audit_settings_are_rejected_with_key_value_and_what_is_allowed(changes, expected):
    from settings import SettingsError

    config = copy.deepcopy(VALID_CONFIG)
    config.update(changes)
    with pytest.raises(SettingsError) as raised:
        plan_stack(config)
    assert expected in str(raised.value)
