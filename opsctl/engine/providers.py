"""The provider the engine names beside each resource it hands the analyzer.

A resource the program gives no provider gets the engine's default provider for its package, one
per plugin version: `urn:pulumi:<stack>::<project>::pulumi:providers:<package>::default_<version>`,
configured from the stack's `<package>:<key>` settings. Provider configuration is a string per key,
as the stack file stores it (`aws:defaultTags` arrives as JSON text), plus the plugin `version`.
A resource with its own provider gets that provider's registered inputs, which the SDKs already
encode the same way (pulumi-aws JSON-encodes every non-string setting).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from pulumi.runtime.proto import analyzer_pb2

from .analyzer import provider_resource
from .mocks import Registration
from .project import package_config

PROVIDER_TYPE_PREFIX = "pulumi:providers:"


def is_provider(registration: Registration) -> bool:
    return registration.type.startswith(PROVIDER_TYPE_PREFIX)


@dataclass
class Providers:
    """Every provider of one run: the program's, as registered, and the defaults it needed."""

    project: str
    stack: str
    config: Mapping[str, str]
    own: dict[str, Registration] = field(default_factory=dict)
    """Explicit providers by URN."""
    defaults: dict[str, Registration] = field(default_factory=dict)
    """Default providers by URN, created on first use."""
    _wire: dict[str, analyzer_pb2.AnalyzerProviderResource] = field(default_factory=dict)

    def wire_of(self, registration: Registration) -> analyzer_pb2.AnalyzerProviderResource | None:
        """The provider as it goes beside the resource in every request, built once per provider."""
        provider = self.of(registration)
        if provider is None:
            return None
        if provider.urn not in self._wire:
            self._wire[provider.urn] = provider_resource(provider)
        return self._wire[provider.urn]

    def note(self, registration: Registration) -> None:
        """Keep the program's own providers, for the resources that name them."""
        if is_provider(registration):
            self.own[registration.urn] = registration

    def of(self, registration: Registration) -> Registration | None:
        """The provider `registration` is created with; providers themselves have none."""
        if is_provider(registration):
            return None
        if registration.provider:  # a reference: `<provider urn>::<provider id>`
            return self.own.get(registration.provider.rsplit("::", 1)[0])
        if not registration.custom:
            return None
        return self.default_for(registration.package, registration.version)

    def default_for(self, package: str, version: str) -> Registration:
        name = f"default_{version.replace('.', '_')}" if version else "default"
        type_ = f"{PROVIDER_TYPE_PREFIX}{package}"
        urn = f"urn:pulumi:{self.stack}::{self.project}::{type_}::{name}"
        if urn not in self.defaults:
            inputs = package_config(self.config, package)
            if version:
                inputs["version"] = version
            self.defaults[urn] = Registration(urn, type_, name, None, True, inputs, dict(inputs))
        return self.defaults[urn]

    def default_providers(self) -> Iterator[Registration]:
        yield from self.defaults.values()
