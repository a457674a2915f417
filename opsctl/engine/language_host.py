"""Start a Python policy pack exactly as the Pulumi CLI does for `--policy-pack DIR`.

The CLI's Python language host reads `PulumiPolicy.yaml` (runtime option `virtualenv`, `venv` by
default for packs) and runs

    <pack>/<virtualenv>/bin/python -u -m pulumi.policy ENGINE_ADDRESS <absolute pack dir>

with the pack directory as working directory and, in the environment, the stack the engine is
running: PULUMI_ORGANIZATION, PULUMI_PROJECT, PULUMI_STACK, PULUMI_DRY_RUN and PULUMI_CONFIG (the
decrypted stack config as JSON, every value a string). The CLI does not create that virtualenv for
a local pack; opsctl does, once, when it is missing, and says so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import EngineError

MANIFEST = "PulumiPolicy.yaml"
DEFAULT_VIRTUALENV = "venv"
"""What the language host assumes for a policy pack that names no virtualenv."""
ENGINE_ADDRESS = "127.0.0.1:0"
"""Where the pack could reach the engine. `pulumi.policy` parses the argument and never dials it,
so nothing listens there."""
LOCAL_ORGANIZATION = "organization"
"""What the SDK assumes when the backend has no organization (a local or self-managed backend)."""


@dataclass(frozen=True)
class StackContext:
    """The stack the engine runs, as it tells the pack: in its environment and in ConfigureStack."""

    project: str
    stack: str
    dry_run: bool
    organization: str = LOCAL_ORGANIZATION
    config: Mapping[str, str] = field(default_factory=dict)
    """Full config keys (`aws:region`, `ops-baseline:alerting`) → values as strings, objects as JSON."""
    secret_keys: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    """The stack's tags, as the CLI sets them (`pulumi:project`, `pulumi:runtime`, ...)."""

    def environment(self) -> dict[str, str]:
        return {
            "PULUMI_ORGANIZATION": self.organization,
            "PULUMI_PROJECT": self.project,
            "PULUMI_STACK": self.stack,
            "PULUMI_DRY_RUN": "true" if self.dry_run else "false",
            "PULUMI_CONFIG": json.dumps(dict(self.config)),
        }


@dataclass(frozen=True)
class PackLaunch:
    pack_dir: Path
    virtualenv: Path

    @property
    def python(self) -> Path:
        return self.virtualenv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")

    def command(self) -> list[str]:
        return [str(self.python), "-u", "-m", "pulumi.policy", ENGINE_ADDRESS, str(self.pack_dir)]

    def start(self, context: StackContext) -> subprocess.Popen:
        return subprocess.Popen(
            self.command(),
            cwd=self.pack_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **context.environment()},
            text=True,
        )


def pack_launch(pack_dir: Path) -> PackLaunch:
    """Where the CLI will look for the pack's interpreter, from its manifest."""
    pack_dir = pack_dir.resolve()
    manifest = pack_dir / MANIFEST
    if not manifest.is_file():
        raise EngineError(f"{pack_dir} is not a policy pack (no {MANIFEST})")
    try:
        document = yaml.safe_load(manifest.read_text()) or {}
    except yaml.YAMLError as error:
        raise EngineError(f"{manifest}: not valid YAML ({getattr(error, 'problem', None) or error})") from None
    runtime = document.get("runtime") if isinstance(document, dict) else None
    name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if name != "python":
        raise EngineError(f"{manifest}: runtime {json.dumps(name)} is not python; opsctl runs Python packs only")
    options = runtime.get("options") if isinstance(runtime, dict) else None
    virtualenv = (options or {}).get("virtualenv") or DEFAULT_VIRTUALENV
    return PackLaunch(pack_dir, pack_dir / str(virtualenv))


def ensure_virtualenv(
    launch: PackLaunch, constraints: Path | None = None, announce: Callable[[str], None] = print
) -> None:
    """Create the pack's virtualenv from its requirements.txt when it has none, as a user must
    before `pulumi preview --policy-pack`; `constraints` pins what the requirements leave open."""
    if launch.python.exists():
        return
    requirements = launch.pack_dir / "requirements.txt"
    if not requirements.is_file():
        raise EngineError(
            f"the policy pack has no virtualenv at {launch.virtualenv} and no requirements.txt to create it from"
        )
    announce(
        f"creating the policy pack's virtualenv {launch.virtualenv} from {requirements} "
        "(the Pulumi CLI runs the pack from it; once)"
    )
    pins = ["-c", str(constraints)] if constraints and constraints.is_file() else []
    pip = [str(launch.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    for step in ([sys.executable, "-m", "venv", str(launch.virtualenv)], [*pip, *pins, "-r", str(requirements)]):
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            shutil.rmtree(launch.virtualenv, ignore_errors=True)  # half a virtualenv would pass for a whole one
            raise EngineError(
                f"could not create the policy pack's virtualenv {launch.virtualenv}: "
                f"{' '.join(step[:4])} ... failed:\n{(done.stderr or done.stdout).strip()[-2000:]}"
            )
