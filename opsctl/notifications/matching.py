"""Content matching as SNS subscription filter policies and EventBridge event patterns apply it.

Both read a policy the same way: keys name properties of the message (nested objects for nested
properties), each holding a list of accepted values; a message matches when every key matches, and a
key matches when the message's value, or any element of it when it is an array, equals one of the
listed values or passes one of the listed operators. `$or` (a list of at least two objects, none keyed
by an operator) matches when one of its objects does, ANDed with the keys beside it.

Operators, as the SNS developer guide documents them ("Subscription filter policies", "String value
matching", "Key matching", "Numeric value matching", "IP address matching", "AND/OR logic"):
`prefix`, `suffix`, `equals-ignore-case`, `anything-but` (a value, a list of values or `{"prefix":
…}`), `numeric` (`=`, `<`, `<=`, `>`, `>=`, a range as `[">", 0, "<=", 5]`), `cidr` and `exists`
(`true`: present with a value that is neither null nor empty; `false`: absent). SNS has no `wildcard`;
an operator this module does not know is an error, never a silent mismatch.

Where the guide contradicts itself (`anything-but` against an array), its examples decide: an array
matches when any element passes, for every operator.

Pure: a policy and a message in, True or False out. `problems` says what SNS would refuse; `matches`
expects a policy without problems.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

OPERATORS = ("prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "cidr", "exists")
OR = "$or"
NUMERIC_DIGITS = 5
"""SNS compares numbers to five digits after the decimal point."""
COMPARISONS = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


class PolicyError(ValueError):
    """The policy is not one SNS or EventBridge would accept (or uses an operator not modelled here)."""


@dataclass(frozen=True)
class Dialect:
    name: str
    nested: bool
    """Whether keys may hold objects (nested properties)."""
    max_keys: int | None
    max_combinations: int | None


MESSAGE_BODY = Dialect("SNS filter policy (MessageBody)", nested=True, max_keys=5, max_combinations=150)
MESSAGE_ATTRIBUTES = Dialect("SNS filter policy (MessageAttributes)", nested=False, max_keys=5, max_combinations=150)
EVENT_PATTERN = Dialect("EventBridge event pattern", nested=True, max_keys=None, max_combinations=None)
"""Limits from "Filter policy constraints in Amazon SNS": five keys (top-level names), 150 combinations
(the product of each array's length, times its depth for nested keys)."""

MISSING = object()


def matches(policy: Mapping[str, Any], message: Any, dialect: Dialect = MESSAGE_BODY) -> bool:
    """Whether `message` (a parsed JSON body or event) passes `policy`; a message that is not a JSON
    object passes no policy."""
    if not isinstance(message, Mapping):
        return False
    return _object_matches(policy, message, dialect)


def attributes_match(policy: Mapping[str, Any], attributes: Mapping[str, Mapping[str, str]]) -> bool:
    """A MessageAttributes-scoped policy against SNS message attributes (`{"Type", "Value"}` each).
    A message without attributes passes no policy, `exists: false` included (the guide's note)."""
    if not attributes:
        return False
    values = {}
    for name, attribute in attributes.items():
        kind, raw = attribute.get("Type", ""), attribute.get("Value", "")
        if kind == "String.Array":
            values[name] = json.loads(raw)
        elif kind == "Number":
            values[name] = float(raw)
        elif kind == "String":
            values[name] = raw
    return _object_matches(policy, values, MESSAGE_ATTRIBUTES)


def _or_branches(policy: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    """The objects of `$or` when SNS reads it as OR; otherwise `$or` is an ordinary property name."""
    branches = policy.get(OR)
    if (
        isinstance(branches, list)
        and len(branches) >= 2
        and all(isinstance(b, Mapping) and not set(b) & set(OPERATORS) for b in branches)
    ):
        return branches
    return None


def _object_matches(policy: Mapping[str, Any], message: Mapping[str, Any], dialect: Dialect) -> bool:
    branches = _or_branches(policy)
    for key, wanted in policy.items():
        if key == OR and branches is not None:
            continue
        if not _key_matches(wanted, message.get(key, MISSING), dialect, key):
            return False
    return branches is None or any(_object_matches(branch, message, dialect) for branch in branches)


def _key_matches(wanted: Any, value: Any, dialect: Dialect, key: str) -> bool:
    if isinstance(wanted, Mapping):
        # A nested policy looks into an object, or into any object of an array. Where there is none,
        # its properties are absent, as they are from the flattened message SNS matches: only
        # `exists: false` can pass.
        candidates = value if isinstance(value, list) else [value]
        objects = [c for c in candidates if isinstance(c, Mapping)] or [{}]
        return any(_object_matches(wanted, c, dialect) for c in objects)
    return any(_condition_matches(condition, value, key) for condition in wanted)


def _condition_matches(condition: Any, value: Any, key: str) -> bool:
    if isinstance(condition, Mapping) and "exists" in condition:
        present = value is not MISSING and value is not None and value not in ("", [])
        return present == condition["exists"] and not isinstance(value, Mapping)
    if value is MISSING:
        return False
    elements = value if isinstance(value, list) else [value]
    return any(_value_matches(condition, element, key) for element in elements)


def _value_matches(condition: Any, value: Any, key: str) -> bool:
    if not isinstance(condition, Mapping):
        return _equal(condition, value)
    [(operator, operand)] = condition.items()
    if operator == "prefix":
        return isinstance(value, str) and value.startswith(operand)
    if operator == "suffix":
        return isinstance(value, str) and value.endswith(operand)
    if operator == "equals-ignore-case":
        return isinstance(value, str) and value.lower() == operand.lower()
    if operator == "anything-but":
        if isinstance(operand, Mapping):
            return isinstance(value, str) and not value.startswith(operand["prefix"])
        return not any(_equal(excluded, value) for excluded in (operand if isinstance(operand, list) else [operand]))
    if operator == "numeric":
        pairs = zip(operand[::2], operand[1::2], strict=True)
        number = _rounded(value)
        return number is not None and all(COMPARISONS[op](number, _rounded(bound)) for op, bound in pairs)
    if operator == "cidr":
        try:
            return isinstance(value, str) and ipaddress.ip_address(value) in ipaddress.ip_network(operand)
        except ValueError:
            return False
    raise PolicyError(f"{key!r}: operator {operator!r} is not modelled (modelled: {', '.join(OPERATORS)})")


def _equal(wanted: Any, value: Any) -> bool:
    if _is_number(wanted):
        return _rounded(value) == _rounded(wanted)
    return type(value) is type(wanted) and value == wanted


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _rounded(value: Any) -> float | None:
    return round(float(value), NUMERIC_DIGITS) if _is_number(value) else None


def problems(policy: Any, dialect: Dialect = MESSAGE_BODY) -> list[str]:
    """What SNS (or EventBridge) would refuse in the policy: its shape, its operators, the number of
    keys and the complexity."""
    if not isinstance(policy, Mapping) or not policy:
        return [f"{dialect.name}: a policy is a non-empty JSON object"]
    found = [f"{dialect.name}: {problem}" for problem in _shape_problems(policy, dialect, "")]
    if found:
        return found
    keys = _top_level_keys(policy)
    if dialect.max_keys is not None and len(keys) > dialect.max_keys:
        found.append(f"{dialect.name}: {len(keys)} keys ({', '.join(sorted(keys))}); at most {dialect.max_keys}")
    combined = combinations(policy)
    if dialect.max_combinations is not None and combined > dialect.max_combinations:
        found.append(f"{dialect.name}: {combined} combinations of values; at most {dialect.max_combinations}")
    return found


def _shape_problems(policy: Mapping[str, Any], dialect: Dialect, path: str) -> Iterator[str]:
    branches = _or_branches(policy)
    for key, wanted in policy.items():
        where = f"{path}.{key}" if path else key
        if key == OR and branches is not None:
            for branch in branches:
                yield from _shape_problems(branch, dialect, path)
        elif isinstance(wanted, Mapping):
            if dialect.nested:
                yield from _shape_problems(wanted, dialect, where)
            else:
                yield f"{where} holds an object; this scope takes no nested keys"
        elif not isinstance(wanted, list) or not wanted:
            yield f"{where} must hold a non-empty list of values, or an object"
        else:
            yield from (f"{where}: {p}" for c in wanted if (p := _condition_problem(c, dialect)))


def _condition_problem(condition: Any, dialect: Dialect) -> str | None:
    if not isinstance(condition, Mapping):
        if condition is None or isinstance(condition, (str, bool)) or _is_number(condition):
            return None
        return f"a match value is a string, number, true, false or null, not {condition!r}"
    if len(condition) != 1:
        return f"one operator per match expression, got {', '.join(sorted(condition))}"
    [(operator, operand)] = condition.items()
    if operator in ("prefix", "suffix", "equals-ignore-case"):
        return None if isinstance(operand, str) else f"{operator} takes a string"
    if operator == "exists":
        return None if isinstance(operand, bool) else "exists takes true or false"
    if operator == "anything-but":
        if isinstance(operand, Mapping):
            valid = set(operand) == {"prefix"} and isinstance(operand["prefix"], str)
            return None if valid else "anything-but takes values, or {prefix: <string>} alone"
        excluded = operand if isinstance(operand, list) else [operand]
        valid = bool(excluded) and all(isinstance(e, str) or _is_number(e) for e in excluded)
        return None if valid else "anything-but takes strings or numbers"
    if operator == "numeric":
        return _numeric_problem(operand)
    if operator == "cidr":
        try:
            ipaddress.ip_network(operand)
        except (TypeError, ValueError):
            return f"cidr takes a network like 10.0.0.0/24, got {operand!r}"
        return None
    if dialect is EVENT_PATTERN:  # EventBridge has more (wildcard, anything-but with suffix): not modelled here
        return f"operator {operator!r} is not modelled (modelled: {', '.join(OPERATORS)})"
    return f"unknown operator {operator!r}; SNS filter policies take {', '.join(OPERATORS)}"


def _numeric_problem(operand: Any) -> str | None:
    if not isinstance(operand, list) or len(operand) not in (2, 4):
        return "numeric takes [operator, number] or a range [>|>=, low, <|<=, high]"
    pairs = list(zip(operand[::2], operand[1::2], strict=True))
    if any(operator not in COMPARISONS or not _is_number(number) for operator, number in pairs):
        return "numeric takes =, <, <=, > or >= each followed by a number"
    if len(pairs) == 2 and (
        pairs[0][0] not in (">", ">=") or pairs[1][0] not in ("<", "<=") or pairs[0][1] >= pairs[1][1]
    ):
        return "a numeric range is [> or >=, low, < or <=, high] with low below high"
    return None


def _top_level_keys(policy: Mapping[str, Any]) -> set[str]:
    branches = _or_branches(policy)
    keys = {k for k in policy if not (k == OR and branches is not None)}
    for branch in branches or ():
        keys |= _top_level_keys(branch)
    return keys


def combinations(policy: Mapping[str, Any], depth: int = 1) -> int:
    """SNS's complexity: the product, over the arrays of a policy, of each array's length times its
    nesting depth; the objects of `$or` add up. The guide does not say how `anything-but` lists count:
    each of their values counts here, an upper bound."""
    branches = _or_branches(policy)
    total = 1
    for key, wanted in policy.items():
        if key == OR and branches is not None:
            total *= sum(combinations(branch, depth) for branch in branches)
        elif isinstance(wanted, Mapping):
            total *= combinations(wanted, depth + 1)
        else:
            total *= sum(_values_in(condition) for condition in wanted) * depth
    return total


def _values_in(condition: Any) -> int:
    if isinstance(condition, Mapping) and isinstance(condition.get("anything-but"), list):
        return len(condition["anything-but"])
    return 1
