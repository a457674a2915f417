"""Which actions carry which service-specific condition keys, as data with its source.

A service sets its own condition keys (`sns:Endpoint`) in the request context only for the actions
AWS's Service Authorization Reference lists them under. A condition that must match a value (a
positive operator without `...IfExists`, `ForAllValues:` or `Null`) fails when its key is absent,
so a statement whose actions never carry the key grants nothing, whoever its principal is.

This is a sourced subset, not the whole reference: only the keys in CARRIED_BY are known. Any other
service-specific key is assumed to be carried by every action, so a statement conditioned on it is
judged as if the condition could hold (the verdict can only be stricter than AWS's). Add a key
only with the source that lists its actions.

Sources, read 2026-12-02 through stored copies (the reference page itself was not reachable whole):
- sns:Endpoint, sns:Protocol: the Amazon SNS Developer Guide, "Amazon SNS API permissions: Actions
  and resources reference", section "Service-specific keys" ("You can use these in policies that
  restrict access to Subscribe requests"; awsdocs/amazon-sns-developer-guide
  doc_source/sns-access-policy-language-api-permissions-reference.md @ 8ed94532), and the Service
  Authorization Reference's condition-key table for Amazon SNS, which describes both as values
  "from a Subscribe request or a previously confirmed subscription" (awsdocs/iam-user-guide
  doc_source/list_amazonsns.md @ 1b511600; https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html).
"""

from __future__ import annotations

import fnmatch

CARRIED_BY: dict[str, frozenset[str]] = {
    "sns:endpoint": frozenset({"sns:subscribe"}),
    "sns:protocol": frozenset({"sns:subscribe"}),
}
"""Condition key → the actions whose requests carry it (lower case, as IAM compares them)."""


def carried_by_any(key: str, actions: list[str]) -> bool:
    """Whether a request for one of `actions` (patterns such as `sns:*` included) can carry `key`:
    True for a key this table does not know."""
    carriers = CARRIED_BY.get(key.lower())
    if carriers is None:
        return True
    return any(fnmatch.fnmatchcase(carrier, action.lower()) for action in actions for carrier in carriers)
