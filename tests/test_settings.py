"""Stack settings: every rejection names key, value and what is allowed; valid stacks round-trip."""

from __future__ import annotations

import pytest

from opsctl.engine.project import runtime_string
from plan import plan_stack
from settings import SettingsError, decode_runtime_value, load_settings, parse_settings
from tests.conftest import SECRET_KEYS, run_components, runtime_config, stack_values

WEBHOOK = "https://hooks.slack.com/services/T0/B0/abc"
BOT_TOKEN = "xoxb-1111111111-2222222222-abcdefghij"
ROUTE = {"name": "incidents", "channel": "#incidents", "webhookUrl": "https://hooks.slack.com/services/T0/B1/def"}


def problems(config, secret_keys=SECRET_KEYS) -> list[str]:
    """Every problem of a stack's config: settings and plan alike."""
    with pytest.raises(SettingsError) as raised:
        plan_stack(config, secret_keys)
    return [str(issue) for issue in raised.value.issues]


REJECTIONS = [
    pytest.param(
        "ops-baseline:logRetentionDays",
        13,
        "ops-baseline:logRetentionDays: 13 — must be one of 0, 1, 3",
        id="retention-not-a-cloudwatch-value",
    ),
    pytest.param(
        "ops-baseline:logRetentionDays",
        "two weeks",
        'ops-baseline:logRetentionDays: "two weeks" — expected an integer',
        id="retention-wrong-type",
    ),
    pytest.param(
        "ops-baseline:logRetentionDays",
        14.5,
        "ops-baseline:logRetentionDays: 14.5 — expected an integer",
        id="retention-fraction",
    ),
    pytest.param(
        "ops-baseline:logRetentionDays",
        True,
        "ops-baseline:logRetentionDays: true — expected an integer",
        id="retention-bool",
    ),
    pytest.param(
        "ops-baseline:environment",
        "Prod_1",
        'ops-baseline:environment: "Prod_1" — must be lowercase letters',
        id="environment-bad-name",
    ),
    pytest.param(
        "aws:region", "eu-west1", 'aws:region: "eu-west1" — must be an AWS region name', id="region-malformed"
    ),
    pytest.param("ops-baseline:tags", {"aws:owner": "x"}, "must not start with 'aws:'", id="tag-reserved-prefix"),
    pytest.param(
        "ops-baseline:tags", {"owner": 7}, "ops-baseline:tags.owner: 7 — expected a string", id="tag-value-wrong-type"
    ),
    pytest.param(
        "ops-baseline:tags", ["owner"], 'ops-baseline:tags: ["owner"] — expected a mapping', id="tags-not-a-mapping"
    ),
    pytest.param(
        "ops-baseline:tagz",
        {"a": "b"},
        "ops-baseline:tagz: unknown key 'tagz'; did you mean 'tags'?",
        id="unknown-top-level-key",
    ),
    pytest.param(
        "ops-baseline:alerting",
        "oncall@example.com",
        'ops-baseline:alerting: "oncall@example.com" — expected a mapping',
        id="alerting-not-a-mapping",
    ),
]


@pytest.mark.parametrize(("key", "value", "expected"), REJECTIONS)
def test_rejects_bad_top_level_value(valid_config, key, value, expected):
    valid_config[key] = value
    found = problems(valid_config)
    assert any(expected in p for p in found), found


