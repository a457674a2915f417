"""The SlackNotifier component as the stack plans it: encrypted webhook, least privilege, no lost alerts."""

from __future__ import annotations

import copy
import json

import pytest

from functions.slack_notifier.handler import METRICS_NAMESPACE, PLAIN_TEXT_METRIC
from opsctl.engine.policy_run import check_run
from opsctl.engine.wire import SECRET_SIGNATURE, SIGNATURE_KEY
from tests.aws_model import problems
from tests.conftest import (
    ACCESS_LOG_BUCKET_EXEMPTION,
    ROOT,
    VALID_CONFIG,
    exempted,
    mandatory_failures,
    only,
    run_stack_program,
    stack_key_arn,
    stack_key_by_alias,
)

FUNCTION = "ops-dev-slack-notifier"
WEBHOOK = VALID_CONFIG["ops-baseline:alerting"]["slack"]["webhookUrl"]
ALERTS = "arn:aws:sns:eu-west-1:123456789012:ops-dev-alerts"
NOTIFIER_ALERTS = "arn:aws:sns:eu-west-1:123456789012:ops-dev-notifier-alerts"
QUEUE_ARN = f"arn:aws:sqs:eu-west-1:123456789012:{FUNCTION}-undelivered"


@pytest.fixture(scope="module")
def plan():
    return run_stack_program()


def test_webhook_reaches_kms_write_only_with_the_function_name_as_context(plan):
    ciphertext = only(plan, "aws:kms/ciphertext:Ciphertext")
    assert ciphertext.inputs["context"] == {"LambdaFunctionName": FUNCTION}
    assert ciphertext.inputs["keyId"] == stack_key_arn(plan)
    # Write-only (never stored in state) and, on the wire, a secret.
    assert "plaintext" not in ciphertext.inputs
    assert ciphertext.inputs["plaintextWo"] == {SIGNATURE_KEY: SECRET_SIGNATURE, "value": WEBHOOK}
    version = ciphertext.inputs["plaintextWoVersion"]
    assert version[SIGNATURE_KEY] == SECRET_SIGNATURE and len(version["value"]) == 16


def test_webhook_url_appears_nowhere_but_the_write_only_input(plan):
    for registration in plan.registrations:
        inputs = dict(registration.inputs)
        if registration.type == "aws:kms/ciphertext:Ciphertext":
            inputs.pop("plaintextWo")
        assert WEBHOOK not in json.dumps(inputs, default=str), registration.urn


def test_function_is_traced_encrypted_and_logs_to_its_managed_group(plan):
    function = next(f for f in plan.of_type("aws:lambda/function:Function") if f.inputs["name"] == FUNCTION)
    inputs = function.inputs
    assert inputs["runtime"] == "python3.13" and inputs["handler"] == "slack_notifier.handler.handler"
    assert inputs["tracingConfig"] == {"mode": "Active"}
    assert inputs["kmsKeyArn"] == stack_key_arn(plan)
    assert inputs["timeout"] == 30
    variables = inputs["environment"]["variables"]
    assert (
        variables["SLACK_WEBHOOK_CIPHERTEXT"] == only(plan, "aws:kms/ciphertext:Ciphertext").outputs["ciphertextBlob"]
    )
    assert variables["SLACK_CHANNEL"] == "#alerts" and variables["SLACK_USERNAME"] == "ops-baseline"
    assert inputs["loggingConfig"]["logGroup"] == f"/aws/lambda/{FUNCTION}"
    group = next(
        g for g in plan.of_type("aws:cloudwatch/logGroup:LogGroup") if g.inputs["name"] == f"/aws/lambda/{FUNCTION}"
    )
    assert group.inputs["retentionInDays"] == 14 and group.inputs["kmsKeyId"] == stack_key_arn(plan)
    assert group.urn in function.dependencies


def test_function_package_is_the_notifier_source(plan):
    function = next(f for f in plan.of_type("aws:lambda/function:Function") if f.inputs["name"] == FUNCTION)
    assets = function.inputs["code"]["assets"]
    assert {
        "slack_notifier/__init__.py",
        "slack_notifier/handler.py",
        "slack_notifier/formatters.py",
        "slack_notifier/notice.py",
    } <= set(assets)


