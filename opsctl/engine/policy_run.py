"""Send resources through a policy pack as the Pulumi engine does: each one to Remediate, then to
Analyze with what remediation left, as it is registered; then the whole state to AnalyzeStack.

The pack process starts before the program, so it imports while the program does; a background
thread sends each registration as it arrives, with several resources in flight (each one's
Analyze follows its own Remediate). Findings come out most severe first, then by policy and URN,
whatever order the program registered the resources in and the answers arrived in.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from policies.guardrails.scope import EXEMPTED_LINE, UNDECIDED_LINE

from ..findings import PREVIEW_SKIP, Finding, PolicyInfo, exemption_text
from .analyzer import (
    ALL,
    CALL_TIMEOUT_S,
    LEVEL_NAMES,
    SEVERITY_NAMES,
    START_TIMEOUT_S,
    PolicyPack,
    analyze_request,
    load_pack_config,
    resolve_config,
    stack_resource,
)
from .errors import EngineError
from .language_host import StackContext
from .mocks import Registration
from .providers import Providers
from .runner import ProgramRun, run_context

SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


@dataclass
class PolicyResult:
    pack: str
    policies: list[PolicyInfo] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    not_applicable: int = 0


IN_FLIGHT = 8
"""Resources waiting on the pack at once: enough to hide each round trip behind the next."""


@dataclass
class _Sent:
    """One resource on its way through the pack; `answer` is the serialized AnalyzeResponse."""

    registration: Registration
    request: bytes
    remediations: list[analyzer_pb2.Remediation] = field(default_factory=list)
    answer: bytes | None = None
    failure: Exception | None = None
    call: str = "Remediate"
    """The call it is waiting on, or failed in."""


@dataclass
class _Kept:
    """One resource of the state AnalyzeStack will see: custom resources serialized as they came,
    components built at the end (their registered outputs arrive after them)."""

    registration: Registration
    provider: analyzer_pb2.AnalyzerProviderResource | None
    serialized: bytes | None = None


class PolicyGate:
    """A policy pack fed resources as they are registered; use as a context manager.

    `record` never blocks the program: resources queue, serialized, for the sending thread, which
    waits for the pack to start and be configured. `result` waits for every answer, sends
    AnalyzeStack and turns the answers into findings. A bad policy config, a pack that will not
    start or a failed call surfaces there as an EngineError.
    """

    def __init__(
        self,
        pack_dir: Path,
        config_path: Path | None,
        context: StackContext,
        *,
        constraints: Path | None = None,
        virtualenv: Path | None = None,
    ):
        self._given = load_pack_config(config_path)
        self._source = str(config_path or "defaults")
        self._pack = PolicyPack(pack_dir, context, constraints=constraints, virtualenv=virtualenv)
        self._providers = Providers(context.project, context.stack, context.config)
        self._incoming: queue.SimpleQueue = queue.SimpleQueue()
        self._state: list[_Kept] = []
        self._sent: list[_Sent] = []
        self._slots = threading.BoundedSemaphore(IN_FLIGHT)
        self._info: analyzer_pb2.AnalyzerInfo | None = None
        self._config: dict[str, tuple[str, dict[str, Any]]] = {}
        self._failure: BaseException | None = None
        self._sender = threading.Thread(target=self._send_all, name="policy-gate", daemon=True)
        self._sender.start()

    def __enter__(self) -> PolicyGate:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._incoming.put(None)
        self._sender.join(timeout=START_TIMEOUT_S + CALL_TIMEOUT_S)  # it may be connecting
        self._pack.close()

    def record(
        self,
        registration: Registration,
        inputs: struct_pb2.Struct | None = None,
        outputs: struct_pb2.Struct | None = None,
    ) -> None:
        """Queue one registration (a Listener). Every resource is part of the state; only custom
        resources are remediated and analyzed, as in the engine."""
        self._providers.note(registration)
        provider = self._providers.wire_of(registration)
        if not registration.custom:
            self._state.append(_Kept(registration, provider))
            return
        self._state.append(
            _Kept(registration, provider, stack_resource(registration, outputs, provider).SerializeToString())
        )
        request = analyze_request(registration, registration.inputs if inputs is None else inputs, provider)
        self._incoming.put(_Sent(registration, request.SerializeToString()))

    def _send_all(self) -> None:
        try:
            import jsonschema  # noqa: F401 (resolve_config's; loaded while the pack starts, not after)

            self._pack.start()
            self._info = self._pack.info()
            self._config = resolve_config(self._info, self._given, self._source)
            self._pack.configure(self._config, all_level=self._given.get(ALL))
            while (sent := self._incoming.get()) is not None:
                self._slots.acquire()
                self._sent.append(sent)
                self._pack.remediate_later(sent.request).add_done_callback(partial(self._remediated, sent))
        except BaseException as failure:  # re-raised by result(), in the caller's thread
            self._failure = failure

    def _remediated(self, sent: _Sent, answer: grpc.Future) -> None:
        """Remediate answered: analyze what it left (the properties of the last remediation that wrote any)."""
        try:
            failure = answer.exception()
            if failure is None:
                sent.remediations = list(analyzer_pb2.RemediateResponse.FromString(answer.result()).remediations)
            elif not (isinstance(failure, grpc.RpcError) and failure.code() == grpc.StatusCode.UNIMPLEMENTED):
                raise failure
            request = sent.request
            written = [r for r in sent.remediations if r.HasField("properties")]  # a preview skip has none
            if written:
                message = analyzer_pb2.AnalyzeRequest.FromString(request)
                message.properties.CopyFrom(written[-1].properties)
                request = message.SerializeToString()
            sent.call = "Analyze"
            self._pack.analyze_later(request).add_done_callback(lambda done: self._answered(sent, done))
        except Exception as error:  # raised by result(), in the caller's thread
            sent.failure = error
            self._slots.release()

    def _answered(self, sent: _Sent, answer: grpc.Future) -> None:
        try:
            sent.answer = answer.result()
        except Exception as error:  # raised by result(), in the caller's thread
            sent.failure = error
        finally:
            self._slots.release()

    def result(self, stack: Registration | None = None) -> PolicyResult:
        """Every answer, then AnalyzeStack over the state: the stack resource (`stack`), the
        default providers the resources used, and every resource; Cancel at the end."""
        self._incoming.put(None)
        self._sender.join()
        try:
            if self._failure is not None:
                raise self._failure
            for _ in range(IN_FLIGHT):  # every slot back: every answer is in
                self._slots.acquire()
            failed = [(sent, sent.failure) for sent in self._sent if sent.failure is not None]
            if failed:
                sent, failure = failed[0]
                raise EngineError(
                    f"the policy pack failed in {sent.call} of {sent.registration.urn}: {reason(failure)}"
                )
            request = analyzer_pb2.AnalyzeStackRequest()
            for resource in [*([stack] if stack else []), *self._providers.default_providers()]:
                request.resources.append(stack_resource(resource))  # providers have none of their own
            for kept in self._state:
                if kept.serialized is None:
                    request.resources.append(stack_resource(kept.registration, provider=kept.provider))
                else:
                    request.resources.add().MergeFromString(kept.serialized)
            answer = self._pack.analyze_state(request)
            self._pack.cancel()
        except grpc.RpcError as error:
            raise EngineError(f"the policy pack failed: {reason(error)}") from None
        assert self._info is not None
        findings = Findings(self._info, self._config)
        for sent in self._sent:
            for remediation in sent.remediations:
                findings.remediated(remediation, sent.registration.urn)
            findings.collect(analyzer_pb2.AnalyzeResponse.FromString(sent.answer or b""), sent.registration.urn)
        findings.collect(answer, "")
        return findings.ordered()


def reason(failure: BaseException) -> str:
    """What went wrong with a call, in the words a user can act on."""
    if isinstance(failure, grpc.RpcError) and failure.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
        return f"no answer within {CALL_TIMEOUT_S:.0f} s (the pack is stuck or overloaded)"
    if isinstance(failure, grpc.RpcError):
        return failure.details() or failure.code().name
    return f"{type(failure).__name__}: {failure}"


def check_run(run: ProgramRun, pack_dir: Path, config_path: Path | None) -> PolicyResult:
    """Send a program run that has finished through the pack."""
    with PolicyGate(pack_dir, config_path, run_context(run)) as gate:
        for registration in run.registrations:
            gate.record(registration)
        return gate.result(run.stack_resource)


def policy_infos(policies: Iterable[analyzer_pb2.PolicyInfo], levels: Mapping[str, str]) -> list[PolicyInfo]:
    """The pack's policies as reports show them, at the levels the policy config set (those it has)."""
    return [
        PolicyInfo(
            p.name,
            p.description,
            SEVERITY_NAMES.get(p.severity, ""),
            levels[p.name],
            p.remediation_steps,
            p.url,
            tuple(p.tags),
        )
        for p in policies
        if p.name in levels
    ]


