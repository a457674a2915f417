"""The bridged pulumi-aws provider's Check, offline: what the engine does to a resource's inputs
before the policy pack sees them (and before the provider creates the resource).

Per type, from the facts in provider_facts.py:
- an absent `region` is the provider's region;
- an absent name is autonamed (the logical name, `-`, 7 hex characters derived from the URN so
  runs repeat); a name over the provider's limit fails Check, as it fails `pulumi preview`;
- strings become the schema's numbers and booleans ("365" → 365, "true" → true); a string the
  provider cannot read as its type fails Check;
- absent inputs get the Terraform defaults the bridge fills in (never falsy ones), also inside
  blocks the program sets;
- `tagsAll` is the provider's default tags under the resource's own tags.

The schema's types come from the installed pulumi_aws SDK's type hints, so they match the provider
version the program pins.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.runtime.rpc import UNKNOWN

from .provider_facts import AutoName, ResourceFacts, facts_for
from .sdk_schema import Kind, Nested, inputs_of
from .wire import SIGNATURE_KEY

# The bridge's CoerceTerraformString reads a string with Go's strconv: ParseBool, ParseInt(s, 0, 0)
# (base prefixes, `_` between digits after one), ParseFloat (decimal or hex; inf, nan). No spaces.
GO_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
            "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}  # fmt: skip
GO_INT = re.compile(
    r"[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)"
)
GO_FLOAT = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)", re.IGNORECASE)
GO_HEX_FLOAT = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?\d+")
INT64 = 2**63


class ProviderCheckError(ValueError):
    """The provider rejects the resource's inputs: the engine stops the run on it."""


@dataclass(frozen=True)
class ProviderSettings:
    """What Check reads from the resource's provider."""

    region: str
    default_tags: Any = None
    """`defaultTags.tags` as a mapping, UNKNOWN, or None."""

    @classmethod
    def from_config(cls, config: Mapping[str, Any], fallback_region: str) -> ProviderSettings:
        """From provider configuration as the engine holds it (strings; defaultTags as JSON text)."""
        setting = config.get("defaultTags")
        if setting == UNKNOWN:
            return cls(str(config.get("region") or fallback_region), UNKNOWN)
        if isinstance(setting, str):
            try:
                setting = json.loads(setting)
            except ValueError:
                raise ProviderCheckError(f"the provider's defaultTags is not JSON: {setting[:80]!r}") from None
        tags = setting.get("tags") if isinstance(setting, Mapping) else None
        return cls(str(config.get("region") or fallback_region), tags if isinstance(tags, Mapping) else None)


def autoname(facts: ResourceFacts | None, logical_name: str, urn: str, inputs: Mapping[str, Any]) -> str | None:
    """The name Check gives a resource that has none; None when it gives none."""
    rule: AutoName | None = facts.autoname if facts else None
    if rule is None or inputs.get(rule.property) not in (None, "") or any(inputs.get(c) for c in rule.conflicts_with):
        return None
    base = logical_name.lower() if rule.lowercase else logical_name
    random = hashlib.sha256(urn.encode()).hexdigest()[: rule.random_length]
    name = f"{base}{rule.separator}{random}" if random else base
    name += "".join(suffix for flag, suffix in rule.suffix_when.items() if inputs.get(flag) is True)
    if rule.prefix and not name.startswith(rule.prefix):
        name = rule.prefix + name
    if rule.max_length is not None and len(name) > rule.max_length:
        raise ProviderCheckError(
            f"the provider names it {name!r} ({len(name)} characters), longer than the {rule.max_length} "
            f"{rule.property} allows: give the resource a shorter name or set {rule.property}"
        )
    return name


def check(
    type_: str, logical_name: str, urn: str, inputs: Mapping[str, Any], provider: ProviderSettings
) -> dict[str, Any]:
    """`inputs` (wire form) as the provider's Check returns them."""
    facts = facts_for(type_)
    checked = dict(inputs)
    if facts is None:
        return checked
    if facts.region_from_provider and checked.get("region") in (None, ""):
        checked["region"] = provider.region
    name = autoname(facts, logical_name, urn, checked)
    if name is not None:
        checked[facts.autoname.property] = name  # type: ignore[union-attr]
    if facts.coerces_scalars:
        checked = coerce(checked, inputs_of(type_), type_)
    for prop, value in facts.check_defaults().items():
        if checked.get(prop) is None:
            checked[prop] = value
    if facts.framework == "sdkv2":
        for path, default in facts.nested_defaults.items():
            if not _falsy(default.value):
                _fill(checked, path.split("."), default.value)
    if facts.sets_tags_all:
        checked["tagsAll"] = _tags_all(checked.get("tags"), provider.default_tags)
    return checked


def _falsy(value: Any) -> bool:
    return value is False or value == "" or (type(value) in (int, float) and value == 0)


def _fill(value: Any, path: list[str], default: Any) -> None:
    """Set the default at `path` (`[]` parts walk every element) where a present block lacks it."""
    name, rest = path[0], path[1:]
    many = name.endswith("[]")
    name = name.removesuffix("[]")
    if not isinstance(value, dict):
        return
    if not rest:
        if value.get(name) is None:
            value[name] = default
        return
    block = value.get(name)
    for element in (block if isinstance(block, list) else []) if many else [block]:
        _fill(element, rest, default)


def _tags_all(own: Any, defaults: Any) -> Any:
    if own == UNKNOWN or defaults == UNKNOWN:
        return UNKNOWN
    return {**(defaults or {}), **(own if isinstance(own, Mapping) else {})}


# --- strings read as the schema's types ---------------------------------------------------


def coerce(value: Any, kind: Kind, where: str) -> Any:
    """`value` as the bridge's Check returns it for a field of `kind`."""
    if value is None or value == UNKNOWN:
        return value
    if kind in ("int", "float", "bool") and isinstance(value, str):
        return _scalar(value, kind, where)
    if isinstance(kind, Nested):
        if kind.shape == "object" and isinstance(value, Mapping) and kind.fields is not None:
            return {k: coerce(v, kind.fields.get(k), f"{where}.{k}") for k, v in value.items()}
        if kind.shape == "list" and isinstance(value, list):
            return [coerce(v, kind.element, f"{where}[{i}]") for i, v in enumerate(value)]
        if kind.shape == "map" and isinstance(value, Mapping) and not _is_special(value):
            return {k: coerce(v, kind.element, f"{where}.{k}") for k, v in value.items()}
    return value


def _scalar(value: str, kind: str, where: str) -> Any:
    if kind == "bool" and value in GO_BOOLS:
        return GO_BOOLS[value]
    if kind == "int" and GO_INT.fullmatch(value):
        number = _go_int(value)
        if -INT64 <= number < INT64:
            return float(number)
    if kind == "float" and GO_FLOAT.fullmatch(value):
        return float(value)
    if kind == "float" and GO_HEX_FLOAT.fullmatch(value):
        return float.fromhex(value.replace("_", ""))
    expected = {"bool": "a boolean (true or false)", "int": "a whole number", "float": "a number"}[kind]
    raise ProviderCheckError(f"{where.split(':')[-1]}: {value!r} is not {expected}")


def _go_int(text: str) -> int:
    digits = text.lstrip("+-").replace("_", "")
    sign = -1 if text.startswith("-") else 1
    if digits[:2].lower() in ("0x", "0b", "0o"):
        return sign * int(digits, 0)
    return sign * int(digits, 8 if len(digits) > 1 and digits.startswith("0") else 10)


def _is_special(value: Mapping[str, Any]) -> bool:
    """A secret, asset or resource reference in wire form (a signature key), not a map."""
    return SIGNATURE_KEY in value
