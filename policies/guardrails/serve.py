"""Serve the pack over the analyzer protocol, the way `PolicyPack` does, plus the one thing the SDK
cannot: a pack-wide setting. In Configure, the selection entry of the policy config disables every
guardrail outside it before the SDK stores the levels.

This extends the SDK's analyzer servicer; `pulumi-policy` is pinned (policies/requirements.txt) and
the tests start the pack exactly as the Pulumi CLI does, so a change in the SDK shows at once.
"""

from __future__ import annotations

import sys
import time
from concurrent import futures
from typing import NoReturn

import grpc
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _GRPC_CHANNEL_OPTIONS, _PolicyAnalyzerServicer

from .catalog import BY_NAME
from .pack import PACK_DESCRIPTION, PACK_NAME, PACK_VERSION, build_policies
from .scope import SELECTION, selected


class GuardrailServicer(_PolicyAnalyzerServicer):
    def Configure(self, request, context):  # noqa: N802 (gRPC method name)
        if SELECTION in request.policyConfig:
            selection = json_format.MessageToDict(request.policyConfig[SELECTION].properties)
            for name, guardrail in BY_NAME.items():
                if name in request.policyConfig and not selected(guardrail, selection):
                    request.policyConfig[name].enforcementLevel = analyzer_pb2.DISABLED
        return super().Configure(request, context)


def servicer() -> GuardrailServicer:
    return GuardrailServicer(
        PACK_NAME, PACK_VERSION, build_policies(), EnforcementLevel.ADVISORY, None, PACK_DESCRIPTION
    )


def analyzer_info() -> analyzer_pb2.AnalyzerInfo:
    """What the pack tells the engine about itself, without serving it: for checks run in-process
    (opsctl audit) against the same policy config."""
    return servicer().GetAnalyzerInfo(None, None)


def serve() -> NoReturn:
    servicer_ = servicer()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), options=_GRPC_CHANNEL_OPTIONS)
    analyzer_pb2_grpc.add_AnalyzerServicer_to_server(servicer_, server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    server.start()
    sys.stdout.buffer.write(f"{port}\n".encode())
    sys.stdout.flush()
    while True:
        time.sleep(60 * 60 * 24)
