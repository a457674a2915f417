"""A Pulumi program under the offline engine, inside the program's own virtualenv, as the Python
language host runs it there: `<virtualenv>/bin/python -m opsctl.engine.program_host`, in the
project directory. So the program imports what its requirements.txt installed (pulumi_random, its
own pulumi_aws), and the engine reads the provider schema of those versions.

Both sides are here. `run_hosted` (opsctl's side) starts the host with only opsctl's engine on
PYTHONPATH (none of opsctl's own dependencies), sends the stack on stdin, and hears each
registration as it happens, one JSON line on a pipe of its own (the program's stdout and stderr
are its own), then the run's outputs, log messages and the stack resource; a failure as a line
that names it. `main` (the host's side) runs the program and writes those lines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .errors import EngineError
from .language_host import interpreter, make_virtualenv
from .mocks import Listener, Mode, Options, Registration
from .project import StackConfig, load_project, load_stack_config
from .runner import OutputValue, ProgramRun, preflight_stack

HOST_FD = "OPSCTL_HOST_FD"


def main() -> None:
    request = json.loads(sys.stdin.read())
    lines = os.fdopen(int(os.environ[HOST_FD]), "w", buffering=1)

    def send(registration: Registration, *_: Any) -> None:
        lines.write(json.dumps({"registration": asdict(registration)}) + "\n")

    try:
        run = preflight_stack(
            Path.cwd(),
            request["stack"],
            mode=request["mode"],
            account=request["account"],
            listener=send,
            stack_config=StackConfig(request["stack"], request["config"], tuple(request["secretKeys"])),
        )
    except EngineError as error:
        lines.write(json.dumps({"error": str(error)}) + "\n")
        sys.exit(1)
    finished = {
        "outputs": {name: asdict(value) for name, value in run.outputs.items()},
        "messages": run.messages,
        "stack": asdict(run.stack_resource) if run.stack_resource else None,
        "componentOutputs": {r.urn: r.outputs for r in run.registrations if not r.custom},
        "stackTags": run.stack_tags,
    }
    lines.write(json.dumps({"finished": finished}) + "\n")


def registration_of(fields: dict[str, Any]) -> Registration:
    options = fields.pop("options")
    options["custom_timeouts"] = tuple(options["custom_timeouts"])
    plain: dict[str, Any] = {
        k: tuple(v) if k == "dependencies" else v for k, v in fields.items() if k != "property_dependencies"
    }
    listed: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in options.items()}
    return Registration(
        **plain,
        property_dependencies={k: tuple(v) for k, v in fields["property_dependencies"].items()},
        options=Options(**listed),
    )


def run_hosted(
    python: Path,
    project_dir: Path,
    project: str,
    stack_config: StackConfig,
    *,
    mode: Mode,
    account: str,
    listener: Listener | None = None,
) -> ProgramRun:
    """Run the program with `python` (its virtualenv's) and hear it as the in-process run is heard."""
    with tempfile.TemporaryDirectory(prefix="opsctl-engine-") as shim:
        (Path(shim) / "opsctl").symlink_to(Path(__file__).resolve().parent.parent, target_is_directory=True)
        read, write = os.pipe()
        environment = {**os.environ, HOST_FD: str(write), "PYTHONPATH": shim}
        try:
            process = subprocess.Popen(
                [str(python), "-m", "opsctl.engine.program_host"],
                cwd=project_dir,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=environment,
                pass_fds=(write,),
                text=True,
            )
        except OSError as error:
            raise EngineError(f"cannot run the program with {python}: {error.strerror}") from None
        finally:
            os.close(write)
        assert process.stdin is not None and process.stdout is not None  # both opened as pipes
        said: deque[str] = deque(maxlen=100)
        stdout = process.stdout
        output = threading.Thread(target=lambda: said.extend(stdout), daemon=True)
        output.start()
        request = {"stack": stack_config.stack, "mode": mode, "account": account,
                   "config": stack_config.values, "secretKeys": list(stack_config.secret_keys)}  # fmt: skip
        process.stdin.write(json.dumps(request))
        process.stdin.close()
        registrations: list[Registration] = []
        finished: dict[str, Any] | None = None
        failure = ""
        with os.fdopen(read) as lines:
            for line in lines:
                message = json.loads(line)
                if "registration" in message:
                    registration = registration_of(message["registration"])
                    registrations.append(registration)
                    if listener is not None:
                        listener(registration, None, None)
                finished = message.get("finished", finished)
                failure = message.get("error", failure)
        process.wait()
        output.join(timeout=5)
        stdout.close()
    if failure:
        raise EngineError(failure)
    if finished is None:
        raise EngineError(f"the program host stopped (exit {process.returncode}):\n{''.join(said).strip()[-2000:]}")
    for registration in registrations:
        registration.outputs = finished["componentOutputs"].get(registration.urn, registration.outputs)
    printed = [("info", line.rstrip()) for line in said if line.strip()]  # the CLI shows what a program prints
    return ProgramRun(
        project=project,
        stack=stack_config.stack,
        mode=mode,
        account=account,
        region=stack_config.region,
        registrations=registrations,
        outputs={name: OutputValue(**value) for name, value in finished["outputs"].items()},
        messages=[*printed, *(tuple(m) for m in finished["messages"])],
        stack_resource=registration_of(finished["stack"]) if finished["stack"] else None,
        config=dict(stack_config.values),
        secret_keys=stack_config.secret_keys,
        stack_tags=finished["stackTags"],
    )


def run_project(
    project_dir: Path,
    stack: str,
    *,
    mode: Mode,
    account: str,
    listener: Listener | None = None,
    stack_config: StackConfig | None = None,
    announce: Callable[[str], None] = lambda text: print(text, file=sys.stderr),
) -> ProgramRun:
    """Any Python Pulumi project, run as the CLI runs it: in the virtualenv its Pulumi.yaml names
    (made from its requirements.txt first, as the CLI makes it), else with opsctl's interpreter
    (the CLI's python on the PATH)."""
    project = load_project(project_dir.resolve())
    stack_config = stack_config or load_stack_config(project, stack)
    virtualenv = project.virtualenv
    if virtualenv is None:
        return preflight_stack(project.directory, stack, mode=mode, account=account, listener=listener,
                               stack_config=stack_config)  # fmt: skip
    toolchain = str(project.options.get("toolchain") or "pip")
    if toolchain == "pip":
        make_virtualenv(virtualenv, project.directory / "requirements.txt", None, "the program's",
                        "the Pulumi CLI makes it the same way and runs the program from it", announce)  # fmt: skip
    elif not interpreter(virtualenv).exists():
        raise EngineError(
            f"{project.directory / 'Pulumi.yaml'}: toolchain {toolchain!r} makes the program's virtualenv, "
            f"and {virtualenv} has none yet: run `{toolchain} install` there first (opsctl makes virtualenvs with pip)"
        )
    return run_hosted(interpreter(virtualenv), project.directory, project.name, stack_config, mode=mode,
                      account=account, listener=listener)  # fmt: skip


if __name__ == "__main__":
    main()
