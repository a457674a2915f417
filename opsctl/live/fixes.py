"""Safe, reversible remediations for what the audit found: each turns one setting on (or raises a
too-short retention) with one API call that can be undone; nothing is ever deleted, replaced or
made more open. The log retention fix takes its value from the guardrail's own remediation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.tokens import CONFIG_RECORDER_STATUS

from ..findings import Finding
from .accounts import Account, error_code
from .inventory import Inventory, LiveResource


@dataclass(frozen=True)
class Fix:
    action: str
    """What it does, as the plan shows it."""
    plan: Callable[[LiveResource, Mapping[str, Any]], str | None]
    """The planned change for this resource, or None when no safe fix applies."""
    apply: Callable[[Account, LiveResource, Mapping[str, Any]], None]


def retention_days(resource: LiveResource, config: Mapping[str, Any]) -> int | None:
    """The retention the guardrail's own remediation sets; None when it leaves the group as it is."""
    remediate = BY_NAME["aws-cloudwatch-loggroup-configure-retention"].remediate
    change = remediate(resource.props, config) if remediate else None
    return int(change["retentionInDays"]) if change else None


def retention_plan(resource: LiveResource, config: Mapping[str, Any]) -> str | None:
    days = retention_days(resource, config)
    if days is None:
        return None
    old = resource.props.get("retentionInDays", "never expire")
    return f"retention {old} → {days} days"


def retention_apply(account: Account, resource: LiveResource, config: Mapping[str, Any]) -> None:
    days = retention_days(resource, config)
    if days is not None:
        account.client("logs", resource.region).put_retention_policy(logGroupName=resource.name, retentionInDays=days)


def when(
    test: Callable[[Mapping[str, Any]], bool], text: str
) -> Callable[[LiveResource, Mapping[str, Any]], str | None]:
    return lambda resource, config: text if test(resource.props) else None


FIXES: dict[str, Fix] = {
    "aws-cloudwatch-loggroup-configure-retention": Fix("logs:PutRetentionPolicy", retention_plan, retention_apply),
    "aws-ecr-repository-enable-image-scanning": Fix(
        "ecr:PutImageScanningConfiguration",
        when(lambda p: not p.get("imageScanningConfiguration", {}).get("scanOnPush"), "turn on scan-on-push"),
        lambda account, r, config: account.client("ecr", r.region).put_image_scanning_configuration(
            repositoryName=r.name, imageScanningConfiguration={"scanOnPush": True}
        ),
    ),
    "aws-kms-key-enable-key-rotation": Fix(
        "kms:EnableKeyRotation",
        when(lambda p: p.get("enableKeyRotation") is False, "turn on automatic key rotation"),
        lambda account, r, config: account.client("kms", r.region).enable_key_rotation(KeyId=r.props["keyId"]),
    ),
    "aws-cloudtrail-trail-enable-log-file-validation": Fix(
        "cloudtrail:UpdateTrail",
        when(lambda p: not p.get("enableLogFileValidation"), "turn on log file validation"),
        lambda account, r, config: account.client("cloudtrail", r.region).update_trail(
            Name=r.arn, EnableLogFileValidation=True
        ),
    ),
    "aws-cloudtrail-trail-enable-logging": Fix(
        "cloudtrail:StartLogging",
        when(lambda p: not p.get("enableLogging"), "start logging"),
        lambda account, r, config: account.client("cloudtrail", r.region).start_logging(Name=r.arn),
    ),
    "aws-cfg-recorder-record-all-resources": Fix(
        "config:StartConfigurationRecorder",
        when(lambda p: p.get("isEnabled") is False, "start the configuration recorder"),
        lambda account, r, config: account.client("config", r.region).start_configuration_recorder(
            ConfigurationRecorderName=r.name
        ),
    ),
}
"""Guardrail → its safe fix. The recorder fix acts on the recorder's status: starting a stopped recorder."""


@dataclass(frozen=True)
class PlannedFix:
    policy: str
    resource: LiveResource
    account: str
    change: str
    action: str


@dataclass(frozen=True)
class FixResult:
    planned: PlannedFix
    error: str = ""
    """Empty when the change was made."""


def plan(
    findings: list[Finding],
    inventories: Mapping[tuple[str, str], Inventory],
    policies: Mapping[str, tuple[str, Mapping[str, Any]]],
) -> list[PlannedFix]:
    """A safe fix for each violation that has one, once per resource and guardrail."""
    planned: dict[tuple[str, str], PlannedFix] = {}
    for item in findings:
        fix = FIXES.get(item.policy)
        if item.kind != "violation" or fix is None:
            continue
        config = BY_NAME[item.policy].config(policies.get(item.policy, ("", {}))[1])
        for resource in targets(item, inventories):
            change = fix.plan(resource, config)
            if change and (item.policy, resource.arn) not in planned:
                planned[(item.policy, resource.arn)] = PlannedFix(
                    item.policy, resource, item.account, change, fix.action
                )
    return list(planned.values())


def targets(item: Finding, inventories: Mapping[tuple[str, str], Inventory]) -> list[LiveResource]:
    """The live resources a finding is about; for the recorder, the status of the recorder it names."""
    resources = [r for key, inv in inventories.items() if key[0] == item.account for r in inv.resources]
    if item.policy == "aws-cfg-recorder-record-all-resources":
        return [r for r in resources if r.type == CONFIG_RECORDER_STATUS and r.region == item.region]
    return [r for r in resources if r.arn == item.subject and r.arn]


def apply(
    planned: list[PlannedFix], accounts: Mapping[str, Account], policies: Mapping[str, tuple[str, Mapping[str, Any]]]
) -> list[FixResult]:
    """Make each change; a failure is reported and the next change still made."""
    results = []
    for entry in planned:
        config = BY_NAME[entry.policy].config(policies.get(entry.policy, ("", {}))[1])
        try:
            FIXES[entry.policy].apply(accounts[entry.account], entry.resource, config)
        except (ClientError, BotoCoreError) as error:
            results.append(FixResult(entry, f"{entry.action} failed ({error_code(error)})"))
        else:
            results.append(FixResult(entry))
    return results
