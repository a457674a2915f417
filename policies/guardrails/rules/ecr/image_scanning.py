"""Images are scanned on push, by the repository or by a registry-level scanning rule that covers it."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from typing import Any

from ...model import ConfigRule, Guardrail, References, StackView, Violation
from ...props import UNKNOWN, text
from ...tokens import ECR_REGISTRY_SCANNING, ECR_REPOSITORY

COVERING_FREQUENCIES = ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")


def registry_filters(stack: StackView) -> list[str] | None:
    """Wildcard filters of registry rules that scan on push or continuously; None if unknown."""
    filters: list[str] = []
    for registry in stack.of_type(ECR_REGISTRY_SCANNING):
        rules = registry.props.items("rules")
        if rules is UNKNOWN:
            return None
        for index in range(len(rules)):
            frequency = registry.props.get(f"rules[{index}].scanFrequency")
            repository_filters = registry.props.items(f"rules[{index}].repositoryFilters")
            if UNKNOWN in (frequency, repository_filters):
                return None
            if frequency not in COVERING_FREQUENCIES:
                continue
            for position in range(len(repository_filters)):
                pattern = registry.props.get(f"rules[{index}].repositoryFilters[{position}].filter")
                if pattern is UNKNOWN:
                    return None
                if text(pattern):
                    filters.append(pattern)
    return filters


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation]:
    filters = registry_filters(stack)
    for repository in stack.of_type(ECR_REPOSITORY):
        scan_on_push = repository.props.get("imageScanningConfiguration.scanOnPush")
        if scan_on_push is True or scan_on_push is UNKNOWN:
            continue
        name = repository.props.get("name")
        if filters is None or name is UNKNOWN:
            continue
        if text(name) and any(fnmatch.fnmatchcase(name, f) for f in filters):
            continue
        yield Violation(
            f"ECR repository {repository.name!r} does not scan images on push and no registry scanning rule covers it; "
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
        config_rule=ConfigRule("ECR_PRIVATE_IMAGE_SCANNING_ENABLED"), security_hub=("ECR.1",), checkov=("CKV_AWS_163",)
    ),
    check=check,
)
