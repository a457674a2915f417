"""What a bucket's lifecycle expires, read from every pulumi-aws v7 spelling: the separate
`BucketLifecycleConfiguration` (and its `...V2` twin) with a `filter` block or the deprecated
rule-level `prefix`, and the deprecated inline `lifecycleRules` of `Bucket` (one `expiration`
block per rule) and `BucketV2` (lists of them). Numbers are read as the provider coerces them
("30"); a value unknown until deploy stays UNKNOWN."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ...model import StackResource, StackView
from ...props import MISSING, UNKNOWN, Props
from ...vocabulary.tokens import S3_BUCKET_LIFECYCLE, S3_BUCKET_LIFECYCLE_V2, S3_BUCKET_V2
from .buckets import settings_of

LIFECYCLE_SETTINGS = (S3_BUCKET_LIFECYCLE, S3_BUCKET_LIFECYCLE_V2)


@dataclass(frozen=True)
class Filter:
    """The objects a rule applies to: every condition must hold (S3 ANDs them)."""

    prefixes: tuple[Any, ...] = ()
    """Key prefixes, each a string or UNKNOWN."""
    tags: Any = ()
    """(key, value) pairs the object must carry (either may be UNKNOWN), or UNKNOWN as a whole."""
    larger_than: tuple[Any, ...] = ()
    """objectSizeGreaterThan: bytes the object must exceed (a number, or UNKNOWN)."""
    smaller_than: tuple[Any, ...] = ()
    """objectSizeLessThan: bytes the object must stay under (a number, or UNKNOWN)."""


@dataclass(frozen=True)
class LifecycleRule:
    where: str
    """The rule as a reader finds it: `<configuration> rule '<id>'` or `<bucket> lifecycleRules[0]`."""
    enabled: Any
    """True, False or UNKNOWN: only an Enabled rule acts."""
    filter: Any
    """A Filter, or UNKNOWN."""
    expiration: Any
    """When current versions expire (`30 days after creation`, `on 2026-01-01`), None, or UNKNOWN."""
    noncurrent_expiration: Any
    """When noncurrent versions are deleted (`1 day after they become noncurrent`), None, or UNKNOWN."""


def unknown_rules(where: str) -> LifecycleRule:
    return LifecycleRule(where, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN)


def _days(count: float, after: str) -> str:
    return f"{int(count)} day{'s' if count != 1 else ''} after {after}"


def _positive(props: Props, path: str) -> Any:
    """A whole number of days or bytes the provider would send, or MISSING (absent, 0, or a value
    it rejects, so the rule never deploys), or UNKNOWN."""
    value = props.whole_number(path)
    if value is UNKNOWN:
        return UNKNOWN
    return value if isinstance(value, float) and value > 0 else MISSING


def _first(values: Iterable[Any]) -> Any:
    """The first decided value of several blocks; UNKNOWN when one is unknown and none is decided."""
    values = list(values)
    decided = [v for v in values if v not in (None, UNKNOWN)]
    if decided:
        return decided[0]
    return UNKNOWN if UNKNOWN in values else None


def expiration(props: Props, block: str) -> Any:
    days = _positive(props, f"{block}.days")
    if days not in (MISSING, UNKNOWN):
        return _days(days, "creation")
    date = props.peek(f"{block}.date")
    if isinstance(date, str) and date:
        return f"on {date}"
    return UNKNOWN if days is UNKNOWN or date is UNKNOWN else None


def noncurrent_expiration(props: Props, days_path: str) -> Any:
    days = _positive(props, days_path)
    if days is UNKNOWN:
        return UNKNOWN
    return None if days is MISSING else _days(days, "they become noncurrent")


def _prefixes(props: Props, *paths: str) -> tuple[Any, ...]:
    """The prefixes set at `paths` (UNKNOWN where unknown); an empty prefix filters nothing."""
    found = (props.peek(path) for path in paths)
    return tuple(p for p in found if p is UNKNOWN or (isinstance(p, str) and p))


def _tag_pairs(tags: Any) -> Any:
    if tags is UNKNOWN:
        return UNKNOWN
    return tuple(tags.items()) if isinstance(tags, Mapping) else ()


def _sizes(props: Props, *paths: str) -> tuple[Any, ...]:
    return tuple(v for v in (_positive(props, p) for p in paths) if v is not MISSING)


def configured_filter(props: Props, rule: str) -> Any:
    """A BucketLifecycleConfiguration rule's filter: `filter` (prefix, tag, sizes, `and`), else the
    deprecated rule-level `prefix`; no filter at all is the whole bucket."""
    block = f"{rule}.filter"
    if props.peek(block) is UNKNOWN or props.peek(f"{block}.and") is UNKNOWN:
        return UNKNOWN
    if props.peek(block) is MISSING:
        return Filter(prefixes=_prefixes(props, f"{rule}.prefix"))
    both = f"{block}.and"
    tag_key, tag_value = props.peek(f"{block}.tag.key"), props.peek(f"{block}.tag.value")
    single = () if tag_key is MISSING else ((tag_key, tag_value),)
    combined = _tag_pairs(props.plain(f"{both}.tags", record=False))
    return Filter(
        prefixes=_prefixes(props, f"{block}.prefix", f"{both}.prefix"),
        tags=UNKNOWN if combined is UNKNOWN else single + combined,
        larger_than=_sizes(props, f"{block}.objectSizeGreaterThan", f"{both}.objectSizeGreaterThan"),
        smaller_than=_sizes(props, f"{block}.objectSizeLessThan", f"{both}.objectSizeLessThan"),
    )


def _blocks(props: Props, path: str) -> list[str] | None:
    """Paths of the elements of a list of blocks; None while the list is unknown."""
    count = props.count(path)
    return None if count is UNKNOWN else [f"{path}[{i}]" for i in range(count)]


def configured_rule(setting: StackResource, rule: str) -> LifecycleRule:
    props = setting.props
    rule_id, status = props.peek(f"{rule}.id"), props.peek(f"{rule}.status")
    return LifecycleRule(
        f"{setting.name} rule {rule_id!r}" if isinstance(rule_id, str) and rule_id else f"{setting.name} {rule}",
        UNKNOWN if status is UNKNOWN else status == "Enabled",
        configured_filter(props, rule),
        expiration(props, f"{rule}.expiration"),
        noncurrent_expiration(props, f"{rule}.noncurrentVersionExpiration.noncurrentDays"),
    )


def configured_rules(setting: StackResource) -> list[LifecycleRule]:
    rules = _blocks(setting.props, "rules")
    if rules is None:
        return [unknown_rules(f"{setting.name} rules")]
    return [configured_rule(setting, rule) for rule in rules]


def inline_rule(bucket: StackResource, rule: str) -> LifecycleRule:
    """A deprecated `lifecycleRules` entry: one `expiration` and `noncurrentVersionExpiration`
    block on a Bucket, lists of them (`expirations`, `noncurrentVersionExpirations`) on a BucketV2."""
    props = bucket.props
    if bucket.type == S3_BUCKET_V2:
        current, noncurrent = (
            _blocks(props, f"{rule}.expirations"),
            _blocks(props, f"{rule}.noncurrentVersionExpirations"),
        )
    else:
        current, noncurrent = [f"{rule}.expiration"], [f"{rule}.noncurrentVersionExpiration"]
    enabled = props.flag(f"{rule}.enabled")
    return LifecycleRule(
        f"{bucket.name} {rule}",
        UNKNOWN if enabled is UNKNOWN else enabled is True,
        Filter(prefixes=_prefixes(props, f"{rule}.prefix"), tags=_tag_pairs(props.plain(f"{rule}.tags", record=False))),
        UNKNOWN if current is None else _first(expiration(props, b) for b in current),
        UNKNOWN if noncurrent is None else _first(noncurrent_expiration(props, f"{b}.days") for b in noncurrent),
    )


def inline_rules(bucket: StackResource) -> list[LifecycleRule]:
    rules = _blocks(bucket.props, "lifecycleRules")
    if rules is None:
        return [unknown_rules(f"{bucket.name} lifecycleRules")]
    return [inline_rule(bucket, rule) for rule in rules]


def lifecycle_rules(stack: StackView, bucket: StackResource) -> list[LifecycleRule] | None:
    """Every lifecycle rule that may act on the bucket: with an inline block and configurations
    together, the last one applied wins, so each counts. None while it is unknown which
    configurations apply."""
    settings = settings_of(stack, bucket, LIFECYCLE_SETTINGS)
    if settings is None:
        return None
    return [*inline_rules(bucket), *(rule for setting in settings for rule in configured_rules(setting))]
