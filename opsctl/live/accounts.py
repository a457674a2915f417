"""Where an audit looks: the accounts (the caller's, an assumed role's, or every account of an
organization through a role of the same name in each) and the regions, each with boto3 clients that
retry adaptively. The standard credential chain and `AWS_ENDPOINT_URL` apply, so a moto server
stands in for AWS in tests. The first call, the caller's identity, proves AWS is reachable within
a bounded wait, and its failure says what failed: the connection (to which endpoint), or the
credentials."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

from settings.regions import region_problem

from ..engine import EngineError

REGION_SOURCES = ("AWS_REGION", "AWS_DEFAULT_REGION")
"""Environment variables that name the session's region, in the AWS CLI's order (its bundled
botocore reads AWS_REGION first); boto3's botocore reads only AWS_DEFAULT_REGION, then the profile."""
PROBE_TIMEOUT = 5
"""Seconds to connect, and to wait for the answer, on the first call: STS answers in well under one."""
PROBE_ATTEMPTS = 2
"""The first call is tried twice (one transient failure forgiven), then the run stops."""


def retries() -> Config:
    """Adaptive retries (client-side rate limiting under throttling); AWS_MAX_ATTEMPTS overrides the 10 attempts."""
    attempts = int(os.environ.get("AWS_MAX_ATTEMPTS") or 10)
    return Config(retries={"mode": "adaptive", "max_attempts": attempts}, connect_timeout=10, read_timeout=30)


def probe() -> Config:
    """The first call's bounded wait: an endpoint that refuses, or accepts and never answers, fails
    in seconds (the adaptive retries above would wait 11-27 s on it), whatever AWS_MAX_ATTEMPTS says above 2."""
    attempts = min(PROBE_ATTEMPTS, int(os.environ.get("AWS_MAX_ATTEMPTS") or PROBE_ATTEMPTS))
    return Config(
        retries={"mode": "standard", "total_max_attempts": attempts},
        connect_timeout=PROBE_TIMEOUT,
        read_timeout=PROBE_TIMEOUT,
    )


def session_region() -> tuple[str, str] | None:
    """The session's region and where it is set: AWS_REGION, AWS_DEFAULT_REGION, then the profile's
    `region`; None when nothing names one. A name botocore does not list is an error naming its source."""
    named = next(((os.environ[v], v) for v in REGION_SOURCES if os.environ.get(v)), None)
    if named is None:
        session = base_session()
        if not session.region_name:
            return None
        named = (session.region_name, f"the region of AWS profile {session.profile_name!r}")
    region, source = named
    problem = region_problem(region)
    if problem:
        raise EngineError(f"{source}: {region!r} {problem}")
    return named


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
    _facts: dict[str, Any] = field(default_factory=dict)
    _facts_lock: threading.Lock = field(default_factory=threading.Lock)

    def fact(self, key: str, compute: Callable[[], Any]) -> Any:
        """An account-wide fact, computed once however many regional views ask for it."""
        with self._facts_lock:
            if key not in self._facts:
                self._facts[key] = compute()
            return self._facts[key]

    def client(self, service: str, region: str) -> Any:
        assert self.session is not None, self.problem
        with self._lock:  # sessions are not thread-safe; the clients they make are
            key = (service, region)
            if key not in self._clients:
                self._clients[key] = self.session.client(service, region_name=region, config=retries())
            return self._clients[key]


def error_code(error: Exception) -> str:
    return error.response.get("Error", {}).get("Code", "") if isinstance(error, ClientError) else type(error).__name__


def base_session() -> boto3.Session:
    """The session of the standard chain; a profile it names that the files lack is an error, not a traceback."""
    try:
        return boto3.Session()
    except ProfileNotFound as error:
        raise EngineError(
            f"AWS profile {error.kwargs['profile']!r} (AWS_PROFILE) is not in the AWS config files: "
            "`aws configure list-profiles` lists those there are"
        ) from None


def caller_account(session: boto3.Session, region: str) -> str:
    """The account of the session's credentials; the first call of every run, so a bounded one."""
    sts = session.client("sts", region_name=region, config=probe())
    try:
        return sts.get_caller_identity()["Account"]
    except CONNECTION_ERRORS as error:
        raise EngineError(unreachable("STS", error)) from None
    except (ResponseParserError, KeyError):  # botocore's parser meets a body that is not STS's XML
        raise EngineError(not_aws(sts, "something")) from None
    except NoCredentialsError:
        raise EngineError(
            "no AWS credentials found (environment, AWS_PROFILE and the shared files, SSO, container or instance "
            "role): configure some, e.g. `aws configure` or `aws sso login`"
        ) from None
    except ClientError as error:
        if not error_code(error).isalpha():  # an HTTP status where AWS names its error
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", error_code(error))
            raise EngineError(not_aws(sts, f"HTTP {status} and no AWS error")) from None
        raise EngineError(
            f"cannot identify the AWS account: sts:GetCallerIdentity failed ({error_code(error)}): check the credentials"
        ) from None
    except BotoCoreError as error:
        raise EngineError(f"cannot identify the AWS account: sts:GetCallerIdentity failed ({error})") from None


def not_aws(sts: Any, answer: str) -> str:
    """Something answered, but not as AWS does: a proxy, or an endpoint URL that is not an AWS API."""
    return (
        f"the endpoint {sts.meta.endpoint_url}{endpoint_origin('STS')} answered sts:GetCallerIdentity with {answer}, "
        f"not as AWS answers; {endpoint_fix('STS')}"
    )


CONNECTION_ERRORS = (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError, ConnectionClosedError)


def unreachable(service: str, error: BotoCoreError) -> str:
    """What failed on the way to an endpoint: which one, where it comes from, and how."""
    endpoint = getattr(error, "kwargs", {}).get("endpoint_url", "its endpoint")
    if isinstance(error, ReadTimeoutError):
        how = f"it accepted the connection but sent no answer within {PROBE_TIMEOUT} s"
    elif isinstance(error, ConnectTimeoutError):
        how = f"no connection within {PROBE_TIMEOUT} s"
    elif isinstance(error, ConnectionClosedError):
        how = "it closed the connection without an answer"
    else:
        how = os_reason(error) or "the connection failed"
    return f"cannot reach {service} at {endpoint}{endpoint_origin(service)}: {how}; {endpoint_fix(service)}"


def configured_endpoint(service: str) -> str | None:
    """The environment variable that set the service's endpoint, if one did."""
    names = (f"AWS_ENDPOINT_URL_{service.upper()}", "AWS_ENDPOINT_URL")
    return next((name for name in names if os.environ.get(name)), None)


def endpoint_origin(service: str) -> str:
    configured = configured_endpoint(service)
    return f" (from {configured})" if configured else ""


def endpoint_fix(service: str) -> str:
    configured = configured_endpoint(service)
    if configured:
        return f"check {configured}, or unset it to use AWS's endpoints"
    return "check the network, the proxy settings (HTTPS_PROXY) and any endpoint_url of the AWS profile"


def os_reason(error: BaseException) -> str:
    """The operating system's words for a failed connection (`Connection refused`, `Name or service not
    known`), found down the chain of causes botocore and urllib3 wrap it in."""
    seen: BaseException | None = error.kwargs.get("error") if isinstance(error, BotoCoreError) else error
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror[:1].lower() + seen.strerror[1:]
        seen = seen.__cause__ or seen.__context__
    return ""


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
    base = base_session()
    caller = caller_account(base, region)
    if role_arn:
        session = assumed(base, role_arn, region)
        yield Account(caller_account(session, region), session)
        return
    if not org_role:
        yield Account(caller, base)
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
