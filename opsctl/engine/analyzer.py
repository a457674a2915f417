"""Drive a CrossGuard policy pack over the analyzer gRPC protocol, the way the Pulumi engine does.

The pack starts as the CLI starts a Python pack (language_host.py: its own virtualenv, command
line, working directory and environment) and prints its port. The engine then calls Handshake,
ConfigureStack, GetAnalyzerInfo and Configure; Remediate and Analyze for each resource, with the
resource's options and provider; AnalyzeStack once over the whole state; Cancel at shutdown. A pack
that answers UNIMPLEMENTED to Handshake, Remediate, AnalyzeStack or Cancel is not an error, as in
the engine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, overload

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from policies.guardrails.catalog import BY_NAME, config_conflicts
from policies.guardrails.scope import SELECTION, exemption_problems, selected
from policies.guardrails.spelling import did_you_mean

from .errors import EngineError
from .language_host import StackContext, ensure_virtualenv, pack_launch
from .mocks import Registration

LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "disabled": analyzer_pb2.DISABLED,
    "remediate": analyzer_pb2.REMEDIATE,
}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}
SEVERITY_NAMES = {0: "", 1: "low", 2: "medium", 3: "high", 4: "critical"}
START_TIMEOUT_S = 60.0
"""A cold start imports grpc and pulumi; allow for a slow CI machine."""
CALL_TIMEOUT_S = 120.0
"""Longest wait for any one answer: a resource takes milliseconds, AnalyzeStack over thousands of
resources a few seconds; past this the pack is taken to be stuck."""
ALL = "all"


def _struct(values: Mapping[str, Any] | struct_pb2.Struct) -> struct_pb2.Struct:
    if isinstance(values, struct_pb2.Struct):
        return values
    message = struct_pb2.Struct()
    json_format.ParseDict(dict(values), message)
    return message


def resource_options(registration: Registration) -> analyzer_pb2.AnalyzerResourceOptions:
    options = registration.options
    create, update, delete = options.custom_timeouts
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=options.protect,
        ignoreChanges=list(options.ignore_changes),
        deleteBeforeReplace=bool(options.delete_before_replace),
        deleteBeforeReplaceDefined=options.delete_before_replace is not None,
        additionalSecretOutputs=list(options.additional_secret_outputs),
        aliases=list(options.aliases),
        customTimeouts=analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(create=create, update=update, delete=delete),
        parent=registration.parent or "",
    )


@overload
def provider_resource(provider: Registration) -> analyzer_pb2.AnalyzerProviderResource: ...
@overload
def provider_resource(provider: None) -> None: ...
@overload
def provider_resource(provider: Registration | None) -> analyzer_pb2.AnalyzerProviderResource | None: ...
def provider_resource(provider: Registration | None) -> analyzer_pb2.AnalyzerProviderResource | None:
    if provider is None:
        return None
    return analyzer_pb2.AnalyzerProviderResource(
        type=provider.type, properties=_struct(provider.inputs), urn=provider.urn, name=provider.name
    )


def analyze_request(
    registration: Registration,
    props: Mapping[str, Any] | struct_pb2.Struct,
    provider: analyzer_pb2.AnalyzerProviderResource | None = None,
) -> analyzer_pb2.AnalyzeRequest:
    """What the engine sends to Remediate and Analyze for one resource."""
    return analyzer_pb2.AnalyzeRequest(
        type=registration.type,
        properties=_struct(props),
        urn=registration.urn,
        name=registration.name,
        options=resource_options(registration),
        provider=provider,
    )


def stack_resource(
    registration: Registration,
    outputs: Mapping[str, Any] | struct_pb2.Struct | None = None,
    provider: analyzer_pb2.AnalyzerProviderResource | None = None,
) -> analyzer_pb2.AnalyzerResource:
    """One resource of the AnalyzeStack request: its outputs, options, provider, parent and dependencies."""
    return analyzer_pb2.AnalyzerResource(
        type=registration.type,
        properties=_struct(registration.outputs if outputs is None else outputs),
        urn=registration.urn,
        name=registration.name,
        options=resource_options(registration),
        provider=provider,
        parent=registration.parent or "",
        dependencies=list(registration.dependencies),
        propertyDependencies={
            k: analyzer_pb2.AnalyzerPropertyDependencies(urns=list(v))
            for k, v in registration.property_dependencies.items()
        },
    )


def configure_request(
    config: Mapping[str, tuple[str, Mapping[str, Any]]], all_level: str | None = None
) -> analyzer_pb2.ConfigureAnalyzerRequest:
    """`config`: policy name → (enforcement level, properties with defaults applied). The engine
    also passes on the config file's `all` entry, as a policy of its own."""
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    entries = {**config, **({ALL: (all_level, {})} if all_level in LEVELS else {})}
    for name, (level, properties) in entries.items():
        request.policyConfig[name].CopyFrom(
            analyzer_pb2.PolicyConfig(enforcementLevel=LEVELS[level], properties=_struct(properties))
        )
    return request


