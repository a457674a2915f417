"""The CLI's inputs as a team gets them wrong: the session's region (AWS_REGION, AWS_DEFAULT_REGION,
the profile, or none), an endpoint that cannot be reached, --stack names, --output paths. Each is a
clear error before any work, naming what was given and what is allowed."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsctl.cli import main
from opsctl.live import accounts
from tests.conftest import ROOT
from tests.test_live import AUDIT_CONFIG, run

LIVE_COMMANDS = {
    "audit": ["audit", "--region", "eu-west-1"],
    "verify": ["verify", "--stack", "dev", "--project-dir", str(ROOT)],
    "drill": ["drill", "--stack", "dev", "--all", "--project-dir", str(ROOT)],
}


@pytest.fixture
def no_aws_outside(fake_aws_credentials, monkeypatch) -> str:
    """Every AWS call goes to a closed port on 127.0.0.1: whatever a test runs, nothing leaves the machine."""
    url = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    return url


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def audit_report(capsys, tmp_path: Path, *extra: str) -> tuple[int, dict, str]:
    config = tmp_path / "policy.json"
    config.write_text(json.dumps(AUDIT_CONFIG))
    code, out, err = run(capsys, "audit", "--policy-config", str(config), "--format", "json", *extra)
    return code, json.loads(out) if out else {}, err


# --- the session's region ---------------------------------------------------------------------------


def test_aws_region_is_honoured_and_wins_over_aws_default_region(aws, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "us-east-2")  # AWS_DEFAULT_REGION stays eu-west-1
    _, report, err = audit_report(capsys, tmp_path)
    assert report["regions"] == ["us-east-2"]
    assert "audit: region us-east-2, from AWS_REGION" in err


def test_aws_default_region_and_the_profile_region_are_the_fallbacks(aws, capsys, tmp_path, monkeypatch):
    _, report, err = audit_report(capsys, tmp_path)
    assert report["regions"] == ["eu-west-1"] and "from AWS_DEFAULT_REGION" in err

    profile = tmp_path / "config"
    profile.write_text("[profile audit]\nregion = ap-southeast-2\n")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(profile))
    monkeypatch.setenv("AWS_PROFILE", "audit")
    _, report, err = audit_report(capsys, tmp_path)
    assert report["regions"] == ["ap-southeast-2"] and "from the region of AWS profile 'audit'" in err


@pytest.mark.parametrize("extra", [[], ["--all-regions"]], ids=["one-region", "all-regions"])
def test_no_region_anywhere_is_a_usage_error_naming_the_ways_to_give_one(
    no_aws_outside, capsys, tmp_path, monkeypatch, extra
):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    code, _, err = audit_report(capsys, tmp_path, *extra)
    assert code == 2
    assert "no AWS region to audit" in err
    for way in ("--region NAME", "AWS_REGION", "AWS_DEFAULT_REGION", "aws configure set region NAME"):
        assert way in err
    assert "us-east-1" not in err


def test_a_misspelt_session_region_names_its_source_and_the_closest_region(no_aws_outside, capsys, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-wst-1")
    code, _, err = run(capsys, "audit")
    assert code == 2
    assert "AWS_REGION: 'eu-wst-1' must be an AWS region name; did you mean 'eu-west-1'?" in err


@pytest.mark.parametrize(
    ("command", "value", "closest"),
    [("audit", "eu-wst-1", "eu-west-1"), ("audit", "us-esat-1", "us-east-1"), ("scan", "eu-centrl-1", "eu-central-1")],
)
def test_a_misspelt_region_argument_is_a_usage_error(capsys, command, value, closest):
    with pytest.raises(SystemExit) as raised:
        main([command, "--region", value])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --region: {value!r} must be an AWS region name; did you mean {closest!r}?" in err
    assert "af-south-1" in err  # the allowed regions, opt-in ones included


def test_verify_checks_the_stack_region_before_calling_its_endpoint(no_aws_outside, capsys, tmp_path):
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    stack_file = tmp_path / "Pulumi.dev.yaml"
    stack_file.write_text(stack_file.read_text().replace("aws:region: eu-west-1", "aws:region: eu-wst-1"))
    code, _, err = run(capsys, "verify", "--stack", "dev", "--project-dir", str(tmp_path))
    assert code == 2
    assert "Pulumi.dev.yaml: aws:region 'eu-wst-1' must be an AWS region name; did you mean 'eu-west-1'?" in err
    assert "cannot reach" not in err


def test_preflight_stops_on_a_misspelt_stack_region_before_the_plan(capsys, tmp_path):
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    stack_file = tmp_path / "Pulumi.dev.yaml"
    stack_file.write_text(stack_file.read_text().replace("aws:region: eu-west-1", "aws:region: eu-wst-1"))
    code, out, err = run(capsys, "preflight", "--stack", "dev", "--no-policies", "--project-dir", str(tmp_path))
    assert code == 2 and out == ""
    assert "aws:region: \"eu-wst-1\" — must be an AWS region name; did you mean 'eu-west-1'?" in err


# --- the first call: an endpoint that cannot be reached, credentials that cannot be found ------------


@pytest.mark.parametrize("command", LIVE_COMMANDS.values(), ids=LIVE_COMMANDS.keys())
def test_a_closed_port_is_named_as_the_endpoint_that_refused(no_aws_outside, capsys, command):
    code, _, err = run(capsys, *command)
    assert code == 2
    assert f"cannot reach STS at {no_aws_outside}/ (from AWS_ENDPOINT_URL): connection refused" in err
    assert "check AWS_ENDPOINT_URL, or unset it" in err
    assert "credentials" not in err


def test_an_endpoint_that_never_answers_is_given_up_on(fake_aws_credentials, silent_endpoint, capsys, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", silent_endpoint)
    monkeypatch.setattr(accounts, "PROBE_TIMEOUT", 0.5)  # the suite need not wait the real 2 x 5 s
    code, _, err = run(capsys, *LIVE_COMMANDS["audit"])
    assert code == 2
    assert (
        f"cannot reach STS at {silent_endpoint}/ (from AWS_ENDPOINT_URL): it accepted the connection but sent no "
        "answer within 0.5 s" in err
    )


NOT_AWS_ANSWERS = {
    "an empty 502, as a proxy in the way sends": (502, b"", "HTTP 502 and no AWS error"),
    "a web page": (200, b"<html><body>Sign in to the proxy</body></html>", "something"),
}


@pytest.fixture(params=NOT_AWS_ANSWERS.values(), ids=NOT_AWS_ANSWERS.keys())
def not_aws_endpoint(request) -> Iterator[tuple[str, str]]:
    """An HTTP server that answers every request, but not as AWS does; with what the error should say."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    status, body, described = request.param

    class NotAws(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), NotAws)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", described
    server.shutdown()
    server.server_close()


