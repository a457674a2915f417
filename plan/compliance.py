"""AWS Config as the stack deploys it: the region's recorder and delivery channel when the stack owns
them, and the managed rules generated from the guardrails, with the parameters the stack decides."""

from __future__ import annotations

import json
from dataclasses import dataclass

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.model import Guardrail
from policies.guardrails.props import Props
from policies.guardrails.vocabulary.tokens import LOG_GROUP
from settings import Settings

from .audit_buckets import AuditBucket, audit_bucket
from .log_groups import LogGroup
from .naming import CONFIG_BUCKET_ROLE, Naming


@dataclass(frozen=True)
class ConfigRule:
    guardrail: str
    name: str
    identifier: str
    description: str
    input_parameters: str
    """JSON with sorted keys, or empty when the managed rule takes none."""


@dataclass(frozen=True)
class Recorder:
    """The region's configuration recorder and delivery channel, when this stack owns them."""

    name: str
    channel_name: str
    role_name: str
    """The role Config records and delivers with."""
    home_region: str | None
    daily_recording: bool
    snapshot_frequency: str
    bucket: AuditBucket
    account_public_access_block: bool
    """The stack that records the account's global resource types (the recorder of its home region)
    also owns the account's other singletons: its S3 Block Public Access (S3.1)."""


@dataclass(frozen=True)
class Compliance:
    recorder: Recorder | None
    """None: the stack reuses the recorder another stack (or Control Tower) owns in the region."""
    aggregator: str
    """`none`, `account` or `organization`."""
    aggregator_name: str
    aggregator_role_name: str
    """The role an organization aggregator reads the organization with."""
    pack_name: str
    """The conformance pack's name, when the rules are deployed as one."""
    conformance_pack: bool
    organization: bool
    rules: tuple[ConfigRule, ...]


def deployed(guardrail: Guardrail, groups: tuple[LogGroup, ...]) -> list[Props]:
    """The stack's own resources of the guardrail's types in wire form, as far as its Config rule
    follows them (`from_stack`): the log groups it deploys."""
    return (
        [Props({"retentionInDays": g.retention_days}) for g in groups] if LOG_GROUP in guardrail.resource_types else []
    )


def compliance(settings: Settings, naming: Naming, groups: tuple[LogGroup, ...]) -> Compliance | None:
    section = settings.aws_config
    if not section.enabled:
        return None
    rules = []
    for name in section.rules:
        guardrail = BY_NAME[name]
        rule = guardrail.references.config_rule
        assert rule is not None  # settings offer only guardrails with a managed rule
        followed = rule.from_stack(deployed(guardrail, groups)) if rule.from_stack else {}
        values = {p.name: p.default for p in guardrail.parameters} | dict(followed)
        parameters = rule.input_parameters(values)
        rules.append(
            ConfigRule(
                guardrail=name,
                name=naming.config_rule(name),
                identifier=rule.identifier,
                description=guardrail.description,
                input_parameters=json.dumps(parameters, sort_keys=True) if parameters else "",
            )
        )
    recorder = None
    if section.recorder == "own":
        recorder = Recorder(
            name=naming.config_recorder,
            channel_name=naming.delivery_channel,
            role_name=naming.physical("config-role"),
            home_region=section.home_region,
            daily_recording=section.daily_recording,
            snapshot_frequency=section.snapshot_frequency,
            bucket=audit_bucket(section.bucket, naming, CONFIG_BUCKET_ROLE, settings.region),
            account_public_access_block=section.home_region in (None, settings.region),
        )
    return Compliance(
        recorder=recorder,
        aggregator=section.aggregator,
        aggregator_name=naming.physical("aggregator"),
        aggregator_role_name=naming.physical("config-aggregator-role"),
        pack_name=naming.physical("guardrails"),
        conformance_pack=section.conformance_pack,
        organization=section.organization,
        rules=tuple(rules),
    )
