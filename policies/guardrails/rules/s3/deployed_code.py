"""No resource deploys code from an S3 object that a lifecycle rule of the same stack expires.

A canary, function or job keeps pointing at its object (and often a pinned version) long after
the deploy; when a lifecycle rule removes it, the next create or code update fails. Current-version
expiration removes an object from its key; noncurrent-version expiration deletes a pinned version
once it is superseded. A filter condition the stack cannot evaluate (the size of an uploaded file,
the tags of an object it does not declare) is taken to match, and the message says so: a prefix
is what keeps deploy-time objects apart. AWS Config has no managed rule for this: only the pack
checks it, before deploy.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ...live import LiveAudit
from ...model import Guardrail, References, StackResource, StackView, Undecided, Violation
from ...props import MISSING, UNKNOWN, top_level
from ...vocabulary.tokens import (
    BEANSTALK_APPLICATION_VERSION,
    FLINK_APPLICATION,
    GAMELIFT_BUILD,
    GAMELIFT_SCRIPT,
    GLUE_JOB,
    LAMBDA_FUNCTION,
    LAMBDA_LAYER_VERSION,
    MSK_CONNECT_PLUGIN,
    S3_OBJECT,
    S3_OBJECT_V2,
    SYNTHETICS_CANARY,
)
from .buckets import BUCKETS
from .lifecycle import LIFECYCLE_SETTINGS, Filter, LifecycleRule, configured_rules, lifecycle_rules

OBJECTS = (S3_OBJECT, S3_OBJECT_V2)


@dataclass(frozen=True)
class CodeSource:
    """Where a resource type names the S3 object it deploys from (wire-form paths)."""

    type: str
    noun: str
    bucket: str
    """The bucket's name, its ARN (form `arn`) or an `s3://bucket/key` URI (form `uri`, no key path)."""
    key: str | None = None
    version: str | None = None
    form: Literal["name", "arn", "uri"] = "name"


FLINK_CODE = "applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation"
SOURCES = (
    CodeSource(LAMBDA_FUNCTION, "Lambda function", "s3Bucket", "s3Key", "s3ObjectVersion"),
    CodeSource(LAMBDA_LAYER_VERSION, "Lambda layer version", "s3Bucket", "s3Key", "s3ObjectVersion"),
    CodeSource(SYNTHETICS_CANARY, "Synthetics canary", "s3Bucket", "s3Key", "s3Version"),
    CodeSource(BEANSTALK_APPLICATION_VERSION, "Elastic Beanstalk application version", "bucket", "key"),
    CodeSource(GLUE_JOB, "Glue job", "command.scriptLocation", form="uri"),
    CodeSource(
        FLINK_APPLICATION,
        "Managed Flink application",
        f"{FLINK_CODE}.bucketArn",
        f"{FLINK_CODE}.fileKey",
        f"{FLINK_CODE}.objectVersion",
        form="arn",
    ),
    CodeSource(
        MSK_CONNECT_PLUGIN,
        "MSK Connect custom plugin",
        "location.s3.bucketArn",
        "location.s3.fileKey",
        "location.s3.objectVersion",
        form="arn",
    ),
    CodeSource(
        GAMELIFT_BUILD,
        "GameLift build",
        "storageLocation.bucket",
        "storageLocation.key",
        "storageLocation.objectVersion",
    ),
    CodeSource(
        GAMELIFT_SCRIPT,
        "GameLift script",
        "storageLocation.bucket",
        "storageLocation.key",
        "storageLocation.objectVersion",
    ),
)


def location(source: CodeSource, resource: StackResource) -> tuple[Any, Any]:
    """(bucket name, key) as the resource names them: strings, UNKNOWN, or MISSING (not from S3)."""
    bucket = resource.props.peek(source.bucket)
    if source.form == "uri":
        if bucket is UNKNOWN:
            return UNKNOWN, UNKNOWN
        if not isinstance(bucket, str) or not bucket.startswith("s3://") or "/" not in bucket[5:]:
            return MISSING, MISSING
        name, path = bucket[5:].split("/", 1)
        return name, path or MISSING
    if bucket is not UNKNOWN and not (isinstance(bucket, str) and bucket):
        return MISSING, MISSING
    if source.form == "arn" and isinstance(bucket, str) and ":::" in bucket:
        bucket = bucket.split(":::", 1)[1]
    key = resource.props.peek(source.key) if source.key else MISSING
    return bucket, (key if key is UNKNOWN or (isinstance(key, str) and key) else MISSING)


def pinned(source: CodeSource, resource: StackResource, obj: StackResource | None) -> Any:
    """Whether the reference pins a version: True, False or UNKNOWN. A version computed from the
    stack's own object is that object's versionId, a pin."""
    if source.version is None:
        return False
    version = resource.props.peek(source.version)
    if version is UNKNOWN:
        return (
            True
            if obj is not None and obj.urn in resource.property_dependencies.get(top_level(source.version), ())
            else UNKNOWN
        )
    return isinstance(version, str) and bool(version)