def configure_stack_request(context: StackContext) -> analyzer_pb2.AnalyzerStackConfigureRequest:
    """The stack as ConfigureStack carries it: config decrypted, its secret keys named."""
    return analyzer_pb2.AnalyzerStackConfigureRequest(
        stack=context.stack,
        project=context.project,
        organization=context.organization,
        dry_run=context.dry_run,
        config=dict(context.config),
        config_secret_keys=list(context.secret_keys),
        tags=dict(context.tags),
    )


def _unless_unimplemented(call: Callable[[], Any]) -> Any:
    """The engine's rule for the optional calls: UNIMPLEMENTED means the pack does without."""
    try:
        return call()
    except grpc.RpcError as error:
        if error.code() == grpc.StatusCode.UNIMPLEMENTED:
            return None
        raise


class PackOutput:
    """One output stream of the pack, read to its end on a thread of its own (a pipe nobody reads
    fills up and stops the pack mid-call); the last lines are kept for error messages. On stdout
    the first line that is a number is the port."""

    def __init__(self, stream) -> None:
        self.tail: deque[str] = deque(maxlen=200)
        self.port: int | None = None
        self.port_read = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True, name="pack-output")
        self._thread.start()

    def _read(self, stream) -> None:
        with stream:  # closed once the pack has exited and the pipe is drained
            for line in stream:
                if self.port is None and line.strip().isdigit():
                    self.port = int(line)
                    self.port_read.set()
                else:
                    self.tail.append(line)
        self.port_read.set()  # the stream ended: no port will come

    def text(self) -> str:
        self._thread.join(timeout=2)
        return "".join(self.tail).strip()[-2000:]


