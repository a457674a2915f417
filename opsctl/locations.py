"""Where in `Pulumi.<stack>.yaml` a resource comes from: the line of the setting whose value the
resource carries (a log group's name, an alarm's function, a canary's URL), so code scanning can
point a reviewer at the line to change."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from .engine import Registration

IGNORED_INPUTS = ("tags", "tagsAll")
"""Tags repeat stack-wide settings on every resource; they say nothing about which one made it."""
SHORTEST_PART = 6
"""A setting must be this long to count when it is part of a resource's name."""


@dataclass(frozen=True)
class Setting:
    value: str
    line: int
    depth: int


def settings_in(text: str) -> list[Setting]:
    """Every string setting under `config:` with its 1-based line; none when the file does not parse."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    config = next((v for k, v in root.value if getattr(k, "value", None) == "config"), None)
    return list(_scalars(config, 0)) if config is not None else []


def _scalars(node: yaml.Node, depth: int) -> Iterator[Setting]:
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":str") and len(node.value) >= 3:
            yield Setting(node.value, node.start_mark.line + 1, depth)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, depth + 1)
    elif isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            yield from _scalars(value, depth + 1)


def strings_of(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item)
    elif isinstance(value, dict):
        for name, item in value.items():
            if name not in IGNORED_INPUTS:
                yield from strings_of(item)


def setting_lines(text: str, resources: Sequence[Registration], wanted: Iterable[str]) -> dict[str, int]:
    """URN → line of the setting that most likely produced the resource, for the `wanted` URNs: the
    rarest setting in the stack whose value the resource carries exactly (or, failing that, as part
    of its name), the deeper one on a tie. Resources that carry no setting are left out."""
    settings = settings_in(text)
    values = {r.urn: {*strings_of(r.inputs), r.name} for r in resources}
    names = {
        r.urn: [r.name, *(v for k, v in r.inputs.items() if k.lower().endswith("name") and isinstance(v, str))]
        for r in resources
    }
    # How many resources carry each value, and how often each setting appears in a name, say how
    # specific a setting is: the region or a tag value is everywhere, a function name in a few places.
    carried = Counter(value for found in values.values() for value in found)
    every_name = "\n".join("\t".join(found) for found in names.values())

    lines: dict[str, int] = {}
    for urn in wanted:
        if urn not in values:
            continue
        exact = [s for s in settings if s.value in values[urn]]
        part = [s for s in settings if len(s.value) >= SHORTEST_PART and any(s.value in n for n in names[urn])]
        if exact:
            lines[urn] = min(exact, key=lambda s: (carried[s.value], -s.depth, s.line)).line
        elif part:
            lines[urn] = min(part, key=lambda s: (every_name.count(s.value), -s.depth, s.line)).line
    return lines
