"""Serve the pack over the analyzer protocol, answering exactly as the SDK's servicer does, faster.

What the SDK cannot do:
- A config that contradicts itself (catalog.config_conflicts: a minimum retention above the
  maximum, a selection naming no guardrail of the pack) is refused in Configure, which stops the
  engine before the program runs; the SDK would accept it and fail every resource.
- Pack-wide settings: in Configure, the selection entry of the policy config disables every
  guardrail outside it before the levels are stored, and the profile entry is handed to every
  guardrail that reads it, inside that guardrail's config.
- Dependencies on resources AnalyzeStack does not list: the engine leaves read resources (stack
  references) out, and the SDK drops dependencies it cannot link; this servicer keeps them, as
  stand-ins that carry the URN, its type and its name.
- Speed at scale. The SDK decodes a resource's properties once per policy, in Analyze and again
  in AnalyzeStack for every stack policy (31 here), and calls every policy on every resource. This
  servicer builds a table of the enabled policies by resource type once per Configure, decodes
  each resource at most once (in AnalyzeStack only when a policy reads it) and hands each policy
  the config it parsed in Configure. The engine asks Remediate before every Analyze: with no
  policy at `remediate`, the SDK's answer is always empty, and this servicer gives it without
  decoding the resource. The responses are the SDK's, field for field: the same
  violation diagnostics, "can't run policy ... during preview" advisories and not-applicable
  entries, in the same order (tests/policies/test_dispatch.py compares the two on whole stacks).

`pulumi-policy` is pinned (policies/requirements.txt) and the tests start the pack exactly as the
Pulumi CLI does, so a change in the SDK shows at once.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Mapping
from concurrent import futures
from dataclasses import dataclass
from functools import cached_property
from inspect import isawaitable
from types import MappingProxyType
from typing import Any, Generic, NoReturn, TypeVar

import grpc
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from pulumi_policy import EnforcementLevel, ResourceValidationArgs, StackValidationArgs
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.policy import (
    Policy,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationPolicy,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from .catalog import BY_NAME, config_conflicts
from .pack import PACK_DESCRIPTION, PACK_NAME, PACK_VERSION, build_policies
from .profile import PROFILE
from .providers import types_judged_with
from .scope import SELECTION, selected
from .sdk_private import GRPC_CHANNEL_OPTIONS, NotApplicableError, PolicyAnalyzerServicer

PolicyKind = TypeVar("PolicyKind", ResourceValidationPolicy, StackValidationPolicy)


@dataclass(frozen=True)
class Check(Generic[PolicyKind]):
    """One enabled policy as Configure left it: the level it reports at and its parsed config."""

    policy: PolicyKind
    level: EnforcementLevel
    config: Mapping[str, Any] | None


ResourceCheck = Check[ResourceValidationPolicy]


@dataclass(frozen=True)
class Dispatch:
    by_type: Mapping[str, tuple[ResourceCheck, ...]]
    everywhere: tuple[ResourceCheck, ...]
    """Resource policies that run on every type: those the catalog does not scope."""
    stack: tuple[Check[StackValidationPolicy], ...]

    def for_type(self, type_: str) -> tuple[ResourceCheck, ...]:
        return self.by_type.get(type_, self.everywhere)


class GuardrailServicer(PolicyAnalyzerServicer):
    def __init__(self, policies: list[ResourceValidationPolicy | StackValidationPolicy]):
        every_policy: list[Policy] = [*policies]
        super().__init__(PACK_NAME, PACK_VERSION, every_policy, EnforcementLevel.ADVISORY, None, PACK_DESCRIPTION)
        self._policies = policies
        self._config: dict[str, dict[str, Any]] = {}
        self._stack_tags: Mapping[str, str] = MappingProxyType({})
        self._runtime_configured = False

    def Configure(self, request, context):  # noqa: N802 (gRPC method name)
        config = {k: json_format.MessageToDict(v.properties) for k, v in request.policyConfig.items()}
        conflicts = config_conflicts(config)
        if conflicts:
            # The engine stops before the program runs and shows this message.
            context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                "invalid policy configuration:\n" + "\n".join(f"  - {c}" for c in conflicts),
            )
        if SELECTION in config:
            for name, guardrail in BY_NAME.items():
                if name in request.policyConfig and not selected(guardrail, config[SELECTION]):
                    request.policyConfig[name].enforcementLevel = analyzer_pb2.DISABLED
        self._config = config
        if PROFILE in self._config:
            for name in (g.name for g in BY_NAME.values() if g.reads_profile):
                self._config[name] = {**self._config.get(name, {}), PROFILE: self._config[PROFILE]}
        self.__dict__.pop("dispatch", None)
        self.__dict__.pop("remediating", None)
        return super().Configure(request, context)

    def ConfigureStack(self, request, context):  # noqa: N802 (gRPC method name)
        self._stack_tags = MappingProxyType(dict(request.tags))
        return super().ConfigureStack(request, context)

    @cached_property
    def dispatch(self) -> Dispatch:
        """The enabled policies, in pack order, by the resource types they look at."""
        resource_checks: list[tuple[ResourceCheck, frozenset[str] | None]] = []
        stack_checks: list[Check[StackValidationPolicy]] = []
        for policy in self._policies:
            level = self._get_enforcement_level(policy)
            if level == EnforcementLevel.DISABLED:
                continue
            if level == EnforcementLevel.REMEDIATE:
                # What still fails after remediation is reported as mandatory, as the SDK does.
                level = EnforcementLevel.MANDATORY
            config = self._config.get(policy.name) or None
            if isinstance(policy, StackValidationPolicy):
                stack_checks.append(Check(policy, level, config))
            elif isinstance(policy, ResourceValidationPolicy):
                scoped = policy.name in BY_NAME and policy.has_validation()
                resource_checks.append(
                    (
                        Check(policy, level, config),
                        frozenset(types_judged_with(BY_NAME[policy.name].resource_types)) if scoped else None,
                    )
                )
        types = {t for _, scope in resource_checks for t in scope or ()}
        return Dispatch(
            by_type={t: tuple(check for check, scope in resource_checks if scope is None or t in scope) for t in types},
            everywhere=tuple(check for check, scope in resource_checks if scope is None),
            stack=tuple(stack_checks),
        )

    @cached_property
    def remediating(self) -> bool:
        return any(self._get_enforcement_level(p) == EnforcementLevel.REMEDIATE for p in self._policies)

    def Remediate(self, request, context):  # noqa: N802 (gRPC method name)
        # The engine asks before every Analyze; with no policy at `remediate` the SDK's answer is
        # always empty, after decoding the resource once more.
        if not self.remediating:
            self._configure_runtime_once()
            return analyzer_pb2.RemediateResponse()
        return super().Remediate(request, context)

    def Analyze(self, request, context):  # noqa: N802 (gRPC method name)
        self._configure_runtime_once()
        response = analyzer_pb2.AnalyzeResponse()
        checks = self.dispatch.for_type(request.type)
        if not checks:
            return response
        props = unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(request.properties)))
        opts = self._get_resource_options(request)
        provider = self._get_provider_resource(request)
        for check in checks:
            if not check.policy.has_validation():
                response.not_applicable.append(
                    analyzer_pb2.PolicyNotApplicable(
                        policy_name=check.policy.name, reason="Policy does not implement validate"
                    )
                )
                continue
            args = ResourceValidationArgs(
                request.type, props, request.urn, request.name, opts, provider, check.config, self._stack_tags
            )
            self._judge(response, check, args)
        return response

    def AnalyzeStack(self, request, context):  # noqa: N802 (gRPC method name)
        self._configure_runtime_once()
        response = analyzer_pb2.AnalyzeResponse()
        if not self.dispatch.stack:
            return response
        resources = self._stack_resources(request.resources)
        for check in self.dispatch.stack:
            args = StackValidationArgs(resources, check.config, self._stack_tags)
            self._judge(response, check, args)
        return response

    def _judge(self, response, check: Check[Any], args: ResourceValidationArgs | StackValidationArgs) -> None:
        """Run one policy and record its outcome the way the SDK records it."""
        policy = check.policy
        report = self._create_report_violation(response, policy.name, policy.description, check.level, policy.severity)
        try:
            result = policy.validate(args, report)
            if isawaitable(result):
                loop = asyncio.new_event_loop()
                loop.run_until_complete(result)
                loop.close()
        except UnknownValueError as error:
            response.diagnostics.append(
                analyzer_pb2.AnalyzeDiagnostic(
                    policyName=policy.name,
                    policyPackName=PACK_NAME,
                    policyPackVersion=PACK_VERSION,
                    message=f"can't run policy '{policy.name}' from policy pack '{PACK_NAME}@v{PACK_VERSION}' "
                    f"during preview: {error.message}",
                    urn="",
                    description=policy.description,
                    enforcementLevel=analyzer_pb2.ADVISORY,
                )
            )
        except NotApplicableError as error:
            response.not_applicable.append(
                analyzer_pb2.PolicyNotApplicable(policy_name=policy.name, reason=error.reason or "")
            )

    def _stack_resources(self, messages) -> list[PolicyResource]:
        """Every resource once, its parent and dependencies linked as the SDK links them, and
        dependencies on unlisted resources kept as stand-ins."""
        resources: list[PolicyResource] = [WireResource(self, m) for m in messages]
        by_urn = {r.urn: r for r in resources}
        unlisted: dict[str, Unlisted] = {}

        def linked(urns) -> list[PolicyResource]:
            return [by_urn.get(u) or unlisted.setdefault(u, Unlisted(u)) for u in urns]

        for resource, message in zip(resources, messages, strict=True):
            if message.parent in by_urn:
                resource.parent = by_urn[message.parent]
            resource.dependencies = linked(message.dependencies)
            resource.property_dependencies = {k: linked(v.urns) for k, v in message.propertyDependencies.items()}
        return resources

    def _configure_runtime_once(self) -> None:
        # The SDK repeats this on every call; its inputs (environment variables) never change.
        if not self._runtime_configured:
            self._configure_runtime_settings()
            self._runtime_configured = True


class WireResource(PolicyResource):
    """A stack resource whose properties, options and provider are decoded when a policy first
    reads them: most stack policies look at a few types, and decoding is most of the cost."""

    def __init__(self, servicer: GuardrailServicer, message: analyzer_pb2.AnalyzerResource):
        self._servicer = servicer
        self._message = message
        self.resource_type = message.type
        self.urn = message.urn
        self.name = message.name
        self.parent = None
        self.dependencies = []
        self.property_dependencies = {}

    @cached_property
    def props(self) -> Mapping[str, Any]:  # type: ignore[override]
        return unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(self._message.properties)))

    @cached_property
    def opts(self):  # type: ignore[override]
        return self._servicer._get_resource_options(self._message)

    @cached_property
    def provider(self):  # type: ignore[override]
        return self._servicer._get_provider_resource(self._message)


NO_OPTIONS = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])
"""The options of a resource declared without any, as the SDK decodes them."""


class Unlisted(PolicyResource):
    """A resource others depend on that AnalyzeStack does not list (a read resource, such as a stack
    reference): what its URN says, `urn:pulumi:<stack>::<project>::<parent$...$type>::<name>`."""

    def __init__(self, urn: str):
        parts = urn.split("::", 3)
        type_, name = (parts[2].rsplit("$", 1)[-1], parts[3]) if len(parts) == 4 else ("", urn)
        super().__init__(type_, {}, urn, name, NO_OPTIONS, None, None, [], {})


def servicer() -> GuardrailServicer:
    return GuardrailServicer(build_policies())


def analyzer_info() -> analyzer_pb2.AnalyzerInfo:
    """What the pack tells the engine about itself, without serving it: for checks run in-process
    (opsctl audit) against the same policy config."""
    return servicer().GetAnalyzerInfo(None, None)


def serve(analyzer: analyzer_pb2_grpc.AnalyzerServicer | None = None) -> NoReturn:
    """Serve `analyzer` (the pack's own servicer unless given) and print the port, as the CLI expects."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), options=GRPC_CHANNEL_OPTIONS)
    analyzer_pb2_grpc.add_AnalyzerServicer_to_server(analyzer or servicer(), server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    server.start()
    sys.stdout.buffer.write(f"{port}\n".encode())
    sys.stdout.flush()
    while True:
        time.sleep(60 * 60 * 24)