ALERTING_REJECTIONS = [
    pytest.param(
        {"emails": ["oncall@example.com", "not-an-email"]},
        'ops-baseline:alerting.emails[1]: "not-an-email" — must be an email address',
        id="malformed-email",
    ),
    pytest.param(
        {"emails": "oncall@example.com"},
        'ops-baseline:alerting.emails: "oncall@example.com" — expected a list of strings',
        id="emails-not-a-list",
    ),
    pytest.param({"emails": ["a@example.com", "a@example.com"]}, "must not repeat entries", id="duplicate-email"),
    pytest.param(
        {"smsNumbers": ["0044 20 7946 0958"]},
        'ops-baseline:alerting.smsNumbers[0]: "0044 20 7946 0958" — must be an E.164 phone number',
        id="sms-not-e164",
    ),
    pytest.param({"smsNumbers": ["+0123456"]}, "must be an E.164 phone number", id="sms-country-code-zero"),
    pytest.param(
        {"smsNumbers": [4155550123]},
        "ops-baseline:alerting.smsNumbers[0]: 4155550123 — expected a string",
        id="sms-number-type",
    ),
    pytest.param({"httpsEndpoints": ["http://pager.example.com"]}, "must be an https:// URL", id="endpoint-not-https"),
    pytest.param({"emial": ["a@example.com"]}, "unknown key 'emial'; did you mean 'emails'?", id="nested-typo"),
    pytest.param(
        {"slack": {"webhookUrl": WEBHOOK}},
        "ops-baseline:alerting.slack.channel: is required",
        id="slack-without-channel",
    ),
    pytest.param(
        {"slack": {"channel": "alerts"}},
        'ops-baseline:alerting.slack.channel: "alerts" — must be #lowercase-name',
        id="slack-channel-without-hash",
    ),
    pytest.param(
        {"slack": {"channel": "#alerts", "webhookUrl": "hooks.slack.com/x"}},
        "ops-baseline:alerting.slack.webhookUrl: [secret] — must be an https:// URL",
        id="slack-webhook-not-url",
    ),
    pytest.param(
        {"slack": {"channel": "#alerts"}},
        "ops-baseline:alerting.slack.webhookUrl: is required",
        id="slack-without-webhook",
    ),
    pytest.param(
        {"slack": {"channel": "#alerts", "webhookUrl": WEBHOOK}},
        "ops-baseline:alerting.slack: needs at least one of alerting.emails or alerting.smsNumbers",
        id="slack-without-email-or-sms-for-its-own-alarms",
    ),
    pytest.param(
        {"emails": ["a@example.com"], "slack": {"channel": "#alerts", "webhookUrl": WEBHOOK, "iconEmoji": "siren"}},
        'ops-baseline:alerting.slack.iconEmoji: "siren" — must be an emoji code like :rotating_light:',
        id="slack-icon-not-emoji",
    ),
    pytest.param(
        {"emails": ["a@example.com"], "slack": {"channel": "#alerts", "webhookUrl": WEBHOOK, "timeoutSeconds": 5}},
        "ops-baseline:alerting.slack.timeoutSeconds: 5 — must be between 10 and 900",
        id="slack-timeout-too-short-for-retries",
    ),
    pytest.param(
        {"emails": ["a@example.com"], "slack": {"channel": "#alerts", "webhookUrl": WEBHOOK, "retryAttempts": 3}},
        "ops-baseline:alerting.slack.retryAttempts: 3 — must be between 0 and 2",
        id="slack-async-retries-over-lambda-max",
    ),
    pytest.param(
        {"emails": ["a@example.com"], "slack": {"channel": "#alerts", "webhookUrl": WEBHOOK, "maxEventAgeSeconds": 30}},
        "ops-baseline:alerting.slack.maxEventAgeSeconds: 30 — must be between 60 and 21600",
        id="slack-event-age-under-lambda-min",
    ),
    pytest.param(
        {"emails": ["a@example.com"], "slack": {"channel": "#alerts", "webhookUrl": WEBHOOK, "routes": [ROUTE]}},
        "ops-baseline:alerting.slack.routes[0].severities: a route needs severities or sources",
        id="slack-route-that-takes-nothing",
    ),
    pytest.param(
        {
            "emails": ["a@example.com"],
            "slack": {"channel": "#alerts", "webhookUrl": WEBHOOK, "routes": [{**ROUTE, "severities": ["urgent"]}]},
        },
        'ops-baseline:alerting.slack.routes[0].severities[0]: "urgent" — must be one of "critical", "high", "medium", '
        '"low", "info"',
        id="slack-route-unknown-severity",
    ),
    pytest.param(
        {
            "emails": ["a@example.com"],
            "slack": {"channel": "#alerts", "webhookUrl": WEBHOOK, "routes": [{**ROUTE, "sources": ["AWS GuardDuty"]}]},
        },
        'ops-baseline:alerting.slack.routes[0].sources[0]: "AWS GuardDuty" — must be an event source like aws.guardduty',
        id="slack-route-source-not-an-event-source",
    ),
    pytest.param(
        {
            "emails": ["a@example.com"],
            "slack": {
                "channel": "#alerts",
                "webhookUrl": WEBHOOK,
                "routes": [{**ROUTE, "sources": ["aws.guardduty"]}, {**ROUTE, "severities": ["critical"]}],
            },
        },
        'ops-baseline:alerting.slack.routes: "incidents" — route names must be unique',
        id="slack-route-names-repeat",
    ),
    pytest.param(
        {
            "emails": ["a@example.com"],
            "slack": {
                "channel": "#alerts",
                "webhookUrl": WEBHOOK,
                "routes": [{**ROUTE, "name": f"r{n}", "severities": ["critical"]} for n in range(6)],
            },
        },
        "ops-baseline:alerting.slack.routes: 6 — at most 5 routes fit the function's environment",
        id="slack-too-many-routes",
    ),
    pytest.param(
        {
            "emails": ["a@example.com"],
            "slack": {"channel": "C0ALERTS01", "webhookUrl": WEBHOOK, "botToken": "xoxp-12345678901"},
        },
        "ops-baseline:alerting.slack.botToken: [secret] — must be a Slack bot token (xoxb- followed by",
        id="slack-user-token-is-not-a-bot-token",
    ),
    pytest.param(
        {"emails": ["a@example.com"], "slack": {"channel": "#alerts", "webhookUrl": WEBHOOK, "botToken": BOT_TOKEN}},
        'ops-baseline:alerting.slack.channel: "#alerts" — must be a channel id (C or G and 8-20 capital letters',
        id="slack-bot-token-needs-a-channel-id",
    ),
    pytest.param(
        {
            "emails": ["a@example.com"],
            "slack": {
                "channel": "C0ALERTS01",
                "webhookUrl": WEBHOOK,
                "botToken": BOT_TOKEN,
                "routes": [{**ROUTE, "severities": ["critical"]}],
            },
        },
        'ops-baseline:alerting.slack.routes[0].channel: "#incidents" — must be a channel id',
        id="slack-bot-token-needs-route-channel-ids",
    ),
    pytest.param(
        {"smsNumbers": ["+14155550123"], "smsFilter": {"alarmSeverities": ["high"]}},
        'ops-baseline:alerting.smsFilter.alarmSeverities[0]: "high" — must be one of "critical", "warning"',
        id="sms-filter-unknown-severity",
    ),
    pytest.param(
        {
            "smsNumbers": ["+14155550123"],
            "smsFilter": {"alarmSeverities": [], "cisControls": [], "rootActivity": False},
        },
        "ops-baseline:alerting.smsFilter.alarmSeverities: [] — with cisControls [] and rootActivity false, SMS would "
        "receive nothing",
        id="sms-filter-that-texts-nothing",
    ),
    pytest.param(
        {"smsNumbers": ["+14155550123"], "smsFilter": {"alarmSeverities": [], "cisControls": [], "recoveries": True}},
        "ops-baseline:alerting.smsFilter.recoveries: true — texts recoveries of the alarms in alarmSeverities and "
        "cisControls, both empty",
        id="sms-filter-recoveries-of-no-alarm",
    ),
    pytest.param(
        {"smsNumbers": ["+14155550123"], "smsFilter": {"severities": ["critical"]}},
        "ops-baseline:alerting.smsFilter.severities: unknown key 'severities'",
        id="sms-filter-unknown-key",
    ),
    pytest.param(
        {"smsNumbers": ["+14155550123"], "smsFilter": {"cisControls": ["CloudWatch.15"]}},
        'ops-baseline:alerting.smsFilter.cisControls[0]: "CloudWatch.15" — must be one of "CloudWatch.1"',
        id="sms-filter-unknown-cis-control",
    ),
]