class PolicyPack:
    """A pack process and its analyzer client; use as a context manager.

    The process starts at once; the first call waits for it to print its port, so a caller can
    start the pack and do other work (run the program) while it imports. Every call has a
    deadline: a pack that stops answering fails the run, it does not hang it.
    """

    def __init__(
        self,
        pack_dir: Path,
        context: StackContext,
        *,
        constraints: Path | None = None,
        virtualenv: Path | None = None,
        announce: Callable[[str], None] = lambda text: print(f"preflight: {text}", file=sys.stderr),
    ):
        launch = pack_launch(pack_dir, virtualenv)
        ensure_virtualenv(launch, constraints, announce)
        self.pack_dir = launch.pack_dir
        self.context = context
        self.command = launch.command()
        try:
            self.process: subprocess.Popen = launch.start(context)
        except OSError as error:
            raise EngineError(f"cannot start the policy pack with {self.command[0]}: {error.strerror}") from None
        self.stdout = PackOutput(self.process.stdout)
        self.stderr = PackOutput(self.process.stderr)

    @cached_property
    def channel(self) -> grpc.Channel:
        return grpc.insecure_channel(f"127.0.0.1:{self._read_port()}")

    @cached_property
    def stub(self) -> analyzer_pb2_grpc.AnalyzerStub:
        return analyzer_pb2_grpc.AnalyzerStub(self.channel)

    def _read_port(self) -> int:
        self.stdout.port_read.wait(timeout=START_TIMEOUT_S)
        if self.stdout.port is not None:
            return self.stdout.port
        self._stop()
        raise EngineError(f"the policy pack in {self.pack_dir} did not start:\n{self.stderr.text()}")

    def __enter__(self) -> PolicyPack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if "channel" in self.__dict__:  # connected
            self.channel.close()
        self._stop()

    def _stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def start(self) -> None:
        """What the engine sends before it asks about policies: the stack. (The CLI's proxy in
        front of the pack answers Handshake itself; the pack never sees it.)"""
        _unless_unimplemented(
            lambda: self.stub.ConfigureStack(configure_stack_request(self.context), timeout=CALL_TIMEOUT_S)
        )

    def info(self) -> analyzer_pb2.AnalyzerInfo:
        return self.stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=CALL_TIMEOUT_S)

    def configure(self, config: Mapping[str, tuple[str, Mapping[str, Any]]], all_level: str | None = None) -> None:
        self.stub.Configure(configure_request(config, all_level), timeout=CALL_TIMEOUT_S)

    def remediate(
        self, registration: Registration, props: Mapping[str, Any], provider: Registration | None = None
    ) -> analyzer_pb2.RemediateResponse:
        request = analyze_request(registration, props, provider_resource(provider))
        return self.stub.Remediate(request, timeout=CALL_TIMEOUT_S)

    def analyze(
        self, registration: Registration, props: Mapping[str, Any], provider: Registration | None = None
    ) -> analyzer_pb2.AnalyzeResponse:
        request = analyze_request(registration, props, provider_resource(provider))
        return self.stub.Analyze(request, timeout=CALL_TIMEOUT_S)

    def remediate_later(self, request: bytes) -> grpc.Future:
        """Send one serialized AnalyzeRequest to Remediate without waiting; the future's result is
        the serialized RemediateResponse."""
        return self._in_bytes["Remediate"].future(request, timeout=CALL_TIMEOUT_S)

    def analyze_later(self, request: bytes) -> grpc.Future:
        """Send one serialized AnalyzeRequest without waiting; the future's result is the serialized
        response. Bytes both ways keep thousands of answers small while they wait to be read."""
        return self._in_bytes["Analyze"].future(request, timeout=CALL_TIMEOUT_S)

    @cached_property
    def _in_bytes(self) -> dict[str, grpc.UnaryUnaryMultiCallable]:
        return {
            method: self.channel.unary_unary(f"/pulumirpc.Analyzer/{method}") for method in ("Remediate", "Analyze")
        }

    def analyze_stack(self, registrations: Iterable[Registration]) -> analyzer_pb2.AnalyzeResponse:
        return self.analyze_state(
            analyzer_pb2.AnalyzeStackRequest(resources=[stack_resource(r) for r in registrations])
        )

    def analyze_state(self, request: analyzer_pb2.AnalyzeStackRequest) -> analyzer_pb2.AnalyzeResponse:
        answer = _unless_unimplemented(lambda: self.stub.AnalyzeStack(request, timeout=CALL_TIMEOUT_S))
        return answer or analyzer_pb2.AnalyzeResponse()

    def cancel(self) -> None:
        _unless_unimplemented(lambda: self.stub.Cancel(empty_pb2.Empty(), timeout=CALL_TIMEOUT_S))


def load_pack_config(path: Path | None) -> dict[str, Any]:
    """Read a `--policy-pack-config` file: {"all": level, "<policy>": level | {enforcementLevel, ...}}."""
    if path is None:
        return {}
    try:
        document = json.loads(path.read_text())
    except FileNotFoundError:
        raise EngineError(f"policy config {path} not found") from None
    except json.JSONDecodeError as error:
        raise EngineError(f"policy config {path}: not valid JSON (line {error.lineno}: {error.msg})") from None
    if not isinstance(document, dict):
        raise EngineError(f"policy config {path}: expected a JSON object of policy names")
    return document


