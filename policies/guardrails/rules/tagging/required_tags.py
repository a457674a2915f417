"""Every taggable resource carries the tags the organization requires, with allowed values."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import Guardrail, Parameter, References
from ...props import MISSING, UNKNOWN, Props, shown
from ...taggable import load

TAGGABLE = load()


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    required: Mapping[str, list[str]] = config["requiredTags"]
    if not required:
        return
    own = props.plain("tags")
    if own is UNKNOWN:
        return
    # The provider's default tags under the resource's own (its own keys win), as AWS applies them.
    defaults = props.provider_default_tags()
    tags = {**(defaults if defaults is not UNKNOWN else {}), **(own if isinstance(own, Mapping) else {})}
    missing = [key for key in required if tags.get(key) in (None, MISSING, "")]
    if missing and defaults is UNKNOWN:
        props.undecided("the provider's defaultTags")
    elif missing:
        yield f"Resource has no {', '.join(missing)} tag{'s' if len(missing) > 1 else ''}; required: {', '.join(required)}."
    for key, allowed in required.items():
        value = tags.get(key)
        if value is UNKNOWN:
            props.undecided(f"tags.{key}")
        elif allowed and value not in (None, MISSING, "") and value not in allowed:
            yield f"Resource tag {key} is {shown(value)}; allowed: {', '.join(allowed)}."


GUARDRAIL = Guardrail(
    name="aws-tagging-resource-require-tags",
    description="Every taggable resource carries the required tag keys (with an allowed value where the config lists values), counting the provider's default tags.",
    severity="low",
    resource_types=TAGGABLE,
    remediation_steps="Set the tags on the resource, or once for the stack in the provider's defaultTags (ops-baseline: the `tags` setting).",
    references=References(),
    check=check,
    parameters=(
        Parameter(
            "requiredTags",
            {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}},
                "default": {},
            },
            "Tag key → allowed values ([] for any value). Empty: no tag is required.",
        ),
    ),
    audit=LiveAudit(
        not_audited="tags are not read live; use AWS Organizations tag policies or the REQUIRED_TAGS Config rule"
    ),
)