@pytest.mark.parametrize(("alerting", "expected"), ALERTING_REJECTIONS)
def test_rejects_bad_alerting(valid_config, alerting, expected):
    valid_config["ops-baseline:alerting"] = alerting
    found = problems(valid_config)
    assert any(expected in p for p in found), found


def test_plain_text_webhook_is_rejected_with_the_command_that_fixes_it(valid_config):
    found = problems(valid_config, secret_keys=())
    assert found == [
        "ops-baseline:alerting.slack.webhookUrl: is stored in plain text; store it as a Pulumi secret: "
        "pulumi config set --secret --path alerting.slack.webhookUrl <value>"
    ]


def test_secret_values_never_appear_in_errors(valid_config):
    valid_config["ops-baseline:alerting"]["slack"]["webhookUrl"] = "ftp://hooks.example.com/T0/very-secret-token"
    for secret_keys in (SECRET_KEYS, ()):
        with pytest.raises(SettingsError) as raised:
            parse_settings(valid_config, secret_keys)
        assert "very-secret-token" not in str(raised.value)


def test_every_problem_is_reported_at_once(valid_config):
    valid_config["ops-baseline:logRetentionDays"] = 13
    valid_config["ops-baseline:alerting"]["emails"] = ["bad"]
    valid_config["ops-baseline:alerting"]["smsNumbers"] = ["12345"]
    valid_config["ops-baseline:typo"] = 1
    del valid_config["ops-baseline:environment"]
    found = problems(valid_config)
    assert len(found) == 5, found
    assert {p.split(":", 2)[1].split(" ")[0].split(".")[0] for p in found} == {
        "logRetentionDays",
        "alerting",
        "typo",
        "environment",
    }


