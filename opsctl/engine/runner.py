"""Run a Pulumi program under the offline mocks and return what it registered."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import runpy
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config
from pulumi.runtime.settings import get_root_resource
from pulumi.runtime.stack import run_pulumi_func

from .errors import EngineError
from .language_host import StackContext
from .mocks import CollectingLogger, Listener, Mode, OfflineMocks, RecordingMonitor, Registration
from .outputs import DEFAULT_ACCOUNT
from .project import StackConfig, load_project, load_stack_config, package_config


@dataclass(frozen=True)
class OutputValue:
    value: Any
    known: bool = True
    secret: bool = False


@dataclass
class ProgramRun:
    """What one run of a Pulumi program under the offline mocks registered, exported and logged (not
    the plan layer's `StackPlan`, which is what the program decides to build)."""

    project: str
    stack: str
    mode: Mode
    account: str
    region: str
    registrations: list[Registration]
    outputs: dict[str, OutputValue] = field(default_factory=dict)
    messages: list[tuple[str, str]] = field(default_factory=list)
    stack_resource: Registration | None = None
    """`pulumi:pulumi:Stack`, with the exports as its outputs: in the engine's state, not the program's list."""
    config: dict[str, str] = field(default_factory=dict)
    """The stack config the program ran with, as the engine passes it (full keys, strings)."""
    secret_keys: tuple[str, ...] = ()
    stack_tags: dict[str, str] = field(default_factory=dict)
    """The tags the CLI gives the stack (`pulumi:project`, ...), where the run read a project file."""

    def of_type(self, type_: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == type_]

    def children(self, parent_urn: str) -> list[Registration]:
        return [r for r in self.registrations if r.parent == parent_urn]


def run_program(
    program: Callable[[], Any],
    *,
    project: str = "ops-baseline",
    stack: str = "test",
    mode: Mode = "up",
    config: Mapping[str, str] | None = None,
    secret_keys: Iterable[str] = (),
    account: str = DEFAULT_ACCOUNT,
    listener: Listener | None = None,
    provider_check: bool = True,
) -> ProgramRun:
    """Run `program` (any callable that declares resources) and wait for every registration;
    `listener` hears of each one as it is recorded. With `provider_check`, each resource's inputs
    are recorded as the provider's Check returns them (what the engine analyzes and creates);
    without, as the program wrote them.

    Each run gets a fresh context, so runs in one process do not share a root stack or config.
    """
    values = dict(config or {})
    region = values.get("aws:region", "us-east-1")
    return contextvars.Context().run(
        _run, program, project, stack, mode, values, tuple(secret_keys), account, region, listener, provider_check
    )


def run_to_completion(awaitable: Any) -> Any:
    """Run `awaitable` on the thread's event loop, made if the thread has none, as the SDK's own entry
    point runs a program: the SDK's tasks and futures all belong to that loop."""
    try:
        loop = asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    return loop.run_until_complete(awaitable)


def _run(program, project, stack, mode, config, secret_keys, account, region, listener, provider_check) -> ProgramRun:
    mocks = OfflineMocks(
        mode=mode,
        region=region,
        account=account,
        provider_config=package_config(config, "aws") if provider_check else None,
    )
    monitor = RecordingMonitor(mocks, listener)
    logger = CollectingLogger()
    pulumi.runtime.set_mocks(
        mocks, project=project, stack=stack, preview=mode == "preview", logger=logger, monitor=monitor
    )
    runtime_config.set_all_config(dict(config), list(secret_keys))

    run_to_completion(run_pulumi_func(program))
    if monitor.check_failures:
        problems = dict.fromkeys(monitor.check_failures)  # a bad provider setting is met by every resource
        raise pulumi.RunError("the provider's Check rejects:\n" + "\n".join(f"  - {f}" for f in problems))
    root = get_root_resource()
    outputs = run_to_completion(_resolve_all(getattr(root, "outputs", {})))
    return ProgramRun(
        project=project,
        stack=stack,
        mode=mode,
        account=account,
        region=region,
        registrations=monitor.registrations,
        outputs=outputs,
        messages=logger.messages,
        stack_resource=monitor.stack,
        config=dict(config),
        secret_keys=secret_keys,
    )


async def _resolve_all(exports: Mapping[str, Any]) -> dict[str, OutputValue]:
    resolved = {}
    for name, value in exports.items():
        output = pulumi.Output.from_input(value)
        known = await output.is_known()
        resolved[name] = OutputValue(
            value=await _exported(await output.future(with_unknowns=True)) if known else None,
            known=known,
            secret=await output.is_secret(),
        )
    return resolved


async def _exported(value: Any) -> Any:
    """An export as the stack's outputs hold it: a resource exported as such is its URN and id."""
    if isinstance(value, pulumi.Resource):
        found = {"urn": await value.urn.future()}
        if isinstance(value, pulumi.CustomResource):
            found["id"] = await value.id.future()
        return found
    if isinstance(value, dict):
        return {k: await _exported(v) for k, v in value.items()}
    if isinstance(value, list):
        return [await _exported(v) for v in value]
    return value


def stack_context(
    project_dir: Path, stack: str, *, mode: Mode, stack_config: StackConfig | None = None
) -> StackContext:
    """The stack as `pulumi preview` (or `up`) describes it to a policy pack, from its files."""
    project = load_project(project_dir.resolve())
    config = stack_config or load_stack_config(project, stack)
    return StackContext(project.name, stack, mode == "preview", config=config.values,
                        secret_keys=config.secret_keys, tags=project.stack_tags())  # fmt: skip


def run_context(run: ProgramRun) -> StackContext:
    """The same, for a program that has run."""
    return StackContext(run.project, run.stack, run.mode == "preview", config=run.config,
                        secret_keys=run.secret_keys, tags=run.stack_tags)  # fmt: skip


def preflight_stack(
    project_dir: Path,
    stack: str,
    *,
    mode: Mode,
    account: str = DEFAULT_ACCOUNT,
    listener: Listener | None = None,
    provider_check: bool = True,
    stack_config: StackConfig | None = None,
) -> ProgramRun:
    """Run the project's real program for one stack, offline, as the language host runs it: from
    the project directory, with the program's directory (`main:`) first on sys.path.
    `stack_config` stands in for `Pulumi.<stack>.yaml` (a scan of a project that has none)."""
    project_dir = project_dir.resolve()
    project = load_project(project_dir)
    stack_config = stack_config or load_stack_config(project, stack)
    program_dir = (project_dir / project.main).resolve()
    if project.runtime != "python":
        raise EngineError(
            f"{project_dir / 'Pulumi.yaml'}: runtime {project.runtime!r}; opsctl runs Python programs only"
        )
    if not (program_dir / "__main__.py").is_file():
        raise EngineError(f"{program_dir / '__main__.py'} not found: the project has no program to run")

    def program() -> None:
        runpy.run_path(str(program_dir), run_name="__main__")

    try:
        # What the program prints is the program's, not the report's (stdout): the CLI shows it apart.
        with contextlib.chdir(project_dir), contextlib.redirect_stdout(sys.stderr):
            run = run_program(
                program,
                project=project.name,
                stack=stack,
                mode=mode,
                config=stack_config.values,
                secret_keys=stack_config.secret_keys,
                account=account,
                listener=listener,
                provider_check=provider_check,
            )
        run.stack_tags = project.stack_tags()
        return run
    except pulumi.RunError as error:
        raise EngineError(str(error)) from None
    except EngineError:
        raise
    except Exception as error:
        frames = traceback.extract_tb(error.__traceback__)
        ours = [f for f in frames if Path(f.filename).is_relative_to(project_dir) and "site-packages" not in f.filename]
        where = f" (at {Path(ours[-1].filename).relative_to(project_dir)}:{ours[-1].lineno})" if ours else ""
        raise EngineError(f"the program failed{where}: {type(error).__name__}: {error}") from error
