"""The offline engine: the real program under Pulumi's mocks, recording every registration."""

from .errors import EngineError
from .language_host import StackContext
from .mocks import Mode, OfflineMocks, RecordingMonitor, Registration
from .outputs import DEFAULT_ACCOUNT
from .project import SECRET_PLACEHOLDER, StackConfig, load_project, load_stack_config
from .runner import OutputValue, ProgramRun, preflight_stack, run_program, stack_context

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
