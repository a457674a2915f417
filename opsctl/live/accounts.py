"""Where an audit looks: the accounts (the caller's, an assumed role's, or every account of an
organization through a role of the same name in each) and the regions, each with boto3 clients that
retry adaptively. The standard credential chain and `AWS_ENDPOINT_URL` apply, so a moto server
stands in for AWS in tests."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ..engine import EngineError


def retries() -> Config:
    """Adaptive retries (client-side rate limiting under throttling); AWS_MAX_ATTEMPTS overrides the 10 attempts."""
    attempts = int(os.environ.get("AWS_MAX_ATTEMPTS") or 10)
    return Config(retries={"mode": "adaptive", "max_attempts": attempts}, connect_timeout=10, read_timeout=30)


ACCESS_DENIED = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "AuthorizationError",
        "UnauthorizedOperation",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "ExpiredToken",
    }
)


@dataclass
class Account:
    """One account's session; clients are made once per (service, region) and shared by threads."""

    id: str
    session: boto3.Session | None
    problem: str = ""
    """Why the account could not be entered (its role could not be assumed); audited as an error."""
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, service: str, region: str) -> Any:
        assert self.session is not None, self.problem
        with self._lock:  # sessions are not thread-safe; the clients they make are
            key = (service, region)
            if key not in self._clients:
                self._clients[key] = self.session.client(service, region_name=region, config=retries())
            return self._clients[key]


def error_code(error: Exception) -> str:
    return error.response.get("Error", {}).get("Code", "") if isinstance(error, ClientError) else type(error).__name__


def caller_account(session: boto3.Session, region: str) -> str:
    try:
        return session.client("sts", region_name=region, config=retries()).get_caller_identity()["Account"]
    except (ClientError, BotoCoreError) as error:
        raise EngineError(f"cannot identify the AWS account ({error_code(error)}): check the credentials") from None


def assumed(session: boto3.Session, role_arn: str, region: str) -> boto3.Session:
    try:
        credentials = session.client("sts", region_name=region, config=retries()).assume_role(
            RoleArn=role_arn, RoleSessionName="opsctl-audit"
        )["Credentials"]
    except (ClientError, BotoCoreError) as error:
        raise EngineError(f"cannot assume {role_arn} ({error_code(error)})") from None
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def accounts(*, region: str, role_arn: str | None = None, org_role: str | None = None) -> Iterator[Account]:
    """The caller's account; the account of `role_arn`; or, with `org_role`, every active account of
    the organization through `arn:<partition>:iam::<account>:role/<org_role>`."""
    base = boto3.Session()
    if role_arn:
        session = assumed(base, role_arn, region)
        yield Account(caller_account(session, region), session)
        return
    if not org_role:
        yield Account(caller_account(base, region), base)
        return
    try:
        pages = base.client("organizations", region_name=region, config=retries()).get_paginator("list_accounts")
        members = [a for page in pages.paginate() for a in page["Accounts"] if a.get("Status") == "ACTIVE"]
    except (ClientError, BotoCoreError) as error:
        raise EngineError(f"cannot list the organization's accounts ({error_code(error)})") from None
    for member in members:
        role = f"arn:{member['Arn'].split(':')[1]}:iam::{member['Id']}:role/{org_role}"
        try:
            yield Account(member["Id"], assumed(base, role, region))
        except EngineError as error:  # one account's missing role must not stop the others
            yield Account(member["Id"], None, str(error))


def enabled_regions(account: Account, region: str) -> list[str]:
    try:
        answer = account.client("ec2", region).describe_regions(AllRegions=False)
    except (ClientError, BotoCoreError) as error:
        raise EngineError(f"cannot list the regions of account {account.id} ({error_code(error)})") from None
    return sorted(r["RegionName"] for r in answer["Regions"])
