"""The AWS Config section: the region's recorder and delivery channel, and the managed rules generated
from the guardrails (one each, or one conformance pack)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from policies.guardrails.catalog import CATALOG

from . import field_checks
from .audit_buckets import AuditBucketSettings
from .regions import Ownership, region_problem
from .schema import NO_VALUE, config_key, default_of, setting

SNAPSHOT_FREQUENCIES = ("One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours")


CONFIG_RULE_GUARDRAILS = tuple(g.name for g in CATALOG if g.references.config_rule)
"""Guardrails that AWS Config can check at runtime with a managed rule."""


@dataclass(frozen=True)
class AwsConfigSettings:
    enabled: bool = setting(
        "Create the managed rules and, with `recorder: own`, the recorder and delivery channel.", default=True
    )
    recorder: Ownership = setting(
        "The region's one configuration recorder and delivery channel: `own` creates them (with their bucket "
        "and role) in this stack; `reuse` relies on the ones another stack or Control Tower owns and creates "
        "only the rules, which need that recorder to exist first.",
        default="own",
    )
    home_region: str | None = setting(
        "Region that records global resource types (IAM), in the stack's partition; defaults to this stack's region.",
        default=None,
        check=lambda v: None if v is None else region_problem(v),
    )
    daily_recording: bool = setting(
        "Record configuration changes once a day instead of continuously: at most one item per resource a "
        "day, each at four times the continuous price, so cheaper only for resources that change more than "
        "four times on the days they change (README, Cost estimate).",
        default=False,
    )
    snapshot_frequency: str = setting(
        "How often a configuration snapshot goes to the bucket.",
        default="TwentyFour_Hours",
        check=field_checks.one_of(SNAPSHOT_FREQUENCIES),
    )
    rules: tuple[str, ...] = setting(
        "Guardrails checked at runtime by their AWS Config managed rule; default all that have one.",
        default=CONFIG_RULE_GUARDRAILS,
        item_check=field_checks.one_of(CONFIG_RULE_GUARDRAILS, " (guardrails with an AWS Config rule)"),
        check=field_checks.unique,
    )
    aggregator: Literal["none", "account", "organization"] = setting(
        "Config aggregator: `account` (this account, all regions) or `organization` (needs an org role).",
        default="none",
    )
    conformance_pack: bool = setting(
        "Deploy the managed rules as one conformance pack (`opsctl conformance-pack` prints its template) "
        "instead of one rule each.",
        default=False,
    )
    organization: bool = setting(
        "Deploy the conformance pack to every account of the organization (run the stack in the management "
        "or Config delegated-administrator account); needs `conformancePack: true`.",
        default=False,
    )
    bucket: AuditBucketSettings = setting(
        "The Config delivery bucket: its name and lifecycle.", default=AuditBucketSettings()
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        if self.organization and not self.conformance_pack:
            yield "organization", True, "deploys the conformance pack to the organization; set conformancePack: true"
        if self.recorder == "reuse":
            for field in dataclasses.fields(self):
                value = getattr(self, field.name)
                if field.name in RECORDER_ONLY and value != default_of(field):
                    yield (
                        config_key(field),
                        NO_VALUE if dataclasses.is_dataclass(value) else value,
                        "configures the recorder, which this stack reuses (recorder: reuse): the owning stack's "
                        "settings apply; set it there, or set recorder: own here",
                    )


RECORDER_ONLY = ("home_region", "daily_recording", "snapshot_frequency", "bucket")
"""AwsConfigSettings fields that shape the recorder, its delivery channel and bucket, not the rules."""