class Findings:
    """The pack's answers as findings, at the levels the policy config set."""

    def __init__(self, info: analyzer_pb2.AnalyzerInfo, config: Mapping[str, tuple[str, Mapping[str, Any]]]):
        self.levels = {name: level for name, (level, _) in config.items()}
        self.policies = {p.name: p for p in info.policies}
        self.result = PolicyResult(pack=info.name, policies=policy_infos(info.policies, self.levels))

    def ordered(self) -> PolicyResult:
        """The result with its findings most severe first, then by policy and URN: the Python SDK
        registers resources on several threads, so the order they arrive in differs from run to
        run. A resource's own findings for one policy keep the pack's order."""
        self.result.findings.sort(
            key=lambda f: (SEVERITY_RANK.get(f.severity, len(SEVERITY_RANK)), f.policy, f.subject)
        )
        return self.result

    def severity(self, policy_name: str) -> str:
        policy = self.policies.get(policy_name)
        return SEVERITY_NAMES.get(policy.severity if policy else 0, "")

    def remediated(self, remediation: analyzer_pb2.Remediation, urn: str) -> None:
        self.result.findings.append(
            Finding(
                remediation.policyName,
                "remediate",
                self.severity(remediation.policyName),
                remediation.diagnostic or f"remediated by {remediation.policyName}",
                urn,
                kind="remediated",
            )
        )

    def collect(self, response: analyzer_pb2.AnalyzeResponse, urn: str) -> None:
        for entry in response.not_applicable:
            exempted = self.exempted(entry.policy_name, entry.reason)
            self.result.not_applicable += not exempted
            self.result.findings += exempted
        for diagnostic in response.diagnostics:
            unchecked = PREVIEW_SKIP.match(diagnostic.message) is not None
            self.result.findings.append(
                Finding(
                    policy=diagnostic.policyName,
                    level="advisory"
                    if unchecked
                    else self.levels.get(diagnostic.policyName, LEVEL_NAMES[diagnostic.enforcementLevel]),
                    severity=self.severity(diagnostic.policyName),
                    message=diagnostic.message,
                    subject=diagnostic.urn or urn,
                    kind="unchecked" if unchecked else "violation",
                )
            )

    def exempted(self, policy_name: str, reason: str) -> list[Finding]:
        found = []
        for line in reason.splitlines():
            match = EXEMPTED_LINE.match(line)
            if match:
                where, message, why, until = match.groups()
                found.append(
                    Finding(
                        policy=policy_name,
                        level=self.levels.get(policy_name, "advisory"),
                        severity=self.severity(policy_name),
                        message=message,
                        subject="" if where == "stack" else where,
                        kind="exempted",
                        exemption=exemption_text(why, until),
                    )
                )
            elif line.startswith(UNDECIDED_LINE):
                found.append(
                    Finding(policy_name, "advisory", "", line.removeprefix(UNDECIDED_LINE), "", kind="unchecked")
                )
        return found