@dataclass(frozen=True)
class S3Object:
    """What a lifecycle filter reads of the object."""

    key: Any
    """A string or UNKNOWN."""
    tags: Mapping[str, Any] | None
    """Its tags; None when the stack does not declare the object."""
    all_tags_known: Any
    """Whether `tags` holds every tag (with the provider's defaults): True, False or UNKNOWN."""
    size: int | None
    """Bytes, when the stack gives the content itself."""


def object_facts(obj: StackResource | None, key: Any) -> S3Object:
    if obj is None:
        return S3Object(key, None, False, None)
    props = obj.props
    if key is UNKNOWN:
        declared = props.peek("key")
        key = declared if isinstance(declared, str) else UNKNOWN
    every_tag = props.plain("tagsAll", record=False)
    own = props.plain("tags", record=False)
    own = own if isinstance(own, Mapping) else {}
    if isinstance(every_tag, Mapping):
        return S3Object(key, {**own, **every_tag}, True, content_size(obj))
    return S3Object(key, own, UNKNOWN if every_tag is UNKNOWN else True, content_size(obj))


def content_size(obj: StackResource) -> int | None:
    content, encoded = obj.props.peek("content"), obj.props.peek("contentBase64")
    if isinstance(content, str):
        return len(content.encode())
    if isinstance(encoded, str):
        try:
            return len(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            return None
    return None


def every(*verdicts: Any) -> Any:
    """Three-valued AND over True, False and UNKNOWN."""
    if any(v is False for v in verdicts):
        return False
    return UNKNOWN if any(v is UNKNOWN for v in verdicts) else True


def carries(obj: S3Object, key: Any, value: Any, notes: list[str]) -> Any:
    if key is UNKNOWN or value is UNKNOWN:
        return UNKNOWN
    if obj.tags is None:
        notes.append(
            "the stack does not declare the object, so its tags are unknown and the tag filter is taken to match"
        )
        return True
    found = obj.tags.get(key, MISSING) if isinstance(key, str) else MISSING
    if found is UNKNOWN:
        return UNKNOWN
    if found is not MISSING:
        return found == value
    return False if obj.all_tags_known is True else UNKNOWN


def within(obj: S3Object, filter_: Filter, notes: list[str]) -> Any:
    limits = [*filter_.larger_than, *filter_.smaller_than]
    if not limits:
        return True
    if UNKNOWN in limits:
        return UNKNOWN
    if obj.size is None:
        notes.append("its size is not known before upload, so the size filter is taken to match")
        return True
    return all(obj.size > n for n in filter_.larger_than) and all(obj.size < n for n in filter_.smaller_than)


def matches(filter_: Any, obj: S3Object, notes: list[str]) -> Any:
    if filter_ is UNKNOWN:
        return UNKNOWN
    prefixes = [UNKNOWN if UNKNOWN in (p, obj.key) else obj.key.startswith(p) for p in filter_.prefixes]
    tags = [UNKNOWN] if filter_.tags is UNKNOWN else [carries(obj, k, v, notes) for k, v in filter_.tags]
    return every(*prefixes, *tags, within(obj, filter_, notes))


def effects(rule: LifecycleRule, obj: S3Object, pin: Any) -> tuple[list[str], bool]:
    """What the rule surely does to the object, and whether it may do more (unknown values)."""
    if rule.enabled is False:
        return [], False
    notes: list[str] = []
    match = matches(rule.filter, obj, notes)
    done, doubtful = [], False
    for after, needs_pin, action in (
        (rule.expiration, False, "expires it {after}"),
        (rule.noncurrent_expiration, True, "deletes its noncurrent versions {after}"),
    ):
        if after is None:
            continue
        verdict = every(rule.enabled, match, UNKNOWN if after is UNKNOWN else True, pin if needs_pin else True)
        if verdict is True:
            done.append(action.format(after=after))
        doubtful = doubtful or verdict is UNKNOWN
    if done and notes:
        done[-1] += f" ({'; '.join(dict.fromkeys(notes))})"
    return done, doubtful


def bucket_shown(name: Any, buckets: list[StackResource]) -> str:
    if isinstance(name, str):
        return name
    physical = buckets[0].props.peek("bucket")
    return physical if isinstance(physical, str) else f"<{buckets[0].name}>"


class Deployments:
    """The stack's buckets, objects and lifecycle rules, indexed once per check, and the verdict on
    each resource that deploys code from S3."""

    def __init__(self, stack: StackView):
        self.stack = stack
        self.buckets = stack.of_type(*BUCKETS)
        self.settings = stack.of_type(*LIFECYCLE_SETTINGS)
        self.objects_by_key: dict[str, list[StackResource]] = {}
        for obj in stack.of_type(*OBJECTS):
            key = obj.props.peek("key")
            if isinstance(key, str):
                self.objects_by_key.setdefault(key, []).append(obj)
        self.rules_by_bucket: dict[str, list[LifecycleRule] | None] = {}

    def buckets_named(self, resource: StackResource, path: str, name: Any) -> tuple[list[StackResource], bool]:
        """The stack's buckets a reference may name, and whether it surely names them: by its
        value, else by the bucket (or the object in a bucket) it was computed from. ([], True): a
        bucket outside the stack."""
        sources = self.stack.referenced(resource, top_level(path), *BUCKETS)
        if name is UNKNOWN:
            found = {b.urn: b for b in sources}
            for obj in self.stack.referenced(resource, top_level(path), *OBJECTS):
                found.update((b.urn, b) for b in self.buckets_named(obj, "bucket", obj.props.peek("bucket"))[0])
            return (list(found.values()), True) if len(found) == 1 else (list(found.values()) or self.buckets, False)
        if not isinstance(name, str):
            return [], True
        named = [b for b in self.buckets if b.props.peek("bucket") == name]
        if named:
            return named, True
        unnamed = [b for b in self.buckets if b.props.peek("bucket") is UNKNOWN]
        sourced = [b for b in unnamed if b.urn in {s.urn for s in sources}]
        return (sourced, True) if sourced else (unnamed, not unnamed)

    def declared_object(
        self, source: CodeSource, resource: StackResource, buckets: list[StackResource], key: Any
    ) -> StackResource | None:
        """The stack's object resource the reference points at: the one its key or version was
        computed from, else one with the same key in the same bucket."""
        for path in (source.key, source.version, source.bucket):
            found = self.stack.referenced(resource, top_level(path), *OBJECTS) if path else []
            if len(found) == 1:
                return found[0]
        urns = {b.urn for b in buckets}
        for obj in self.objects_by_key.get(key, []) if isinstance(key, str) else []:
            held_in, _ = self.buckets_named(obj, "bucket", obj.props.peek("bucket"))
            if urns & {b.urn for b in held_in}:
                return obj
        return None

    def lifecycles(self, buckets: list[StackResource], name: Any) -> list[tuple[str, list[LifecycleRule] | None]]:
        """(bucket label, its rules or None while unknown) for the stack's buckets; for a bucket
        outside the stack, the rules of the stack's lifecycle configurations that name it."""
        if buckets:
            for b in buckets:
                if b.urn not in self.rules_by_bucket:
                    self.rules_by_bucket[b.urn] = lifecycle_rules(self.stack, b)
            return [(f"bucket {b.name!r}", self.rules_by_bucket[b.urn]) for b in buckets]
        settings = [s for s in self.settings if isinstance(name, str) and s.props.peek("bucket") == name]
        return [(f"bucket {name!r}", [rule for s in settings for rule in configured_rules(s)])] if settings else []

    def judge(self, source: CodeSource, resource: StackResource) -> Iterator[Violation | Undecided]:
        name, key = location(source, resource)
        if name is MISSING or key is MISSING:
            return
        buckets, certain = self.buckets_named(resource, source.bucket, name)
        obj = self.declared_object(source, resource, buckets, key)
        facts = object_facts(obj, key)
        pin = pinned(source, resource, obj)
        hits, doubts = [], []
        for label, rules in self.lifecycles(buckets, name):
            if rules is None:
                doubts.append(f"the lifecycle configuration of {label}")
                continue
            for rule in rules:
                done, doubtful = effects(rule, facts, pin)
                if done and certain:
                    hits.append(f"{rule.where} of {label} {' and '.join(done)}")
                elif done or doubtful:
                    doubts.append(rule.where)
        if hits:
            key_shown = facts.key if isinstance(facts.key, str) else "<key unknown until deploy>"
            version = " (a pinned version)" if pin is True else ""
            yield Violation(
                f"{source.noun} {resource.name!r} deploys from s3://{bucket_shown(name, buckets)}/{key_shown}{version}, "
                f"which {'; '.join(hits)}. Once it is gone, creating the resource again or updating its code fails; "
                "keep deploy-time objects under a prefix that no expiring lifecycle rule filters, or narrow the rule "
                "so it cannot match them.",
                resource.urn,
            )
        elif doubts:
            yield Undecided(
                f"{resource.name}: whether {' or '.join(dict.fromkeys(doubts))} expires the object it deploys from "
                "is unknown until deploy",
                resource.urn,
            )


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    deployments = Deployments(stack)
    for source in SOURCES:
        for resource in stack.of_type(source.type):
            yield from deployments.judge(source, resource)


GUARDRAIL = Guardrail(
    name="aws-s3-bucketlifecycle-exclude-deployed-code",
    description="No S3 object a resource deploys code from (a function, layer, canary, application version, job script, plugin or build) is expired by a lifecycle rule of the same stack, nor is a version it pins deleted as noncurrent.",
    severity="medium",
    kind="stack",
    resource_types=(*BUCKETS, *LIFECYCLE_SETTINGS, *OBJECTS, *(s.type for s in SOURCES)),
    remediation_steps="Upload deploy-time objects under a prefix (e.g. code/) that no lifecycle rule with expiration or noncurrentVersionExpiration filters, and scope the expiring rules to the data they are for with filter.prefix (e.g. runs/ for canary artifacts); or keep the code in a bucket without expiring rules.",
    references=References(),
    check=check,
    audit=LiveAudit(
        not_audited="bucket lifecycles and the S3 objects that functions and canaries deploy from are not read live, and AWS Config has no managed rule for it; the pack judges it before every deploy"
    ),
)
