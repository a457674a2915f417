"""Every use of the Pulumi SDKs' private names, in one place, each with why. The SDKs may rename or drop
these in any release; ruff's banned-API rule (pyproject.toml) keeps them out of every other module, so
an upgrade that breaks one breaks here. It needs only `pulumi_policy`, as the pack's own virtualenv
has. The offline engine uses none: it spells the wire's signatures itself (opsctl/engine/wire.py) and
runs programs on the thread's event loop, as the SDK does.

The pack's servicer also calls methods it inherits from `PolicyAnalyzerServicer`, which are private
to it: `_get_enforcement_level`, `_get_resource_options`, `_get_provider_resource` and
`_configure_runtime_once` (policies/guardrails/serve.py).
"""

# ruff: noqa: TID251 (this module is the one place the banned names may be imported)

from pulumi_policy.policy import _GRPC_CHANNEL_OPTIONS, _NotApplicableError, _PolicyAnalyzerServicer

PolicyAnalyzerServicer = _PolicyAnalyzerServicer
"""The SDK's analyzer servicer: the pack's servicer subclasses it to answer GetAnalyzerInfo,
GetPluginInfo and Configure exactly as the SDK does, and the dispatch tests compare the two."""

NotApplicableError = _NotApplicableError
"""Raised by `report_violation` through the SDK's not-applicable path (an exempted resource): the pack
answers it as the SDK does, with the policy's not-applicable reason."""

GRPC_CHANNEL_OPTIONS = _GRPC_CHANNEL_OPTIONS
"""The SDK's gRPC limits (message sizes): the pack's server takes the same, so a large stack that the
SDK's server accepts is accepted here too."""
