"""IAM Identity Center permission sets: each becomes an IAM role in every account it is assigned
to. Its inline policy (`inlinePolicy`) and AWS-managed policies (`managedPolicyArn[s]`) are read
where the other identity policies are (checks.document_paths, attachments); this module reads the
customer-managed policies it names by name and path (`customerManagedPolicyReference[s]`, and a
boundary's `permissionsBoundary.customerManagedPolicyReference`), which must exist under that name
in each of those accounts. Where the stack declares that policy, its document is what the
permission set gets."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .documents import DocumentError, Exposure, read_document
from .model import StackResource, StackView, Undecided, Violation
from .props import MISSING, UNKNOWN, text, unknown_reason
from .vocabulary.tokens import (
    IAM_POLICY,
    SSO_CUSTOMER_MANAGED_POLICY_ATTACHMENT,
    SSO_CUSTOMER_MANAGED_POLICY_ATTACHMENTS_EXCLUSIVE,
    SSO_PERMISSIONS_BOUNDARY_ATTACHMENT,
)

GRANTING_REFERENCES = (SSO_CUSTOMER_MANAGED_POLICY_ATTACHMENT, SSO_CUSTOMER_MANAGED_POLICY_ATTACHMENTS_EXCLUSIVE)
"""Types that give a permission set a customer-managed policy by name."""
BOUNDARY = "permissionsBoundary"


def reference_paths(resource: StackResource) -> list[str]:
    """Where the resource names customer-managed policies (each a `{name, path}` block)."""
    props = resource.props
    if resource.type == SSO_PERMISSIONS_BOUNDARY_ATTACHMENT:
        return [f"{BOUNDARY}.customerManagedPolicyReference"]
    count = props.count("customerManagedPolicyReferences")
    listed = [f"customerManagedPolicyReferences[{i}]" for i in range(count if isinstance(count, int) else 0)]
    return ["customerManagedPolicyReference", *listed]


def _iam_path(value: Any) -> Any:
    """An IAM path as IAM stores it: `/` when left out."""
    return "/" if value in (MISSING, "") else value


def named_policies(stack: StackView, resource: StackResource, path: str) -> Any:
    """The stack's IAM policies the reference at `path` names: by dependency while its name is
    unknown, else by name and path. UNKNOWN when that cannot be decided before deploy."""
    name = resource.props.peek(f"{path}.name")
    if name is MISSING:
        return []
    if name is UNKNOWN:
        origins = resource.props.resolved(path, IAM_POLICY)
        if not origins:
            return UNKNOWN
        return [r for o in origins for r in stack.by_urn.get(o.urn, ()) if r.type == IAM_POLICY]
    wanted = (name, _iam_path(resource.props.peek(f"{path}.path")))
    found = []
    for policy in stack.of_type(IAM_POLICY):
        declared = (policy.props.peek("name"), _iam_path(policy.props.peek("path")))
        if declared == wanted:
            found.append(policy)
    return found


def referenced_document_findings(
    stack: StackView,
    judge: Callable[[Mapping[str, Any]], Exposure],
    ask: str,
    types: tuple[str, ...],
) -> Iterator[Violation | Undecided]:
    """A violation on each reference (of `types`) to a policy of the stack whose document `judge`
    objects to, naming the policy; undecided where the policy or its document is not known yet."""
    for resource in stack.of_type(*types):
        undecided: list[str] = []
        for path in reference_paths(resource):
            policies = named_policies(stack, resource, path)
            if policies is UNKNOWN:
                undecided.append(f"{path}.name")
                continue
            for policy in policies:
                document = policy.props.plain("policy", record=False)
                if document is UNKNOWN:
                    undecided.append(f"{path} ({policy.name}'s policy)")
                    continue
                try:
                    found = judge(read_document(document))
                except DocumentError:
                    continue  # the policy's own verdict names it
                label = text(policy.props.peek("name")) or policy.name
                for grant in found.grants:
                    yield Violation(
                        f"{path} gives the permission set the stack's IAM policy {label}, whose statement "
                        f"{grant.statement} {grant.who}; {ask}",
                        resource.urn,
                    )
                if found.undecided:
                    undecided.append(f"{path} ({label} statements {', '.join(found.undecided)})")
        if undecided:
            yield Undecided(f"{resource.name}: {unknown_reason(undecided)}", resource.urn)