def test_an_endpoint_that_answers_but_not_as_aws_is_named(fake_aws_credentials, not_aws_endpoint, capsys, monkeypatch):
    url, described = not_aws_endpoint
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    monkeypatch.setattr(accounts, "PROBE_TIMEOUT", 0.5)
    code, _, err = run(capsys, *LIVE_COMMANDS["audit"])
    assert code == 2, err
    assert (
        f"the endpoint {url} (from AWS_ENDPOINT_URL) answered sts:GetCallerIdentity with {described}, not as AWS "
        "answers; check AWS_ENDPOINT_URL" in err
    )
    assert "credentials" not in err and "Traceback" not in err


def test_missing_credentials_are_named_as_such(no_aws_outside, capsys, tmp_path, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-role lookup off the machine
    for name in (
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    code, _, err = run(capsys, *LIVE_COMMANDS["audit"])
    assert code == 2 and "no AWS credentials found" in err


def test_a_profile_the_files_lack_is_named(no_aws_outside, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_PROFILE", "prdo")
    code, _, err = run(capsys, *LIVE_COMMANDS["audit"])
    assert code == 2 and "AWS profile 'prdo' (AWS_PROFILE) is not in the AWS config files" in err
    assert "Traceback" not in err


# --- --stack ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stack", ["../prod", "prod/", "/prod", "", "dev prod", "a/b/c/d", "x" * 101, "a/dev", "-org-/dev"]
)
def test_stack_names_outside_pulumis_rules_are_usage_errors(capsys, stack):
    with pytest.raises(SystemExit) as raised:
        main(["preflight", f"--stack={stack}"])
    assert raised.value.code == 2
    assert f"argument --stack: {stack!r} is not a Pulumi stack name" in capsys.readouterr().err


@pytest.mark.parametrize("stack", ["acme/dev", "acme/ops-baseline/dev"])
def test_qualified_stack_names_read_the_stacks_own_file(capsys, stack):
    code, out, err = run(
        capsys, "preflight", "--stack", stack, "--no-policies", "--project-dir", str(ROOT), "--format", "json"
    )
    assert code == 0, err
    assert json.loads(out)["stack"] == "dev"


def test_a_qualified_stack_of_another_project_is_refused(capsys):
    code, _, err = run(capsys, "cost", "--stack", "acme/payments/dev", "--project-dir", str(ROOT))
    assert code == 2
    assert "project 'payments' is not the project in" in err and "'ops-baseline'" in err


# --- --output ---------------------------------------------------------------------------------------

OUTPUT_COMMANDS = {
    "preflight": ["preflight", "--stack", "dev"],
    "scan": ["scan", "--project-dir", str(ROOT / "tests" / "programs" / "serverless-api")],
    "cost": ["cost", "--stack", "dev"],
    "conformance-pack": ["conformance-pack", "--stack", "dev"],
    "audit": ["audit", "--region", "eu-west-1"],
    "verify": ["verify", "--stack", "dev"],
    "drill": ["drill", "--stack", "dev", "--all"],
}


@pytest.mark.parametrize("command", OUTPUT_COMMANDS.values(), ids=OUTPUT_COMMANDS.keys())
def test_output_into_a_missing_directory_is_refused_before_the_run(no_aws_outside, capsys, tmp_path, command):
    target = tmp_path / "reports" / "report.txt"
    with pytest.raises(SystemExit) as raised:
        main([*command, "--output", str(target)])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --output: {str(target)!r}: the directory {str(target.parent)!r} does not exist" in err
    assert not target.parent.exists()


def test_output_onto_a_directory_is_refused(capsys, tmp_path):
    with pytest.raises(SystemExit) as raised:
        main(["cost", "--stack", "dev", "--output", str(tmp_path)])
    assert raised.value.code == 2
    assert f"argument --output: {str(tmp_path)!r} is a directory" in capsys.readouterr().err
