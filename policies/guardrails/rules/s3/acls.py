"""Bucket ACLs that open a bucket to everyone, in every v7 spelling: a bucket's canned `acl` and its
`grants` (Bucket and BucketV2: `{type, uri, permissions}`), and the separate BucketAcl / BucketAclV2
(`acl`, `accessControlPolicy.grants[..].{permission, grantee}`).

As S3.2 / S3.3 judge them: the canned ACLs public-read and public-read-write grant the AllUsers group,
authenticated-read the AuthenticatedUsers group (any AWS account), and a grant to either group
is public whatever its permission. The bucket's public access block decides what S3 then does:
blockPublicAcls makes S3 refuse the public ACL (PutBucketAcl, or CreateBucket with it, fails),
ignorePublicAcls makes S3 ignore it; neither makes the ACL private, so it is still reported, with
what S3 will do."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...model import StackResource
from ...props import MISSING, UNKNOWN, Props, text

PUBLIC_GROUPS = {"allusers": "everyone (AllUsers)", "authenticatedusers": "any AWS account (AuthenticatedUsers)"}
CANNED = {
    "public-read": ("allusers", ("READ",)),
    "public-read-write": ("allusers", ("READ", "WRITE")),
    "authenticated-read": ("authenticatedusers", ("READ",)),
}
"""Canned ACLs that grant a public group, with what they grant it (S3's canned ACL table)."""


@dataclass(frozen=True)
class PublicGrant:
    where: str
    """The prop that holds it, e.g. `acl` or `grants[1]`."""
    who: str
    permissions: tuple[str, ...]


def _group(uri: Any) -> str | None:
    """The public group a grantee URI names (`http://acs.amazonaws.com/groups/global/AllUsers`)."""
    name = text(uri) and uri.rstrip("/").rsplit("/", 1)[-1].lower()
    return name if name in PUBLIC_GROUPS else None


def _listed(value: Any) -> list[Any]:
    if value in (MISSING, UNKNOWN):
        return []
    return list(value) if isinstance(value, list) else [value]


def public_grants(props: Props) -> tuple[list[PublicGrant], list[str]]:
    """The public grants of one resource's ACL, and the props whose unknown value could hold one."""
    found: list[PublicGrant] = []
    unknown: list[str] = []
    acl = props.get("acl")
    if acl is UNKNOWN:
        unknown.append("acl")
    elif text(acl) and acl.lower() in CANNED:
        canned_group, permissions = CANNED[acl.lower()]
        found.append(PublicGrant(f"acl {acl!r}", PUBLIC_GROUPS[canned_group], permissions))
    for path, uri_path, permissions_path in _grant_paths(props, unknown):
        uri = props.get(uri_path)
        if uri is UNKNOWN:
            unknown.append(uri_path)
        elif group := _group(uri):
            permissions = props.plain(permissions_path)
            if permissions is UNKNOWN:
                unknown.append(permissions_path)
            found.append(PublicGrant(path, PUBLIC_GROUPS[group], tuple(str(p) for p in _listed(permissions))))
    return found, unknown


def _grant_paths(props: Props, unknown: list[str]) -> Iterator[tuple[str, str, str]]:
    """(grant, grantee URI, permissions) paths of every grant, in both spellings."""
    for grants, uri, permissions in (
        ("grants", "uri", "permissions"),
        ("accessControlPolicy.grants", "grantee.uri", "permission"),
    ):
        count = props.count(grants)
        if count is UNKNOWN:
            unknown.append(grants)
            continue
        for i in range(count):
            yield f"{grants}[{i}]", f"{grants}[{i}].{uri}", f"{grants}[{i}].{permissions}"


def what_s3_does(blocks: list[StackResource] | None) -> str:
    """What the bucket's public access blocks make S3 do with a public ACL, as a clause ('' for nothing)."""
    if not blocks:
        return ""
    if all(b.props.flag("blockPublicAcls") is True for b in blocks):
        return "; its public access block has blockPublicAcls on, so S3 refuses this ACL and the deploy fails"
    if all(b.props.flag("ignorePublicAcls") is True for b in blocks):
        return "; its public access block has ignorePublicAcls on, so S3 ignores this ACL until the block changes"
    return ""
