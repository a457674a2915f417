"""Pulumi mocks that record every registration: the offline engine and the tests share them."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs

from .outputs import DEFAULT_ACCOUNT, invoke, partition_of, synthesize
from .provider_check import ProviderCheckError, ProviderSettings, check
from .wire import RESOURCE_SIGNATURE, SIGNATURE_KEY

Mode = Literal["preview", "up"]


@dataclass(frozen=True)
class Options:
    """The resource options the engine hands an analyzer with each resource."""

    protect: bool = False
    ignore_changes: tuple[str, ...] = ()
    delete_before_replace: bool | None = None
    additional_secret_outputs: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    custom_timeouts: tuple[float, float, float] = (0.0, 0.0, 0.0)
    """create, update, delete, in seconds (the engine's form; the SDK sends "5m", "1h30m")."""


@dataclass
class Registration:
    """One resource as the engine saw it: inputs in wire form (camelCase, floats, unknowns)."""

    urn: str
    type: str
    name: str
    parent: str | None
    custom: bool
    inputs: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    dependencies: tuple[str, ...] = ()
    property_dependencies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    provider: str = ""
    """The program's own provider (`urn::id`); empty: the engine's default provider for the package."""
    version: str = ""
    """Version of the provider plugin the SDK asked for (names the default provider)."""
    options: Options = field(default_factory=Options)

    @property
    def package(self) -> str:
        return self.type.split(":", 1)[0]


DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


def seconds(duration: str) -> float:
    """A Go duration ("5m", "1h30m", "90s") in seconds, as the engine parses custom timeouts."""
    parts = DURATION_PART.findall(duration)
    if "".join(number + unit for number, unit in parts) != duration:
        raise ValueError(f"custom timeout {duration!r} is not a duration such as 5m, 1h30m or 90s")
    return sum(float(number) * DURATION_UNITS[unit] for number, unit in parts)


def by_id(value: Any) -> Any:
    """`value` with every resource reference replaced by the resource's id (its URN when it has
    none, as a component), as the engine marshals properties for an analyzer (no KeepResources).
    Returns `value` itself when it holds none."""
    if isinstance(value, dict):
        if value.get(SIGNATURE_KEY) == RESOURCE_SIGNATURE:
            return value.get("id") or value.get("urn", "")
        replaced = {k: by_id(v) for k, v in value.items()}
        return value if all(replaced[k] is value[k] for k in value) else replaced
    if isinstance(value, list):
        replaced_items = [by_id(v) for v in value]
        return value if all(a is b for a, b in zip(replaced_items, value, strict=True)) else replaced_items
    return value


def with_object(request, inputs: dict):
    """A copy of a RegisterResource request with `inputs` as its properties."""
    changed = type(request)()
    changed.CopyFrom(request)
    changed.object.Clear()
    json_format.ParseDict(inputs, changed.object)
    return changed


class OfflineMocks(pulumi.runtime.Mocks):
    """Answers registrations and data sources for one account and region."""

    def __init__(
        self,
        *,
        mode: Mode,
        region: str,
        account: str = DEFAULT_ACCOUNT,
        provider_config: Mapping[str, str] | None = None,
    ):
        self.mode = mode
        self.region = region
        self.account = account
        self.partition = partition_of(region)
        self.provider_config = provider_config
        """The default aws provider's configuration (strings, as the engine holds it); None runs
        no provider Check: the program's raw inputs are what is recorded and analyzed."""
        self._registering = threading.local()
        """The URN being registered, per thread: the SDK registers on several threads at once, and
        autonamed physical names are derived from the URN."""

    @property
    def current_urn(self) -> str:
        return getattr(self._registering, "urn", "")

    @current_urn.setter
    def current_urn(self, urn: str) -> None:
        self._registering.urn = urn

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict]:
        return synthesize(
            args.typ,
            args.name,
            self.current_urn,
            args.inputs,
            account=self.account,
            region=self.region,
            partition=self.partition,
            preview=self.mode == "preview",
        )

    def call(self, args: MockCallArgs) -> tuple[dict, list[tuple[str, str]]]:
        """An invoke's result and its check failures: none (the SDK's monitor iterates them; None
        would fail although its signature allows it)."""
        return invoke(args.token, args.args, account=self.account, region=self.region, partition=self.partition), []


Listener = Callable[[Registration, struct_pb2.Struct | None, struct_pb2.Struct | None], None]
"""Told of each registration as it is recorded, with its inputs and outputs as the wire carried them
(None when the recorded form differs: a resource reference replaced, a program run in another process)."""


