"""CloudWatch Logs resource policies let AWS services deliver logs, and open logs to nobody else.

A logs resource policy (account-wide, or on one log group through `resourceArn`) is how Route 53,
OpenSearch, EventBridge and the vended-log services write into log groups. It is judged as the
topic and queue policies are: `*` and unpinned service principals fail, since any account's use of
that service would match; AWS recommends aws:SourceAccount / aws:SourceArn on these statements.

A principal naming an AWS account fails too unless `trustedAccounts` lists it: another account
reads or receives this account's logs through a subscription destination or an Observability
Access Manager link, which the owner of the logs sets up, not through this policy; and the
policy's own account needs no grant here (its identity policies already apply). The account is
not known to the pack before deploy, so the audit, which knows it, trusts it.

No AWS Config managed rule, Security Hub control or checkov check judges logs resource policies.
"""

from collections.abc import Mapping
from typing import Any

from ...checks import SERVICE_PRINCIPALS, document_check, public_access
from ...documents import Exposure, Grant, accounts_let_in
from ...live import LiveAudit, LiveFacts
from ...model import Guardrail, Parameter, References
from ...props import Props
from ...vocabulary.tokens import LOG_RESOURCE_POLICY

TRUSTED_ACCOUNTS = Parameter(
    "trustedAccounts",
    {"type": "array", "items": {"type": "string", "pattern": r"^\d{12}$"}, "default": []},
    "Account ids a logs resource policy may name as principals (e.g. a central logging account).",
)


def log_access(document: Mapping[str, Any], config: Mapping[str, Any], unknown_pins: bool) -> Exposure:
    public = public_access(document, config, unknown_pins)
    named = accounts_let_in(document, frozenset(config["trustedAccounts"]))
    untrusted = tuple(Grant(g.statement, f"{g.who}, which trustedAccounts does not list") for g in named.grants)
    return Exposure(public.grants + untrusted, public.undecided)


def policy_document(props: Props) -> list[str]:
    return ["policyDocument"]


def account_config(config: Mapping[str, Any], live: LiveFacts) -> Mapping[str, Any]:
    """The policy's own account, known live, is trusted."""
    return {**config, "trustedAccounts": [*config["trustedAccounts"], live.account]}


GUARDRAIL = Guardrail(
    name="aws-cloudwatch-logresourcepolicy-disallow-public-access",
    description="CloudWatch Logs resource policies let in AWS services pinned to the caller's account or resource, "
    "and no other account unless trusted.",
    severity="critical",
    resource_types=(LOG_RESOURCE_POLICY,),
    remediation_steps="Grant the delivering service principal (e.g. route53.amazonaws.com) with aws:SourceAccount or "
    "aws:SourceArn; share logs with another account through a subscription destination or an OAM link, or list it in "
    "trustedAccounts.",
    # No AWS Config managed rule, Security Hub control or checkov check judges logs resource policies.
    references=References(),
    check=document_check(
        "Log resource policy",
        log_access,
        "grant AWS services only, pinned with aws:SourceAccount or aws:SourceArn, and accounts listed in trustedAccounts.",
        paths=policy_document,
    ),
    parameters=(SERVICE_PRINCIPALS, TRUSTED_ACCOUNTS),
    resolves_references=True,
    audit=LiveAudit(types=(LOG_RESOURCE_POLICY,), account_config=account_config),
)
