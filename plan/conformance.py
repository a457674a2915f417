"""An AWS Config conformance pack template from the guardrails' managed rules: the same rules, names
and parameters the Compliance component deploys one by one, as one pack that AWS Config (or an
organization's Config) runs itself. JSON is valid YAML, which is what Config takes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

TEMPLATE_LIMIT = 51_200
"""Bytes AWS Config accepts in a conformance pack's TemplateBody."""


@dataclass(frozen=True)
class PackRule:
    name: str
    """ConfigRuleName, e.g. `ops-prod-aws-kms-key-enable-key-rotation`."""
    identifier: str
    description: str
    parameters: Mapping[str, str]
    frequency: str = ""
    """MaximumExecutionFrequency, for periodic rules that set one."""


def logical_id(name: str) -> str:
    """A CloudFormation logical id: alphanumeric, from the rule name."""
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", name) if part)


def template(rules: Iterable[PackRule]) -> str:
    resources = {}
    for rule in rules:
        properties: dict[str, object] = {
            "ConfigRuleName": rule.name,
            "Description": rule.description,
            "Source": {"Owner": "AWS", "SourceIdentifier": rule.identifier},
        }
        if rule.parameters:
            properties["InputParameters"] = dict(rule.parameters)
        if rule.frequency:
            properties["MaximumExecutionFrequency"] = rule.frequency
        resources[logical_id(rule.name)] = {"Type": "AWS::Config::ConfigRule", "Properties": properties}
    body = json.dumps({"Resources": resources}, indent=2, sort_keys=True) + "\n"
    if len(body.encode()) > TEMPLATE_LIMIT:
        raise ValueError(
            f"the conformance pack template is {len(body.encode())} bytes; AWS Config takes {TEMPLATE_LIMIT}"
        )
    return body