def test_missing_required_keys_are_named(valid_config):
    del valid_config["aws:region"]
    del valid_config["ops-baseline:environment"]
    found = problems(valid_config)
    assert any(p.startswith("aws:region: is required") for p in found)
    assert any(p.startswith("ops-baseline:environment: is required") for p in found)


@pytest.mark.parametrize(
    "region",
    ["af-south-1", "ap-southeast-7", "me-central-1", "cn-north-1", "us-gov-west-1", "eusc-de-east-1"],
    ids=["opt-in", "newest-opt-in", "gulf", "china", "govcloud", "european-sovereign-cloud"],
)
def test_every_partitions_regions_are_accepted(valid_config, region):
    valid_config["aws:region"] = region
    valid_config["ops-baseline:awsConfig"] = {"homeRegion": region}
    assert parse_settings(valid_config, SECRET_KEYS).region == region


def test_misspelt_regions_are_reported_together_with_the_closest_and_the_partitions_regions(valid_config):
    """A name that only looks like a region (eu-wst-1) would pass a pattern and fail at `pulumi up`."""
    valid_config["aws:region"] = "eu-wst-1"
    valid_config["ops-baseline:awsConfig"] = {"homeRegion": "us-esat-1"}
    found = problems(valid_config)
    assert len(found) == 2, found
    region, home = sorted(found)
    assert region.startswith("aws:region: \"eu-wst-1\" — must be an AWS region name; did you mean 'eu-west-1'?")
    assert home.startswith(
        "ops-baseline:awsConfig.homeRegion: \"us-esat-1\" — must be an AWS region name; did you mean 'us-east-1'?"
    )
    assert "af-south-1" in region and "eu-west-1" in region  # what is allowed: the aws partition's regions
    assert "cn-north-1" not in region  # not the partitions the name is not shaped for


@pytest.mark.parametrize("region", ["aws-global", "us-gov-wst-1", "eu-west-9"])
def test_names_that_no_resource_lives_in_are_rejected(valid_config, region):
    valid_config["aws:region"] = region
    assert any(p.startswith(f'aws:region: "{region}" — must be an AWS region name') for p in problems(valid_config))


def test_the_config_home_region_is_in_the_stacks_partition(valid_config):
    valid_config["ops-baseline:awsConfig"] = {"homeRegion": "cn-north-1"}
    assert problems(valid_config) == [
        'ops-baseline:awsConfig.homeRegion: "cn-north-1" — is in partition aws-cn, the stack\'s region eu-west-1 in '
        "aws: a recorder records global types for its own partition only; pick a region of aws"
    ]