def test_role_may_decrypt_only_under_its_contexts_and_send_only_to_its_queue(plan):
    policy = json.loads(
        next(p for p in plan.of_type("aws:iam/rolePolicy:RolePolicy") if "slack" in p.name).inputs["policy"]
    )
    statements = {s["Sid"]: s for s in policy["Statement"]}
    keys, alias = stack_key_by_alias(plan)
    for sid in ("DecryptWebhook", "DecryptEnvironment", "EncryptForFailureQueue"):
        assert statements[sid]["Resource"] == keys
    assert statements["DecryptWebhook"]["Condition"] == {
        "StringEquals": {"kms:EncryptionContext:LambdaFunctionName": FUNCTION},
        "ForAnyValue:StringEquals": alias,
    }
    assert statements["DecryptEnvironment"]["Condition"]["StringEquals"] == {
        "kms:EncryptionContext:aws:lambda:FunctionArn": f"arn:aws:lambda:eu-west-1:123456789012:function:{FUNCTION}"
    }
    assert statements["KeepUndeliveredNotifications"] == {
        "Sid": "KeepUndeliveredNotifications",
        "Effect": "Allow",
        "Action": "sqs:SendMessage",
        "Resource": QUEUE_ARN,
    }
    assert (
        statements["WriteOwnLogs"]["Resource"]
        == f"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/{FUNCTION}:*"
    )
    for statement in policy["Statement"]:
        assert "*" not in json.dumps(statement["Action"])
        assert statement["Resource"] != "*" or statement["Action"] == [
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
        ]
    trust = json.loads(
        next(r for r in plan.of_type("aws:iam/role:Role") if r.inputs["name"] == f"{FUNCTION}-role").inputs[
            "assumeRolePolicy"
        ]
    )
    assert trust["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}


def test_failed_notifications_are_retried_then_kept_in_an_encrypted_queue(plan):
    queue = only(plan, "aws:sqs/queue:Queue").inputs
    assert queue["name"] == f"{FUNCTION}-undelivered"
    assert queue["kmsMasterKeyId"] == stack_key_arn(plan) and queue["messageRetentionSeconds"] == 1_209_600
    config = only(plan, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").inputs
    assert config["functionName"] == FUNCTION
    assert (config["maximumRetryAttempts"], config["maximumEventAgeInSeconds"]) == (2, 21_600)
    assert config["destinationConfig"] == {"onFailure": {"destination": QUEUE_ARN}}


def test_only_the_alerting_topic_may_invoke_and_is_subscribed(plan):
    permission = next(
        p for p in plan.of_type("aws:lambda/permission:Permission") if p.inputs["principal"] == "sns.amazonaws.com"
    )
    assert permission.inputs["sourceArn"] == ALERTS and permission.inputs["function"] == FUNCTION
    subscription = next(
        s for s in plan.of_type("aws:sns/topicSubscription:TopicSubscription") if s.inputs["protocol"] == "lambda"
    )
    assert subscription.inputs["topic"] == ALERTS
    assert subscription.inputs["endpoint"] == f"arn:aws:lambda:eu-west-1:123456789012:function:{FUNCTION}"
    assert permission.urn in subscription.dependencies


def test_notifier_alarms_go_to_a_topic_the_notifier_does_not_read(plan):
    alarms = {a.inputs["name"]: a.inputs for a in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    own = {name: alarm for name, alarm in alarms.items() if name.startswith("ops-dev-slack-notifier-")}
    assert set(own) == {
        "ops-dev-slack-notifier-errors-critical",
        "ops-dev-slack-notifier-throttles-warning",
        "ops-dev-slack-notifier-duration-p99-warning",
        "ops-dev-slack-notifier-destination-failures-critical",
        "ops-dev-slack-notifier-queue-undelivered-critical",
        "ops-dev-slack-notifier-formatting-plain-text-fallbacks-warning",
    }
    for alarm in own.values():
        assert alarm["alarmActions"] == alarm["okActions"] == [NOTIFIER_ALERTS]
    plain_text = own["ops-dev-slack-notifier-formatting-plain-text-fallbacks-warning"]
    # The metric the function publishes in the embedded metric format when Slack only takes plain text.
    assert (plain_text["namespace"], plain_text["metricName"]) == (METRICS_NAMESPACE, PLAIN_TEXT_METRIC)
    assert plain_text["dimensions"] == {"FunctionName": FUNCTION} and plain_text["threshold"] == 0
    errors = own["ops-dev-slack-notifier-errors-critical"]
    assert errors["dimensions"] == {"FunctionName": FUNCTION} and errors["metricName"] == "Errors"
    queue = own["ops-dev-slack-notifier-queue-undelivered-critical"]
    assert (queue["namespace"], queue["metricName"], queue["dimensions"]) == (
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        {"QueueName": f"{FUNCTION}-undelivered"},
    )
    subscriptions = [
        s.inputs
        for s in plan.of_type("aws:sns/topicSubscription:TopicSubscription")
        if s.inputs["topic"] == NOTIFIER_ALERTS
    ]
    assert sorted(s["protocol"] for s in subscriptions) == ["email", "email", "sms"]


def test_stack_with_the_notifier_passes_the_production_policy_pack():
    config = copy.deepcopy(VALID_CONFIG)
    config["ops-baseline:logRetentionDays"] = 365
    config["ops-baseline:environment"] = "prod"  # prod.json requires environment=prod tags
    result = check_run(
        run_stack_program(config, mode="preview"), ROOT / "policies", ROOT / "policies" / "config" / "prod.json"
    )
    assert mandatory_failures(result.findings) == []
    assert exempted(result.findings) == {ACCESS_LOG_BUCKET_EXEMPTION}


def test_without_slack_settings_nothing_of_the_notifier_is_planned():
    config = copy.deepcopy(VALID_CONFIG)
    del config["ops-baseline:alerting"]["slack"]
    plan = run_stack_program(config)
    assert plan.of_type("aws:kms/ciphertext:Ciphertext") == [] and plan.of_type("aws:sqs/queue:Queue") == []
    assert not any("notifier" in r.name for r in plan.registrations)


def test_queue_and_invoke_config_are_valid_aws_requests(plan):
    queue = only(plan, "aws:sqs/queue:Queue").inputs
    assert not problems(
        "sqs",
        "CreateQueue",
        {
            "QueueName": queue["name"],
            "Attributes": {
                "KmsMasterKeyId": queue["kmsMasterKeyId"],
                "MessageRetentionPeriod": str(int(queue["messageRetentionSeconds"])),
                "KmsDataKeyReusePeriodSeconds": str(int(queue["kmsDataKeyReusePeriodSeconds"])),
            },
        },
    )
    config = only(plan, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").inputs
    assert not problems(
        "lambda",
        "PutFunctionEventInvokeConfig",
        {
            "FunctionName": config["functionName"],
            "MaximumRetryAttempts": int(config["maximumRetryAttempts"]),
            "MaximumEventAgeInSeconds": int(config["maximumEventAgeInSeconds"]),
            "DestinationConfig": {
                "OnFailure": {"Destination": config["destinationConfig"]["onFailure"]["destination"]}
            },
        },
    )


ROUTE_WEBHOOK = "https://hooks.slack.com/services/T0/B1/incidents-token"


@pytest.fixture(scope="module")
def routed_plan():
    config = copy.deepcopy(VALID_CONFIG)
    config["ops-baseline:alerting"]["slack"]["routes"] = [
        {
            "name": "incidents",
            "channel": "#incidents",
            "webhookUrl": ROUTE_WEBHOOK,
            "severities": ["critical"],
            "sources": ["aws.guardduty", "aws.securityhub"],
        }
    ]
    return run_stack_program(config)


def test_each_route_gets_its_own_encrypted_webhook_and_the_function_only_ciphertexts(routed_plan):
    ciphertexts = {c.name: c for c in routed_plan.of_type("aws:kms/ciphertext:Ciphertext")}
    assert set(ciphertexts) == {"slack-webhook", "slack-route-incidents"}
    route = ciphertexts["slack-route-incidents"]
    assert route.inputs["context"] == {"LambdaFunctionName": FUNCTION}
    assert route.inputs["plaintextWo"] == {SIGNATURE_KEY: SECRET_SIGNATURE, "value": ROUTE_WEBHOOK}
    function = next(f for f in routed_plan.of_type("aws:lambda/function:Function") if f.inputs["name"] == FUNCTION)
    variables = function.inputs["environment"]["variables"]
    assert json.loads(variables["SLACK_ROUTES"]) == [
        {
            "name": "incidents",
            "channel": "#incidents",
            "severities": ["critical"],
            "sources": ["aws.guardduty", "aws.securityhub"],
        }
    ]
    assert json.loads(variables["SLACK_ROUTE_CIPHERTEXTS"]) == {"incidents": route.outputs["ciphertextBlob"]}
    for registration in routed_plan.registrations:
        inputs = dict(registration.inputs)
        inputs.pop("plaintextWo", None)
        assert ROUTE_WEBHOOK not in json.dumps(inputs, default=str), registration.urn


BOT_TOKEN = "xoxb-1111111111-2222222222-c0mp0n3ntT0k3n"


def with_bot_token(config: dict) -> dict:
    config = copy.deepcopy(config)
    config["ops-baseline:alerting"]["slack"].update(botToken=BOT_TOKEN, channel="C0ALERTS01")
    return config


@pytest.fixture(scope="module")
def threads_plan():
    return run_stack_program(with_bot_token(VALID_CONFIG))


def test_webhook_stacks_have_no_thread_resources(plan):
    assert plan.of_type("aws:dynamodb/table:Table") == []
    assert [c.name for c in plan.of_type("aws:kms/ciphertext:Ciphertext")] == ["slack-webhook"]
    variables = next(f for f in plan.of_type("aws:lambda/function:Function") if f.inputs["name"] == FUNCTION).inputs[
        "environment"
    ]["variables"]
    assert not {"SLACK_BOT_TOKEN_CIPHERTEXT", "SLACK_THREADS_TABLE", "SLACK_API_URL"} & set(variables)


def test_bot_token_reaches_kms_write_only_under_its_own_context(threads_plan):
    token = next(c for c in threads_plan.of_type("aws:kms/ciphertext:Ciphertext") if c.name == "slack-bot-token")
    assert token.inputs["context"] == {"SlackBotToken": FUNCTION}
    assert token.inputs["plaintextWo"] == {SIGNATURE_KEY: SECRET_SIGNATURE, "value": BOT_TOKEN}
    for registration in threads_plan.registrations:
        inputs = {k: v for k, v in registration.inputs.items() if k != "plaintextWo"}
        assert BOT_TOKEN not in json.dumps(inputs, default=str), registration.urn
    function = next(f for f in threads_plan.of_type("aws:lambda/function:Function") if f.inputs["name"] == FUNCTION)
    variables = function.inputs["environment"]["variables"]
    assert variables["SLACK_BOT_TOKEN_CIPHERTEXT"] == token.outputs["ciphertextBlob"]
    assert variables["SLACK_THREADS_TABLE"] == f"{FUNCTION}-threads" and "SLACK_API_URL" not in variables


def test_threads_table_is_encrypted_with_the_stacks_key_expires_and_recovers(threads_plan):
    table = only(threads_plan, "aws:dynamodb/table:Table")
    inputs = table.inputs
    assert inputs["name"] == f"{FUNCTION}-threads" and inputs["billingMode"] == "PAY_PER_REQUEST"
    assert inputs["hashKey"] == "pk" and inputs["attributes"] == [{"name": "pk", "type": "S"}]
    assert inputs["serverSideEncryption"] == {"enabled": True, "kmsKeyArn": stack_key_arn(threads_plan)}
    assert inputs["ttl"] == {"attributeName": "expiresAt", "enabled": True}
    assert inputs["pointInTimeRecovery"] == {"enabled": True}
    assert not problems(
        "dynamodb",
        "CreateTable",
        {
            "TableName": inputs["name"],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "BillingMode": inputs["billingMode"],
            "SSESpecification": {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": stack_key_arn(threads_plan)},
        },
    )


def test_role_may_use_the_threads_table_items_only_and_the_token_only_under_its_context(threads_plan):
    policy = json.loads(
        next(p for p in threads_plan.of_type("aws:iam/rolePolicy:RolePolicy") if "slack" in p.name).inputs["policy"]
    )
    statements = {s["Sid"]: s for s in policy["Statement"]}
    table_arn = only(threads_plan, "aws:dynamodb/table:Table").outputs["arn"]
    assert statements["KeepThreads"] == {
        "Sid": "KeepThreads",
        "Effect": "Allow",
        "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
        "Resource": table_arn,
    }
    keys, alias = stack_key_by_alias(threads_plan)
    assert statements["DecryptBotToken"]["Action"] == "kms:Decrypt"
    assert statements["DecryptBotToken"]["Resource"] == statements["EncryptThreads"]["Resource"] == keys
    assert statements["DecryptBotToken"]["Condition"] == {
        "StringEquals": {"kms:EncryptionContext:SlackBotToken": FUNCTION},
        "ForAnyValue:StringEquals": alias,
    }
    assert statements["EncryptThreads"]["Condition"] == {
        "StringEquals": {"kms:ViaService": "dynamodb.eu-west-1.amazonaws.com"},
        "ForAnyValue:StringEquals": alias,
    }


def test_webhook_fallbacks_are_alarmed_on_in_thread_mode_only(plan, threads_plan):
    def fallbacks(p):
        return [
            a
            for a in p.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
            if a.inputs["metricName"] == "WebhookFallbacks"
        ]

    assert fallbacks(plan) == []
    [alarm] = fallbacks(threads_plan)
    assert alarm.inputs["namespace"] == METRICS_NAMESPACE and alarm.inputs["dimensions"] == {"FunctionName": FUNCTION}
    assert alarm.inputs["alarmActions"] == [NOTIFIER_ALERTS]


def test_thread_mode_passes_the_production_policy_pack():
    config = with_bot_token(VALID_CONFIG)
    config["ops-baseline:logRetentionDays"] = 365
    config["ops-baseline:environment"] = "prod"
    result = check_run(
        run_stack_program(config, mode="preview"), ROOT / "policies", ROOT / "policies" / "config" / "prod.json"
    )
    assert mandatory_failures(result.findings) == []
    assert exempted(result.findings) == {ACCESS_LOG_BUCKET_EXEMPTION}
