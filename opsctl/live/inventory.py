"""Live resources in the shape the guardrails read: pulumi-aws type tokens and wire-form properties
(camelCase names, the same nesting), so the audit judges them with the pack's own rule functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .accounts import ACCESS_DENIED, Account, error_code

GLOBAL = "global"
"""The region label of an account-wide view (S3 buckets, listed once per account)."""


@dataclass(frozen=True)
class LiveResource:
    type: str
    """pulumi-aws type token, e.g. `aws:cloudwatch/logGroup:LogGroup`."""
    name: str
    """The name a person knows it by; exemptions match it."""
    arn: str
    """Its ARN where it has one, else its identifier."""
    props: dict[str, Any]
    region: str
    """Where it lives (an S3 bucket's own region in the account-wide view)."""


@dataclass(frozen=True)
class ReadError:
    service: str
    action: str
    code: str
    types: tuple[str, ...]
    """Type tokens left unread: guardrails that read them are not judged in this view."""

    @property
    def denied(self) -> bool:
        return self.code in ACCESS_DENIED

    def describe(self) -> str:
        cause = "access denied" if self.denied else "failed"
        return f"{self.service}:{self.action} {cause} ({self.code})"


@dataclass
class Inventory:
    """What was read in one account and region (or the account-wide view)."""

    account: str
    region: str
    resources: list[LiveResource] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)
    """Facts readers pass to the judge, e.g. a multi-region trail homed in another region."""

    def unread(self) -> set[str]:
        return {t for e in self.errors for t in e.types}


Reader = Callable[[Account, str, Inventory], Iterable[LiveResource]]


@dataclass(frozen=True)
class Source:
    """One reader: the service it calls and the type tokens it produces."""

    service: str
    types: tuple[str, ...]
    read: Reader
    scope: str = "regional"
    """`regional`, or `global` for services read once per account (S3)."""


def collect(source: Source, account: Account, region: str, inventory: Inventory) -> None:
    """Run a reader; an API error (access denied, throttling past the retries) becomes a ReadError."""
    try:
        inventory.resources.extend(source.read(account, region, inventory))
    except (ClientError, BotoCoreError) as error:
        operation = getattr(error, "operation_name", "") or "call"
        inventory.errors.append(ReadError(source.service, operation, error_code(error), source.types))


def partition(region: str) -> str:
    """The ARN partition a region belongs to."""
    return "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"


def pages(client: Any, operation: str, key: str, **arguments: Any) -> Iterator[Any]:
    """Every item under `key` of every page of `operation`."""
    for page in client.get_paginator(operation).paginate(**arguments):
        yield from page.get(key, [])