def test_numbers_given_as_strings_are_accepted(valid_config):
    valid_config["ops-baseline:logRetentionDays"] = "365"
    assert parse_settings(valid_config, SECRET_KEYS).log_retention_days == 365


def test_never_expire_is_a_deliberate_choice(valid_config):
    valid_config["ops-baseline:logRetentionDays"] = 0
    assert parse_settings(valid_config, SECRET_KEYS).log_retention_days == 0


def test_defaults_apply_when_optional_keys_are_absent():
    config = {"aws:region": "us-east-1", "ops-baseline:environment": "qa"}
    settings = parse_settings(config)
    assert settings.log_retention_days == 14
    assert settings.alerting.emails == ()
    assert settings.alerting.slack is None
    assert dict(plan_stack(config).tags) == {"project": "ops-baseline", "environment": "qa", "managed-by": "pulumi"}


def test_settings_are_frozen(valid_config):
    settings = parse_settings(valid_config, SECRET_KEYS)
    with pytest.raises(AttributeError):
        settings.log_retention_days = 30  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.tags["owner"] = "someone-else"  # type: ignore[index]


def test_webhook_is_kept_out_of_repr(valid_config):
    settings = parse_settings(valid_config, SECRET_KEYS)
    assert settings.alerting.slack.webhook_url == WEBHOOK
    assert WEBHOOK not in repr(settings)


@pytest.mark.parametrize(
    ("stack", "environment", "retention", "emails", "sms"),
    [("dev", "dev", 14, 1, 0), ("prod", "prod", 365, 2, 1)],
)
def test_committed_stacks_round_trip(stack, environment, retention, emails, sms):
    values, secret_keys = stack_values(stack)
    settings = parse_settings({k: decode_runtime_value(v) for k, v in values.items()}, secret_keys)
    assert (settings.environment, settings.log_retention_days) == (environment, retention)
    assert (len(settings.alerting.emails), len(settings.alerting.sms_numbers)) == (emails, sms)
    assert settings.region == "eu-west-1"


def test_load_settings_reads_the_runtime_config_the_engine_passes(valid_config):
    captured = {}
    run_components(lambda: captured.setdefault("settings", load_settings()), config=valid_config)
    settings = captured["settings"]
    assert settings.log_retention_days == 14
    assert settings.alerting.sms_numbers == ("+14155550123",)
    assert settings.alerting.slack.webhook_url == WEBHOOK
    assert runtime_config(valid_config)["ops-baseline:logRetentionDays"] == "14"


@pytest.mark.parametrize("value", [True, False, 14, "eu-west-1", {"emails": ["a@example.com"]}, ["x", 1]])
def test_what_the_engine_passes_reads_back_as_the_stack_file_said(value):
    """The offline engine (and the tests, through it) encode config as the Pulumi engine does;
    settings decode it back to the YAML value, so a top-level `true` stays a boolean."""
    assert decode_runtime_value(runtime_string(value)) == value


def test_a_route_webhook_in_plain_text_is_rejected_with_its_own_command(valid_config):
    valid_config["ops-baseline:alerting"]["slack"]["routes"] = [{**ROUTE, "severities": ["critical"]}]
    found = problems(valid_config, secret_keys=())
    assert (
        "ops-baseline:alerting.slack.routes[0].webhookUrl: is stored in plain text; store it as a Pulumi secret: "
        "pulumi config set --secret --path alerting.slack.routes[0].webhookUrl <value>"
    ) in found


def test_route_severities_are_the_notifiers():
    from functions.slack_notifier.notice import SEVERITIES
    from settings.model import NOTICE_SEVERITIES

    assert NOTICE_SEVERITIES == SEVERITIES


def test_an_organization_pack_needs_the_conformance_pack(valid_config):
    valid_config["ops-baseline:awsConfig"] = {"organization": True}
    assert problems(valid_config) == [
        "ops-baseline:awsConfig.organization: true — deploys the conformance pack to the organization; "
        "set conformancePack: true"
    ]
