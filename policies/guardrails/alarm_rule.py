"""Composite alarm rules in CloudWatch's AlarmRule grammar, and which children can raise them.

Grammar (PutCompositeAlarm): `ALARM(x)`, `OK(x)`, `INSUFFICIENT_DATA(x)` where x is an alarm name or
ARN, quoted with double quotes or not; `TRUE`, `FALSE`; `NOT`, `AND`, `OR` (binding in that order);
parentheses. A child *drives* a composite when, for some states of the other alarms, the child
entering ALARM (from OK or INSUFFICIENT_DATA) turns the rule from false to true: `ALARM(x)` and
`NOT OK(x)` do, `NOT ALARM(x)`, `OK(x)` and `ALARM(x) AND FALSE` do not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import reduce
from itertools import product

STATES = ("ALARM", "OK", "INSUFFICIENT_DATA")
_ENTERED_FROM = ("OK", "INSUFFICIENT_DATA")
_EXACT_UP_TO = 8
"""Alarms named more than once are enumerated (3^n states); beyond this many the answer errs
towards 'drives' rather than take exponential time."""

_ALARM_ARN = re.compile(r"^arn:[^:]+:cloudwatch:[^:]*:[^:]*:alarm:(.+)$")


class AlarmRuleError(ValueError):
    """The rule does not follow the AlarmRule grammar."""


@dataclass(frozen=True)
class Const:
    value: bool


@dataclass(frozen=True)
class State:
    state: str
    alarm: str
    """The alarm name or ARN as written, without quotes."""


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Const | State | Not | And | Or


def alarm_name(reference: str) -> str:
    """The alarm name a rule refers to, whether written as a name or as an alarm ARN."""
    match = _ALARM_ARN.match(reference)
    return match.group(1) if match else reference


def parse(rule: str) -> Node:
    parser = _Parser(rule)
    node = parser.expression()
    parser.skip_space()
    if parser.position != len(rule):
        raise AlarmRuleError(f"unexpected {rule[parser.position :]!r} at character {parser.position + 1}")
    return node


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.position = 0

    def skip_space(self) -> None:
        while self.position < len(self.text) and self.text[self.position].isspace():
            self.position += 1

    def keyword(self, *words: str) -> str | None:
        """Consume one of `words` if it comes next as a whole word."""
        self.skip_space()
        for word in words:
            end = self.position + len(word)
            if self.text.startswith(word, self.position) and not (
                end < len(self.text) and (self.text[end].isalnum() or self.text[end] == "_")
            ):
                self.position = end
                return word
        return None

    def expect(self, character: str) -> None:
        self.skip_space()
        if not self.text.startswith(character, self.position):
            found = repr(self.text[self.position]) if self.position < len(self.text) else "the end"
            raise AlarmRuleError(f"expected {character!r} at character {self.position + 1}, found {found}")
        self.position += 1

    def expression(self) -> Node:
        operands = [self.conjunction()]
        while self.keyword("OR"):
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def conjunction(self) -> Node:
        operands = [self.negation()]
        while self.keyword("AND"):
            operands.append(self.negation())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def negation(self) -> Node:
        if self.keyword("NOT"):
            return Not(self.negation())
        return self.atom()

    def atom(self) -> Node:
        self.skip_space()
        if self.text.startswith("(", self.position):
            self.position += 1
            node = self.expression()
            self.expect(")")
            return node
        constant = self.keyword("TRUE", "FALSE")
        if constant:
            return Const(constant == "TRUE")
        state = self.keyword(*STATES)
        if state is None:
            rest = self.text[self.position : self.position + 20] or "the end"
            raise AlarmRuleError(
                f"expected ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or '(' at character {self.position + 1}, found {rest!r}"
            )
        self.expect("(")
        return State(state, self.alarm_reference())

    def alarm_reference(self) -> str:
        self.skip_space()
        if self.text.startswith('"', self.position):
            end = self.text.find('"', self.position + 1)
            if end < 0:
                raise AlarmRuleError(f"unterminated quoted alarm name at character {self.position + 1}")
            name = self.text[self.position + 1 : end]
            self.position = end + 1
            self.expect(")")
        else:
            end = self.text.find(")", self.position)
            if end < 0:
                raise AlarmRuleError(f"missing ')' after the alarm name at character {self.position + 1}")
            name = self.text[self.position : end].strip()
            self.position = end + 1
        if not name:
            raise AlarmRuleError(f"empty alarm name before character {self.position}")
        return name


def render(node: Node) -> str:
    """The rule as text, every alarm name quoted; `parse(render(n))` gives back `n` (flattened)."""
    if isinstance(node, Const):
        return "TRUE" if node.value else "FALSE"
    if isinstance(node, State):
        return f'{node.state}("{node.alarm}")'
    if isinstance(node, Not):
        inner = render(node.operand)
        return f"NOT ({inner})" if isinstance(node.operand, (And, Or)) else f"NOT {inner}"
    if isinstance(node, And):
        return " AND ".join(f"({render(o)})" if isinstance(o, (And, Or)) else render(o) for o in node.operands)
    return " OR ".join(f"({render(o)})" if isinstance(o, Or) else render(o) for o in node.operands)


def references(node: Node) -> Iterator[State]:
    if isinstance(node, State):
        yield node
    elif isinstance(node, Not):
        yield from references(node.operand)
    elif isinstance(node, (And, Or)):
        for operand in node.operands:
            yield from references(operand)


def holds(node: Node, states: Mapping[str, str]) -> bool:
    """The rule's value when each alarm (by name) is in the given state."""
    if isinstance(node, Const):
        return node.value
    if isinstance(node, State):
        return states[alarm_name(node.alarm)] == node.state
    if isinstance(node, Not):
        return not holds(node.operand, states)
    if isinstance(node, And):
        return all(holds(o, states) for o in node.operands)
    return any(holds(o, states) for o in node.operands)


def drives(node: Node, alarm: str) -> bool:
    """Whether `alarm` entering ALARM can turn the rule from false to true."""
    counts = Counter(alarm_name(r.alarm) for r in references(node))
    if alarm not in counts:
        return False
    repeated = [name for name, count in counts.items() if count > 1 and name != alarm]
    if len(repeated) > _EXACT_UP_TO:
        repeated = []
    for assignment in product(STATES, repeat=len(repeated)):
        fixed = dict(zip(repeated, assignment, strict=True))
        for prior in _ENTERED_FROM:
            if (False, True) in _outcomes(node, alarm, fixed, prior):
                return True
    return False


_Outcomes = frozenset[tuple[bool, bool]]


def _outcomes(node: Node, alarm: str, fixed: Mapping[str, str], prior: str) -> _Outcomes:
    """Every (value before, value after) the rule can take as `alarm` goes from `prior` to ALARM.

    Alarms named once vary freely and independently; those in `fixed` are held in one state.
    """
    if isinstance(node, Const):
        return frozenset({(node.value, node.value)})
    if isinstance(node, State):
        name = alarm_name(node.alarm)
        if name == alarm:
            return frozenset({(prior == node.state, node.state == "ALARM")})
        if name in fixed:
            value = fixed[name] == node.state
            return frozenset({(value, value)})
        return frozenset({(False, False), (True, True)})
    if isinstance(node, Not):
        return frozenset((not a, not b) for a, b in _outcomes(node.operand, alarm, fixed, prior))
    combine = (lambda x, y: x and y) if isinstance(node, And) else (lambda x, y: x or y)
    return reduce(
        lambda left, right: frozenset((combine(a, c), combine(b, d)) for a, b in left for c, d in right),
        (_outcomes(o, alarm, fixed, prior) for o in node.operands),
    )