def resolve_config(
    info: analyzer_pb2.AnalyzerInfo, given: Mapping[str, Any], source: str
) -> dict[str, tuple[str, dict[str, Any]]]:
    """Per-policy (level, properties) the way the engine computes them: `all`, then the policy's
    own entry; schema defaults under the given properties; every value checked against the schema,
    once per place it fails; then what the config contradicts itself in, as the pack would refuse it."""
    problems: list[str] = []
    policies = {p.name: p for p in info.policies}
    for key in given:
        if key != ALL and key not in policies:
            problems.append(
                f"{source}: unknown policy {key!r}; {did_you_mean(key, policies)}the pack {info.name} has "
                f"{pack_contents(policies)}"
            )
    all_level = given.get(ALL)
    if all_level is not None and all_level not in LEVELS:
        problems.append(f"{source}: all: {json.dumps(all_level)} is not one of {', '.join(LEVELS)}")
        all_level = None
    resolved: dict[str, tuple[str, dict[str, Any]]] = {}
    schema_valid: set[str] = set()
    for name, policy in policies.items():
        entry = given.get(name, {})
        if isinstance(entry, str):
            entry = {"enforcementLevel": entry}
        if not isinstance(entry, dict):
            problems.append(f"{source}: {name}: expected a level or an object, got {json.dumps(entry)}")
            continue
        level = entry.get("enforcementLevel", all_level or LEVEL_NAMES[policy.enforcementLevel])
        if level not in LEVELS:
            problems.append(f"{source}: {name}.enforcementLevel: {json.dumps(level)} is not one of {', '.join(LEVELS)}")
        schema = (
            as_written(json_format.MessageToDict(policy.configSchema.properties))
            if policy.HasField("configSchema")
            else {}
        )
        properties = {k: v["default"] for k, v in schema.items() if "default" in v}
        before = len(problems)
        for key, value in entry.items():
            if key == "enforcementLevel":
                continue
            if key not in schema:
                allowed = ", ".join(sorted(schema)) or "none"
                problems.append(f"{source}: {name}.{key}: unknown parameter (allowed: {allowed})")
                continue
            problems += [f"{source}: {name}.{key}{problem}" for problem in schema_problems(schema[key], value)]
            properties[key] = value
        if len(problems) == before:
            schema_valid.add(name)
        problems += [f"{source}: {p}" for p in exemption_problems(name, properties.get("exemptions") or [], today())]
        resolved[name] = (level, properties)
    conflicts = config_conflicts({name: resolved[name][1] for name in schema_valid})
    problems += [f"{source}: {c}" for c in conflicts]
    if problems:
        raise EngineError("invalid policy configuration:\n" + "\n".join(f"  - {p}" for p in problems))
    return apply_selection(resolved)


def pack_contents(policies: Iterable[str]) -> str:
    """What a pack holds, guardrails counted as guardrails and its settings entries named."""
    names = list(policies)
    guardrails = sum(name in BY_NAME for name in names)
    if not guardrails:
        return f"{len(names)} policies"
    others = [name for name in names if name not in BY_NAME]
    return f"{guardrails} guardrails" + (f" and the settings {', '.join(others)}" if others else "")


def as_written(value: Any) -> Any:
    """A schema as its author wrote it: the wire made every number a float (`1.0`); whole ones are
    shown, and compared, as the integers they were."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: as_written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_written(v) for v in value]
    return value


TYPE_NAMES = {
    "number": "a number",
    "integer": "a whole number",
    "string": "a string",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
}


def schema_problems(schema: Mapping[str, Any], value: Any) -> list[str]:
    """`<path>: <value> — <what is allowed>` once per place in `value` that the schema rejects:
    jsonschema finds a string given for a number in an enum twice (wrong type, not in the enum);
    the wrong type is what to say, with the allowed values."""
    from jsonschema import Draft7Validator

    found: dict[tuple[Any, ...], list[Any]] = {}
    for error in Draft7Validator(schema).iter_errors(value):
        found.setdefault(tuple(error.absolute_path), []).append(error)
    problems = []
    for path, errors in found.items():
        error = next((e for e in errors if e.validator == "type"), errors[0])
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
        problems.append(f"{where}: {json.dumps(error.instance)} — {allowed_phrase(error)}")
    return problems


def allowed_phrase(error: Any) -> str:
    """What the schema at the failing place allows, in the config's own spelling."""
    schema = error.schema
    choices = ", ".join(json.dumps(v) for v in schema.get("enum", ()))
    if error.validator == "type":
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        expected = " or ".join(TYPE_NAMES.get(str(t), str(t)) for t in types)
        return f"expected {expected}" + (f", one of {choices}" if choices else "")
    if error.validator == "enum":
        return f"expected one of {choices}"
    return error.message


def apply_selection(resolved: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Levels as the ops-baseline pack applies its selection: guardrails outside it are disabled."""
    if SELECTION not in resolved:
        return resolved
    selection = resolved[SELECTION][1]
    return {
        name: ("disabled", properties)
        if name in BY_NAME and not selected(BY_NAME[name], selection)
        else (level, properties)
        for name, (level, properties) in resolved.items()
    }


def today() -> date:
    return datetime.now(UTC).date()
