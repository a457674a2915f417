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

import fcntl
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import distributions
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
        return interpreter(self.virtualenv)

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


def pack_launch(pack_dir: Path, virtualenv: Path | None = None) -> PackLaunch:
    """Where the CLI will look for the pack's interpreter, from its manifest (or `virtualenv`, for
    a pack the CLI never runs from where it is, such as the one installed with opsctl)."""
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
    named = (options or {}).get("virtualenv") or DEFAULT_VIRTUALENV
    return PackLaunch(pack_dir, virtualenv or pack_dir / str(named))


def cached_virtualenv(name: str) -> Path:
    """A virtualenv in the user's cache (XDG_CACHE_HOME, else ~/.cache), for a pack whose own
    directory is not the place for one (inside site-packages it would outlive an uninstall)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "ops-baseline" / name


def interpreter(virtualenv: Path) -> Path:
    return virtualenv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_virtualenv(
    launch: PackLaunch,
    constraints: Path | None = None,
    announce: Callable[[str], None] = lambda text: print(text, file=sys.stderr),
) -> None:
    """The pack's virtualenv, as a user must make it before `pulumi preview --policy-pack`.
    `constraints` pins what the requirements leave open; without one, the versions installed beside
    opsctl are the pins (the pack's pulumi is opsctl's)."""
    given = constraints if constraints and constraints.is_file() else None
    make_virtualenv(
        launch.virtualenv,
        launch.pack_dir / "requirements.txt",
        given,
        "the policy pack's",
        "the Pulumi CLI runs the pack from it",
        announce,
        pin_to_installed=given is None,
    )


def installed_pins() -> str:
    """The distributions installed beside opsctl, as a constraints file."""
    pins = {d.metadata["Name"]: d.version for d in distributions() if d.metadata["Name"]}
    return "".join(f"{name}=={version}\n" for name, version in sorted(pins.items()))


def make_virtualenv(
    virtualenv: Path,
    requirements: Path,
    constraints: Path | None,
    whose: str,
    why: str,
    announce: Callable[[str], None],
    *,
    pin_to_installed: bool = False,
) -> None:
    """Make `virtualenv` from `requirements` unless it is whole and current: as for `make pack`, a
    `.installed` stamp newer than the requirements (and constraints). Two runs at once take turns.
    `pin_to_installed`: with no constraints file, pin to what is installed beside opsctl."""
    stamp = virtualenv / ".installed"
    sources = [path for path in (requirements, constraints) if path is not None and path.is_file()]

    def current() -> bool:
        return stamp.is_file() and all(path.stat().st_mtime <= stamp.stat().st_mtime for path in sources)

    if current():
        return
    if not requirements.is_file():
        if interpreter(virtualenv).exists():
            return  # a virtualenv made by hand, with nothing to check it against
        raise EngineError(
            f"{whose} virtualenv {virtualenv} does not exist and there is no {requirements} to make it from"
        )
    virtualenv.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{virtualenv}.lock", "w") as lock, tempfile.NamedTemporaryFile("w", suffix=".txt") as installed:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if current():
            return
        python = interpreter(virtualenv)
        announce(
            f"{'updating' if python.exists() else 'creating'} {whose} virtualenv {virtualenv} from {requirements} ({why})"
        )
        if pin_to_installed:
            installed.write(installed_pins())
            installed.flush()
            constraints = Path(installed.name)
        pins = ["-c", str(constraints)] if constraints else []
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        steps = [[*pip, *pins, "-r", str(requirements)]]
        if not python.exists():
            steps.insert(0, [sys.executable, "-m", "venv", str(virtualenv)])
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True)
            if done.returncode != 0:  # no stamp: the next run tries again
                raise EngineError(
                    f"could not make {whose} virtualenv {virtualenv}: "
                    f"{' '.join(step[:5])} ... failed:\n{(done.stderr or done.stdout).strip()[-2000:]}"
                )
        stamp.touch()
