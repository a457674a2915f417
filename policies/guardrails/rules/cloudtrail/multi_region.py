"""Trails record every region, including global service events (IAM, STS), and every read and
write management event (CloudTrail.1)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...checks import all_of, forbid_false, require_true
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...props import MISSING, UNKNOWN, Invalid, Props, contains_unknown
from ...vocabulary.tokens import TRAIL

READ_WRITE = frozenset({"ReadOnly", "WriteOnly"})
"""What a selector records of management events: both halves make "All"."""


def _basic_coverage(props: Props) -> tuple[set[str], list[str]]:
    """Read/write halves the basic event selectors record, and what they exclude."""
    covered: set[str] = set()
    gaps: list[str] = []
    selectors = props.items("eventSelectors")
    for index, _ in enumerate(selectors):
        where = f"eventSelectors[{index}]"
        included = props.flag(f"{where}.includeManagementEvents")
        if included is UNKNOWN or included is False or isinstance(included, Invalid):
            continue
        kind = props.get(f"{where}.readWriteType")
        if kind is UNKNOWN:
            continue
        covered |= READ_WRITE if kind in (MISSING, "All") else {kind} & READ_WRITE
        excluded = props.count(f"{where}.excludeManagementEventSources")
        if excluded not in (0, UNKNOWN):
            sources = props.plain(f"{where}.excludeManagementEventSources")
            gaps.append(f"{where}.excludeManagementEventSources leaves out {sources}")
    return covered, gaps


def _field(props: Props, where: str, name: str) -> list[Mapping[str, Any]]:
    """The field selectors of one advanced selector that filter on `name` (plain values)."""
    fields = props.plain(f"{where}.fieldSelectors")
    if contains_unknown(fields):
        props.undecided(f"{where}.fieldSelectors")
        return []
    if not isinstance(fields, list):
        return []
    return [f for f in fields if isinstance(f, Mapping) and f.get("field") == name]


def _advanced_coverage(props: Props) -> tuple[set[str], list[str]]:
    """Read/write halves the advanced selectors record as management events, and what they exclude."""
    covered: set[str] = set()
    gaps: list[str] = []
    for index, _ in enumerate(props.items("advancedEventSelectors")):
        where = f"advancedEventSelectors[{index}]"
        category = _field(props, where, "eventCategory")
        if not any("Management" in (c.get("equals") or ()) for c in category):
            continue  # a data-event selector
        halves = set(READ_WRITE)
        for read_only in _field(props, where, "readOnly"):
            values = read_only.get("equals") or ()
            halves &= {"ReadOnly" if v == "true" else "WriteOnly" for v in values if v in ("true", "false")}
        covered |= halves
        for source in _field(props, where, "eventSource"):
            if source.get("notEquals"):
                gaps.append(f"{where} leaves out management events of {source['notEquals']}")
    return covered, gaps


def management_events_gaps(props: Props) -> list[str]:
    """Why a trail does not record every read and write management event (empty: it does). With
    no selectors CloudTrail records all of them; advanced selectors replace the basic ones. Parts
    that are unknown are recorded on `props` and claim nothing."""
    unknown_before = len(props.unknown_paths)
    advanced = props.count("advancedEventSelectors")
    if advanced is UNKNOWN or (advanced == 0 and props.count("eventSelectors") in (0, UNKNOWN)):
        return []
    covered, gaps = _advanced_coverage(props) if advanced else _basic_coverage(props)
    if len(props.unknown_paths) > unknown_before:
        return gaps
    spelling = "advancedEventSelectors" if advanced else "eventSelectors"
    missing = READ_WRITE - covered
    if missing == READ_WRITE:
        gaps.insert(0, f"its {spelling} record no management events")
    elif missing:
        kept, lost = ("ReadOnly", "write") if missing == {"WriteOnly"} else ("WriteOnly", "read")
        gaps.insert(0, f"its {spelling} record {kept} management events only, no {lost} events")
    return gaps


def check_management_events(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    gaps = management_events_gaps(props)
    if gaps:
        yield f"Trail does not record every read and write management event, as CloudTrail.1 requires: {'; '.join(gaps)}."


GUARDRAIL = Guardrail(
    name="aws-cloudtrail-trail-enable-multi-region",
    description="CloudTrail trails record every region, global service events and every read and write management event.",
    severity="high",
    resource_types=(TRAIL,),
    remediation_steps="Set isMultiRegionTrail = true, leave includeGlobalServiceEvents on, and record management events "
    "with readWriteType All (or one selector each for ReadOnly and WriteOnly) and no excluded event sources.",
    references=References(
        config_rule=ConfigRule(
            "MULTI_REGION_CLOUD_TRAIL_ENABLED", periodic=True, static_parameters={"readWriteType": "ALL"}
        ),
        cis=("3.1",),
        security_hub=("CloudTrail.1",),
        checkov=("CKV_AWS_67",),
    ),
    check=all_of(
        require_true(
            "isMultiRegionTrail", "Trail isMultiRegionTrail is {value}; set it true so every region is recorded."
        ),
        forbid_false(
            "includeGlobalServiceEvents",
            "Trail includeGlobalServiceEvents is {value}; IAM and STS events would be lost.",
        ),
        check_management_events,
    ),
    audit=LiveAudit(types=(TRAIL,), trails_elsewhere=True),
)
