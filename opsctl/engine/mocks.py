"""Pulumi mocks that record every registration: the offline engine and the tests share them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs

from .outputs import DEFAULT_ACCOUNT, invoke, partition_of, synthesize

Mode = Literal["preview", "up"]


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


class OfflineMocks(pulumi.runtime.Mocks):
    """Answers registrations and data sources for one account and region."""

    def __init__(self, *, mode: Mode, region: str, account: str = DEFAULT_ACCOUNT):
        self.mode = mode
        self.region = region
        self.account = account
        self.partition = partition_of(region)
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

    def call(self, args: MockCallArgs) -> dict:
        return invoke(args.token, args.args, account=self.account, region=self.region, partition=self.partition)


Listener = Callable[[Registration, struct_pb2.Struct, struct_pb2.Struct], None]
"""Told of each registration as it is recorded, with its inputs and outputs as the wire carried them."""


class RecordingMonitor(MockMonitor):
    """A mock monitor that keeps each registration's parent, wire-form inputs and outputs."""

    def __init__(self, mocks: OfflineMocks, listener: Listener | None = None):
        super().__init__(mocks)
        self.registrations: list[Registration] = []
        self.listener = listener
        self._recording = threading.Lock()
        """Registrations arrive on the SDK's worker threads; the listener hears them in plan order."""

    def RegisterResource(self, request):  # noqa: N802 (gRPC method name)
        urn = self.make_urn(request.parent, request.type, request.name)
        self.mocks.current_urn = urn
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            registration = Registration(
                urn=response.urn,
                type=request.type,
                name=request.name,
                parent=request.parent or None,
                custom=request.custom,
                inputs=json_format.MessageToDict(request.object),
                outputs=json_format.MessageToDict(response.object),
                id=response.id,
                dependencies=tuple(request.dependencies),
                property_dependencies={k: tuple(v.urns) for k, v in request.propertyDependencies.items()},
            )
            with self._recording:
                self.registrations.append(registration)
                if self.listener is not None:
                    self.listener(registration, request.object, response.object)
        return response


class CollectingLogger(logging.Logger):
    """Keeps the program's pulumi.log messages as (level, text) for the report."""

    def __init__(self) -> None:
        super().__init__("opsctl.program")
        self.messages: list[tuple[str, str]] = []

    def handle(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.messages.append((record.levelname.lower(), record.getMessage()))
