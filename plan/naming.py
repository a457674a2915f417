"""One naming strategy for a stack: the physical names of alarms and resources, and the parts of
logical names. The plan validates the names this object makes, and components create exactly them.

Physical names start with the prefix `ops-<environment>`; alarms follow
`<prefix>-<resource>-<what>-<severity>` (e.g. `ops-prod-orders-errors-critical`), and buckets
`<prefix>-<role>-<account id>-<region>` (e.g. `ops-prod-trail-123456789012-eu-west-1`), globally unique
and known before deploy, so the policies that name a new bucket are judged in a first preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from settings.field_checks import ENVIRONMENT

PREFIX = "ops"
SAMPLE_API_LABEL = "sample-api"
SAMPLE_FUNCTION_LABEL = "sample-fn"
NOTIFIER_LABEL = "slack-notifier"
CONFIG_RULE_NAME_LIMIT = 128
CONFIG_RECORDER_ROLE = "recorder"
DELIVERY_CHANNEL_ROLE = "delivery"
TRAIL_BUCKET_ROLE = "trail"
CONFIG_BUCKET_ROLE = "config"
CANARY_BUCKET_ROLE = "canary"
ACCESS_LOG_BUCKET_ROLE = "access-logs"
ACCOUNT_ID_LENGTH = 12


def slug(name: str) -> str:
    """`/aws/lambda/orders` → `aws-lambda-orders`: a name as a logical-name part."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()


def lambda_log_group(function_name: str) -> str:
    return f"/aws/lambda/{function_name}"


def access_log_group(api_label: str) -> str:
    """Where the baseline keeps an HTTP API's access logs."""
    return f"/aws/apigateway/{api_label}"


def flow_log_group(vpc_id: str) -> str:
    return f"/aws/vpc/flow-logs/{vpc_id}"


def environment_of(name: str, role: str = "") -> str | None:
    """The environment whose stack named a physical `<prefix>-<role>`, or `<prefix>` itself without a
    role (`ops-prod-recorder` → prod); None for a name this project does not give."""
    found = re.fullmatch(rf"{PREFIX}-(.+)" + (f"-{re.escape(role)}" if role else ""), name)
    return found.group(1) if found and ENVIRONMENT.match(found.group(1)) else None


@dataclass(frozen=True)
class Naming:
    environment: str

    @property
    def prefix(self) -> str:
        return f"{PREFIX}-{self.environment}"

    def physical(self, name: str) -> str:
        """`<prefix>-<name>`: metric filters, event rules, canaries, the sample API, Config parts."""
        return f"{self.prefix}-{name}"

    def alarm(self, resource: str, what: str, severity: str) -> str:
        return f"{self.prefix}-{resource}-{what}-{severity}"

    def dashboard(self, page: int) -> str:
        return self.prefix if page == 1 else f"{self.prefix}-{page}"

    def topic(self, purpose: str = "") -> str:
        """`<prefix>-alerts`, or `<prefix>-<purpose>-alerts` for the notifier's and the billing topic."""
        return f"{self.prefix}-{purpose}-alerts" if purpose else f"{self.prefix}-alerts"

    def key_alias(self, purpose: str = "") -> str:
        return f"alias/{self.prefix}-{purpose}" if purpose else f"alias/{self.prefix}"

    def query(self, name: str) -> str:
        return f"{self.prefix}/{name}"

    def bucket(self, role: str, account_id: str, region: str) -> str:
        """`<prefix>-<role>-<account id>-<region>`: unique across S3 (one per account and region, as
        Control Tower's and Landing Zone Accelerator's buckets are), and known at preview."""
        return f"{self.prefix}-{role}-{account_id}-{region}"

    def secret(self, name: str) -> str:
        """`<prefix>/<name>`: a Secrets Manager secret of the stack."""
        return f"{self.prefix}/{name}"

    def function_role(self, function_name: str) -> str:
        """The role one of the stack's functions runs as."""
        return f"{function_name}-role"

    def config_rule(self, guardrail: str) -> str:
        return f"{self.prefix}-{guardrail}"[:CONFIG_RULE_NAME_LIMIT]

    @property
    def config_recorder(self) -> str:
        return self.physical(CONFIG_RECORDER_ROLE)

    @property
    def delivery_channel(self) -> str:
        return self.physical(DELIVERY_CHANNEL_ROLE)

    @property
    def trail(self) -> str:
        return f"{self.prefix}-trail"

    @property
    def trail_log_group(self) -> str:
        return f"/aws/cloudtrail/{self.trail}"

    @property
    def notifier_function(self) -> str:
        return self.physical(NOTIFIER_LABEL)

    @property
    def notifier_failure_queue(self) -> str:
        """Where the notifier parks what Slack never received (`opsctl verify` reads it by this name)."""
        return f"{self.notifier_function}-undelivered"

    @property
    def notifier_threads_table(self) -> str:
        return f"{self.notifier_function}-threads"

    @property
    def sample_function(self) -> str:
        return self.physical(SAMPLE_FUNCTION_LABEL)


@dataclass(frozen=True)
class BucketName:
    """A bucket's physical name, known before deploy: the name a stack keeps (a bucket it deployed
    before, when names had a random suffix: S3 cannot rename a bucket), else the one `Naming` mints
    from the account id, which only the provider knows."""

    naming: Naming
    role: str
    region: str
    kept: str | None = None

    def of(self, account_id: str) -> str:
        return self.kept or self.naming.bucket(self.role, account_id, self.region)

    @property
    def longest(self) -> str:
        """The name with a placeholder account id: account ids are always 12 digits, so its length
        is the deployed name's."""
        return self.of("0" * ACCOUNT_ID_LENGTH)