class RecordingMonitor(MockMonitor):
    """A mock monitor that keeps each registration's parent, wire-form inputs and outputs."""

    mocks: OfflineMocks

    def __init__(self, mocks: OfflineMocks, listener: Listener | None = None):
        super().__init__(mocks)
        self.registrations: list[Registration] = []
        self.stack: Registration | None = None
        """The stack resource, kept apart: the run lists what the program declares."""
        self._by_urn: dict[str, Registration] = {}
        self.check_failures: list[str] = []
        """What the provider's Check rejected, one line per resource."""
        self.listener = listener
        self._recording = threading.Lock()
        """Registrations arrive on the SDK's worker threads; the listener hears them in registration order."""

    def RegisterResource(self, request):  # noqa: N802 (gRPC method name)
        urn = self.make_urn(request.parent, request.type, request.name)
        self.mocks.current_urn = urn
        request = self._by_id(request)
        if request.custom and self.mocks.provider_config is not None and not request.type.startswith("pulumi:"):
            request = self._checked(request, urn)
        response = super().RegisterResource(request)
        wire_inputs, wire_outputs = (
            json_format.MessageToDict(request.object),
            json_format.MessageToDict(response.object),
        )
        inputs, outputs = by_id(wire_inputs), by_id(wire_outputs)
        # The listener takes the wire forms as they are, unless a resource reference was replaced.
        as_sent = inputs is wire_inputs and outputs is wire_outputs
        registration = Registration(
            urn=response.urn,
            type=request.type,
            name=request.name,
            parent=request.parent or None,
            custom=request.custom,
            inputs=inputs,
            outputs=outputs,
            id=response.id,
            dependencies=tuple(request.dependencies),
            property_dependencies={k: tuple(v.urns) for k, v in request.propertyDependencies.items()},
            provider=request.provider,
            version=request.version,
            options=Options(
                protect=request.protect,
                ignore_changes=tuple(request.ignoreChanges),
                delete_before_replace=request.deleteBeforeReplace if request.deleteBeforeReplaceDefined else None,
                additional_secret_outputs=tuple(request.additionalSecretOutputs),
                aliases=tuple(request.aliasURNs),
                custom_timeouts=(
                    seconds(request.customTimeouts.create),
                    seconds(request.customTimeouts.update),
                    seconds(request.customTimeouts.delete),
                ),
            ),
        )
        with self._recording:
            self._by_urn[registration.urn] = registration
            if request.type == "pulumi:pulumi:Stack":
                self.stack = registration
                return response
            self.registrations.append(registration)
            if self.listener is not None:
                self.listener(registration, *((request.object, response.object) if as_sent else (None, None)))
        return response

    def ReadResource(self, request):  # noqa: N802 (gRPC method name)
        """A read (a StackReference, `Resource.get`) is answered but not recorded: the engine never
        hands reads to a policy pack (pulumi/pulumi#3950), and the stack does not create them."""
        self.mocks.current_urn = self.make_urn(request.parent, request.type, request.name)
        return super().ReadResource(request)

    def _checked(self, request, urn: str):
        """The request with its inputs as the provider's Check returns them. The engine reports
        every resource Check rejects, then fails the run (runner.py)."""
        own = self._by_urn.get(request.provider.rsplit("::", 1)[0]) if request.provider else None
        try:
            provider = ProviderSettings.from_config(
                (own.inputs if own else self.mocks.provider_config) or {}, self.mocks.region
            )
        except ProviderCheckError as error:
            return self._rejected(request, f"provider {own.name if own else 'aws (default)'}: {error}")
        try:
            inputs = check(request.type, request.name, urn, json_format.MessageToDict(request.object), provider)
        except ProviderCheckError as error:
            return self._rejected(request, f"{request.type} resource {request.name!r} has a problem: {error}")
        return with_object(request, inputs)

    @staticmethod
    def _by_id(request):
        """The request with resources given as inputs by their id, as the engine hands them to a
        provider that takes no resource references (the AWS provider). The SDK's mock monitor would
        otherwise rebuild each referenced resource on this worker thread, bound to no running loop."""
        wire = json_format.MessageToDict(request.object)
        inputs = by_id(wire)
        return request if inputs is wire else with_object(request, inputs)

    def _rejected(self, request, problem: str):
        with self._recording:
            self.check_failures.append(problem)
        return request

    def RegisterResourceOutputs(self, request):  # noqa: N802 (gRPC method name)
        """A component's (or the stack's) registered outputs: its state in the engine."""
        with self._recording:
            registration = self._by_urn.get(request.urn)
            if registration is not None and not registration.custom:
                registration.outputs = json_format.MessageToDict(request.outputs)
        return super().RegisterResourceOutputs(request)


class CollectingLogger(logging.Logger):
    """Keeps the program's pulumi.log messages as (level, text) for the report."""

    def __init__(self) -> None:
        super().__init__("opsctl.program")
        self.messages: list[tuple[str, str]] = []

    def handle(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.messages.append((record.levelname.lower(), record.getMessage()))
