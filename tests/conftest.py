"""Shared fixtures: the project root, valid stack config, and the offline engine for components."""

from __future__ import annotations

import copy
import importlib
import inspect
import re
import runpy
import shutil
import socket
import subprocess
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from opsctl.engine import ProgramRun, Registration, load_project, load_stack_config, run_program
from opsctl.engine.project import runtime_string
from opsctl.findings import Finding

ROOT = Path(__file__).resolve().parent.parent

VALID_CONFIG: dict[str, Any] = {
    "aws:region": "eu-west-1",
    "ops-baseline:environment": "dev",
    "ops-baseline:logRetentionDays": 14,
    "ops-baseline:tags": {"owner": "platform-team"},
    "ops-baseline:alerting": {
        "emails": ["oncall@example.com", "team@example.com"],
        "smsNumbers": ["+14155550123"],
        "httpsEndpoints": ["https://pager.example.com/hook"],
        "slack": {"channel": "#alerts", "webhookUrl": "https://hooks.slack.com/services/T0/B0/abc"},
    },
}
SECRET_KEYS = ("ops-baseline:alerting",)


@pytest.fixture
def valid_config() -> dict[str, Any]:
    return copy.deepcopy(VALID_CONFIG)


def runtime_config(config: dict[str, Any]) -> dict[str, str]:
    """Config as the engine passes it to the program (the offline engine's own encoding)."""
    return {key: runtime_string(value) for key, value in config.items()}


def stack_values(stack: str) -> tuple[dict[str, str], tuple[str, ...]]:
    config = load_stack_config(load_project(ROOT), stack)
    return config.values, config.secret_keys


def run_components(build, *, mode: str = "up", config: dict[str, Any] | None = None) -> ProgramRun:
    """Run `build` (declares components) under the offline engine's mocks."""
    return run_program(build, mode=mode, config=runtime_config(config or VALID_CONFIG), secret_keys=SECRET_KEYS)


def run_stack_program(config: dict[str, Any] | None = None, mode: str = "up") -> ProgramRun:
    """The real `__main__.py` under the offline engine, with `config` as the stack's configuration."""
    return run_components(lambda: runpy.run_path(str(ROOT), run_name="__main__"), mode=mode, config=config)


def lend_pack_virtualenv(pack_dir: Path) -> Path:
    """A test pack runs from the real pack's virtualenv, where the CLI would look for its own."""
    pack_dir.mkdir(parents=True, exist_ok=True)
    (pack_dir / "venv").symlink_to(ROOT / "policies" / "venv", target_is_directory=True)
    return pack_dir


def clean_checkout(destination: Path) -> Path:
    """What a fresh clone of this tree holds: the files git tracks, as they are now."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in tracked.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    return destination


def mandatory_failures(findings: Iterable[Finding]) -> list[Finding]:
    """The mandatory findings that stop `pulumi up`: an exempted one is reported, never counted."""
    return [f for f in findings if f.level == "mandatory" and f.kind != "exempted"]


ACCESS_LOG_BUCKET_EXEMPTION = ("aws-s3-bucket-configure-kms-encryption", "access-logs-bucket")
"""The one exemption the baseline's own configs grant: S3 delivers server access logs only into an
SSE-S3 bucket, so the audit buckets' access-log store cannot use the stack's KMS key."""


def exempted(findings: Iterable[Finding]) -> set[tuple[str, str]]:
    """(policy, logical name) of each exempted finding."""
    return {(f.policy, f.subject.rsplit("::", 1)[-1]) for f in findings if f.kind == "exempted"}


def stack_key_arn(plan: ProgramRun) -> str:
    """ARN of the stack's customer-managed key."""
    return next(k.outputs["arn"] for k in plan.of_type("aws:kms/key:Key") if k.name == "keys-key")


def stack_key_by_alias(plan: ProgramRun) -> tuple[str, dict[str, str]]:
    """How role policies name the stack's key before it exists: every key of its account and region
    (its ARN with the id as `*`), narrowed to the alias that targets it (the condition's operand)."""
    key = next(k for k in plan.of_type("aws:kms/key:Key") if k.name == "keys-key")
    alias = next(a for a in plan.of_type("aws:kms/alias:Alias") if a.inputs["targetKeyId"] == key.outputs["keyId"])
    return key.outputs["arn"].rsplit("/", 1)[0] + "/*", {"kms:ResourceAliases": alias.inputs["name"]}


def only(plan: ProgramRun, type_: str) -> Registration:
    found = plan.of_type(type_)
    assert len(found) == 1, f"expected one {type_}, found {[r.name for r in found]}"
    return found[0]


def is_taggable(type_: str) -> bool:
    """Whether the pulumi-aws resource class for a type token takes a `tags` input."""
    package, module_path, class_name = type_.split(":")
    if package != "aws":
        return False
    module = importlib.import_module(f"pulumi_aws.{module_path.split('/')[0].replace('lambda', 'lambda_')}")
    resource_class = getattr(module, class_name)
    return "tags" in inspect.signature(resource_class._internal_init).parameters


@pytest.fixture(scope="session")
def moto_endpoint():
    """A moto server on 127.0.0.1 for the whole session; tests point boto3 at it with AWS_ENDPOINT_URL_<SERVICE>."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def fake_aws_credentials(monkeypatch):
    """Credentials and region for boto3 that can only ever reach the local moto server."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_REGION"):  # AWS_REGION would win over AWS_DEFAULT_REGION
        monkeypatch.delenv(name, raising=False)


def account_host_on_loopback(getaddrinfo):
    """s3control puts the account id in front of the endpoint's host (`123456789012.127.0.0.1`):
    resolve that name to the moto server's address, and nothing else differently."""

    def resolve(host, *args, **kwargs):
        if isinstance(host, str) and re.fullmatch(r"\d{12}\.127\.0\.0\.1", host):
            host = "127.0.0.1"
        return getaddrinfo(host, *args, **kwargs)

    return resolve


@pytest.fixture
def aws(moto_endpoint, fake_aws_credentials, monkeypatch):
    """A clean moto account in eu-west-1: every boto3 client in this process and in opsctl talks to it."""
    import boto3

    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")).read()
    monkeypatch.setattr(socket, "getaddrinfo", account_host_on_loopback(socket.getaddrinfo))
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")  # moto answers unimplemented calls with 500s: fail fast
    return lambda service, region="eu-west-1": boto3.client(service, region_name=region)
