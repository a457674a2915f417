"""Images are scanned on push, by the repository or by a registry-level scanning rule that covers it."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...live import LiveAudit, LiveFix, setting_off
from ...model import ConfigRule, Guardrail, References, StackView, Undecided, Violation
from ...props import UNKNOWN, Invalid, contains_unknown, shown, text
from ...vocabulary.tokens import ECR_REGISTRY_SCANNING, ECR_REPOSITORY

COVERING_FREQUENCIES = ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")


@dataclass
class RegistryRules:
    filters: list[str] = field(default_factory=list)
    """Repository-name wildcards of rules that scan on push or continuously."""
    maybe_urns: set[str] = field(default_factory=set)
    """Repositories a rule that is unknown until deploy was computed from (and so may cover)."""
    maybe_all: bool = False
    """A rule is unknown and was computed from nothing in the stack: it may cover anything."""


def registry_rules(stack: StackView) -> RegistryRules:
    found = RegistryRules()
    for registry in stack.of_type(ECR_REGISTRY_SCANNING):
        rules = registry.props.plain("rules")
        if contains_unknown(rules):
            dependencies = registry.property_dependencies.get("rules", ())
            found.maybe_urns.update(dependencies)
            found.maybe_all = found.maybe_all or not dependencies
            continue
        for rule in rules if isinstance(rules, list) else ():
            if not isinstance(rule, Mapping) or rule.get("scanFrequency") not in COVERING_FREQUENCIES:
                continue
            for repository_filter in rule.get("repositoryFilters") or ():
                pattern = text(repository_filter.get("filter")) if isinstance(repository_filter, Mapping) else None
                if pattern:
                    found.filters.append(pattern)
    return found


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    registry = registry_rules(stack)
    for repository in stack.of_type(ECR_REPOSITORY):
        scan_on_push = repository.props.flag("imageScanningConfiguration.scanOnPush")
        if scan_on_push is True:
            continue
        if scan_on_push is UNKNOWN:
            yield Undecided(
                f"{repository.name}: imageScanningConfiguration.scanOnPush is unknown until deploy", repository.urn
            )
            continue
        name = repository.props.peek("name")
        if text(name) and any(fnmatch.fnmatchcase(name, f) for f in registry.filters):
            continue
        if registry.maybe_all or repository.urn in registry.maybe_urns or (name is UNKNOWN and registry.filters):
            yield Undecided(
                f"{repository.name}: whether a registry scanning rule covers it is unknown until deploy", repository.urn
            )
            continue
        current = f" (scanOnPush is {shown(scan_on_push)})" if isinstance(scan_on_push, Invalid) else ""
        yield Violation(
            f"ECR repository {repository.name!r} does not scan images on push{current} and no registry scanning rule covers it; "
            "set imageScanningConfiguration.scanOnPush true.",
            repository.urn,
        )


GUARDRAIL = Guardrail(
    name="aws-ecr-repository-enable-image-scanning",
    description="ECR repositories scan images on push, themselves or through a registry scanning rule.",
    severity="high",
    kind="stack",
    resource_types=(ECR_REPOSITORY, ECR_REGISTRY_SCANNING),
    remediation_steps="Set imageScanningConfiguration.scanOnPush = true on the repository, or add a registry scanning rule (SCAN_ON_PUSH or CONTINUOUS_SCAN) whose filter matches it.",
    references=References(
        config_rule=ConfigRule("ECR_PRIVATE_IMAGE_SCANNING_ENABLED", periodic=True),
        security_hub=("ECR.1",),
        checkov=("CKV_AWS_163",),
    ),
    check=check,
    audit=LiveAudit(
        types=(ECR_REPOSITORY, ECR_REGISTRY_SCANNING),
        fix=LiveFix(
            "ecr:PutImageScanningConfiguration",
            setting_off(
                lambda p: not p.get("imageScanningConfiguration", {}).get("scanOnPush"), "turn on scan-on-push"
            ),
            lambda account, r, config: account.client("ecr", r.region).put_image_scanning_configuration(
                repositoryName=r.name, imageScanningConfiguration={"scanOnPush": True}
            ),
        ),
    ),
)
