"""What `opsctl audit` knows about a guardrail, kept on the guardrail: which live types its readers
produce for the check (or why it cannot judge it live), how the account's own facts set its
parameters, and its safe fix.

The pack runs without boto3: nothing here imports it or opsctl. A fix acts through the account it
is given (`client(service, region)`); the audit catches what the call raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class LiveResource(Protocol):
    """A resource as the audit read it (opsctl/live/inventory.py): wire-form props, where it lives."""

    @property
    def name(self) -> str: ...
    @property
    def arn(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def props(self) -> Mapping[str, Any]: ...


class LiveAccount(Protocol):
    """The account a fix changes (opsctl/live/accounts.py): boto3 clients by service and region."""

    def client(self, service: str, region: str) -> Any: ...


@dataclass(frozen=True)
class LiveFacts:
    """What the audit knows about the account and region it judges, beyond the resources."""

    account: str
    region: str
    trail_elsewhere: str = ""
    """A logging multi-region trail homed in another region that records every management event
    here (its name), or empty."""
    global_types_home: str = ""
    """The region whose configuration recorder records global resource types, or empty."""


@dataclass(frozen=True)
class LiveFix:
    """A safe, reversible change for a violation: one setting turned on (or a too-short value
    raised) with one API call that can be undone; nothing deleted, replaced or made more open."""

    action: str
    """The API action, as the proposal shows it (`logs:PutRetentionPolicy`)."""
    propose: Callable[[LiveResource, Mapping[str, Any]], str | None]
    """The change it proposes for this resource under the guardrail's parameters, or None when no
    safe fix applies."""
    apply: Callable[[LiveAccount, LiveResource, Mapping[str, Any]], None]
    target: str = ""
    """Type token of the resource the fix changes when it is not the finding's subject: the one of
    that type in the finding's region (a recorder's status, to start a stopped recorder)."""


def setting_off(
    off: Callable[[Mapping[str, Any]], bool], change: str
) -> Callable[[LiveResource, Mapping[str, Any]], str | None]:
    """A fix's proposal that turns one setting on: `change` when the resource's props show it off."""
    return lambda resource, config: change if off(resource.props) else None


@dataclass(frozen=True)
class LiveAudit:
    """How `opsctl audit` judges the guardrail in a deployed account: the pack's own check on the
    live resources of `types`, as the audit's readers produce them; or, when it cannot, why not."""

    types: tuple[str, ...] = ()
    """Type tokens the readers produce that the check judges (some of the guardrail's resource types)."""
    not_audited: str = ""
    """Why the audit does not judge it, and where to get the same answer (then no `types`)."""
    account_config: Callable[[Mapping[str, Any], LiveFacts], Mapping[str, Any]] | None = None
    """The config with what the account itself decides (its id, a trail homed elsewhere), from the
    config with defaults applied."""
    fix: LiveFix | None = None
    pending_deletion: bool = False
    """Also judges resources scheduled for deletion (a KMS key pending deletion: what still uses
    it); the audit shows them to no other guardrail."""
    trails_elsewhere: bool = False
    """A region without a multi-region trail of its own is judged on those homed elsewhere: each
    that does not cover it is a violation here."""
    starts_from: tuple[str, ...] = ()
    """Types the check finds its subjects through (the audit-bucket rule: the trails and delivery
    channels that write to a bucket): a view whose readers read none of them has nothing for it to
    judge, so it is skipped there and none of the view's other resources counts as checked."""
