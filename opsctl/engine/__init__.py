"""The offline engine: the real program under Pulumi's mocks, recording every registration.

Its modules load the Pulumi SDK and grpc, so each name is imported from its module when it is first
used: a report renders, and a constant of `wire` is read, without them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import EngineError

if TYPE_CHECKING:
    from .language_host import StackContext
    from .mocks import Mode, OfflineMocks, RecordingMonitor, Registration
    from .outputs import DEFAULT_ACCOUNT
    from .project import SECRET_PLACEHOLDER, StackConfig, load_project, load_stack_config
    from .runner import OutputValue, ProgramRun, preflight_stack, run_program, stack_context

HOMES = {
    "StackContext": "language_host",
    **dict.fromkeys(("Mode", "OfflineMocks", "RecordingMonitor", "Registration"), "mocks"),
    "DEFAULT_ACCOUNT": "outputs",
    **dict.fromkeys(("SECRET_PLACEHOLDER", "StackConfig", "load_project", "load_stack_config"), "project"),
    **dict.fromkeys(("OutputValue", "ProgramRun", "preflight_stack", "run_program", "stack_context"), "runner"),
}
"""Each name this package offers, and the module it comes from."""


def __getattr__(name: str) -> Any:
    home = HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{home}", __name__), name)


__all__ = [
    "DEFAULT_ACCOUNT",
    "SECRET_PLACEHOLDER",
    "EngineError",
    "Mode",
    "OfflineMocks",
    "OutputValue",
    "ProgramRun",
    "RecordingMonitor",
    "Registration",
    "StackConfig",
    "StackContext",
    "load_project",
    "load_stack_config",
    "preflight_stack",
    "run_program",
    "stack_context",
]
