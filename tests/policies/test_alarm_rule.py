"""AlarmRule grammar and the 'drives' analysis, against a brute-force evaluation of every state."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policies.guardrails.alarm_rule import (
    STATES,
    AlarmRuleError,
    And,
    Const,
    Not,
    Or,
    State,
    alarm_name,
    drives,
    holds,
    parse,
    references,
    render,
)

ARN = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:"


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("ALARM(cpu)", State("ALARM", "cpu")),
        ('ALARM("cpu high")', State("ALARM", "cpu high")),
        ("OK( cpu )", State("OK", "cpu")),
        ('INSUFFICIENT_DATA("a(b")', State("INSUFFICIENT_DATA", "a(b")),
        (f"ALARM({ARN}cpu)", State("ALARM", f"{ARN}cpu")),
        ("TRUE", Const(True)),
        ("FALSE", Const(False)),
        ("NOT ALARM(a)", Not(State("ALARM", "a"))),
        ("NOT NOT ALARM(a)", Not(Not(State("ALARM", "a")))),
        ("ALARM(a) AND ALARM(b) AND ALARM(c)", And((State("ALARM", "a"), State("ALARM", "b"), State("ALARM", "c")))),
        (
            "ALARM(a) OR ALARM(b) AND NOT ALARM(c)",
            Or((State("ALARM", "a"), And((State("ALARM", "b"), Not(State("ALARM", "c")))))),
        ),
        ("(ALARM(a) OR ALARM(b)) AND OK(c)", And((Or((State("ALARM", "a"), State("ALARM", "b"))), State("OK", "c")))),
        ("  ( ( ALARM(a) ) )  ", State("ALARM", "a")),
        ("ALARM(a)OR(ALARM(b))", Or((State("ALARM", "a"), State("ALARM", "b")))),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_grammar(rule, expected):
    assert parse(rule) == expected


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("alarm(a)", "expected ALARM"),
        ("ALARM(a", "missing ')'"),
        ('ALARM("a)', "unterminated quoted"),
        ("ALARM()", "empty alarm name"),
        ("ALARM(a) AND", "expected ALARM"),
        ("ALARM(a) XOR ALARM(b)", "unexpected 'XOR ALARM(b)'"),
        ("(ALARM(a)", "expected ')'"),
        ("ALARMING(a)", "expected ALARM"),
        ("", "expected ALARM"),
    ],
)
def test_what_the_grammar_rejects(rule, problem):
    with pytest.raises(AlarmRuleError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse(rule)


@pytest.mark.parametrize(
    ("rule", "alarm", "expected"),
    [
        ("ALARM(a)", "a", True),
        ("ALARM(a) OR ALARM(b)", "a", True),
        ("ALARM(a) AND ALARM(b)", "a", True),
        ("NOT ALARM(a)", "a", False),
        ("OK(a)", "a", False),
        ("NOT OK(a)", "a", True),
        ("INSUFFICIENT_DATA(a)", "a", False),
        ("NOT INSUFFICIENT_DATA(a)", "a", True),
        ("ALARM(a) AND FALSE", "a", False),
        ("ALARM(a) OR TRUE", "a", False),
        ("ALARM(a) AND NOT ALARM(a)", "a", False),
        ("(ALARM(a) AND ALARM(b)) AND NOT ALARM(b)", "a", False),
        ("ALARM(a) AND ALARM(b) OR NOT ALARM(b)", "b", False),
        (f'ALARM("{ARN}a")', "a", True),
        ("ALARM(b)", "a", False),
    ],
)
def test_drives(rule, alarm, expected):
    assert drives(parse(rule), alarm) is expected


def brute_force_drives(node, alarm: str) -> bool:
    names = sorted({alarm_name(r.alarm) for r in references(node)})
    others = [n for n in names if n != alarm]
    for prior in ("OK", "INSUFFICIENT_DATA"):
        for assignment in itertools.product(STATES, repeat=len(others)):
            states = dict(zip(others, assignment, strict=True))
            if not holds(node, {**states, alarm: prior}) and holds(node, {**states, alarm: "ALARM"}):
                return True
    return False


names = st.sampled_from(["a", "b", "c", "d", "cpu high", "x(y", f"{ARN}a"])


def rules(max_leaves=8):
    leaves = st.one_of(st.builds(State, st.sampled_from(STATES), names), st.builds(Const, st.booleans()))
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.builds(Not, children),
            st.builds(And, st.lists(children, min_size=2, max_size=3).map(tuple)),
            st.builds(Or, st.lists(children, min_size=2, max_size=3).map(tuple)),
        ),
        max_leaves=max_leaves,
    )


@settings(max_examples=500, deadline=None)
@given(rules())
def test_render_then_parse_gives_the_rule_back(node):
    assert parse(render(node)) == node


@settings(max_examples=500, deadline=None)
@given(rules())
def test_drives_agrees_with_every_state_of_every_alarm(node):
    for alarm in {alarm_name(r.alarm) for r in references(node)}:
        assert drives(node, alarm) is brute_force_drives(node, alarm), (render(node), alarm)
