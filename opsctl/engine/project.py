"""Read Pulumi.yaml and Pulumi.<stack>.yaml the way the CLI hands config to a program."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import EngineError

SECRET_PLACEHOLDER = "https://placeholder.invalid/offline-secret"
"""Stands in for `secure:` values, which only the real CLI can decrypt. The `.invalid` domain
never resolves, and the value passes URL checks so the rest of the program still runs."""


@dataclass(frozen=True)
class Project:
    name: str
    directory: Path
    runtime: str = "python"
    description: str = ""
    main: str = ""
    """Where the program is, relative to the project directory (`main:`); empty: the directory itself."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """The runtime's options (`virtualenv`, `toolchain`)."""

    @property
    def virtualenv(self) -> Path | None:
        """The program's own virtualenv, which the CLI makes from requirements.txt; None: the
        interpreter on the PATH runs the program."""
        named = self.options.get("virtualenv")
        return (self.directory / str(named)).resolve() if named else None

    def stack_tags(self) -> dict[str, str]:
        """The tags the CLI gives every stack of the project (and tells a policy pack of)."""
        tags = {"pulumi:project": self.name, "pulumi:runtime": self.runtime}
        return tags | ({"pulumi:description": self.description} if self.description else {})

    def stack_file(self, stack: str) -> Path:
        return self.directory / f"Pulumi.{stack}.yaml"

    def stacks(self) -> list[str]:
        return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in self.directory.glob("Pulumi.*.yaml"))


@dataclass(frozen=True)
class StackConfig:
    """Config as the language host passes it: full keys → strings (objects as JSON)."""

    stack: str
    values: dict[str, str] = field(default_factory=dict)
    secret_keys: tuple[str, ...] = ()

    @property
    def region(self) -> str:
        return self.values.get("aws:region", "us-east-1")


def load_project(directory: Path) -> Project:
    path = directory / "Pulumi.yaml"
    document = _read_yaml(path)
    name = document.get("name") if isinstance(document, dict) else None
    if not isinstance(name, str) or not name:
        raise EngineError(f"{path}: the project file must have a 'name'")
    runtime = document.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    options = runtime.get("options") if isinstance(runtime, dict) else None
    description = document.get("description")
    main = document.get("main")
    return Project(
        name=name,
        directory=directory,
        runtime=str(runtime_name or "python"),
        description=description if isinstance(description, str) else "",
        main=main if isinstance(main, str) else "",
        options=options if isinstance(options, dict) else {},
    )


def load_stack_config(project: Project, stack: str) -> StackConfig:
    path = project.stack_file(stack)
    if not path.is_file():
        existing = ", ".join(project.stacks()) or "none"
        raise EngineError(f"unknown stack {stack!r}: no {path.name} in {project.directory} (stacks: {existing})")
    document = _read_yaml(path) or {}
    if not isinstance(document, dict):
        raise EngineError(f"{path}: expected a mapping with a 'config' key, got {type(document).__name__}")
    unexpected = set(document) - {"config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"}
    if unexpected:
        raise EngineError(
            f"{path}: unknown top-level keys {sorted(unexpected)}; a stack file holds 'config' and secrets-provider keys"
        )
    config = document.get("config") or {}
    if not isinstance(config, dict):
        raise EngineError(f"{path}: 'config' must be a mapping of keys to values")
    values: dict[str, str] = {}
    secrets: list[str] = []
    for raw_key, raw_value in config.items():
        key = str(raw_key) if ":" in str(raw_key) else f"{project.name}:{raw_key}"
        value, secret = _replace_secure(raw_value)
        values[key] = runtime_string(value)
        if secret:
            secrets.append(key)
    return StackConfig(stack=stack, values=values, secret_keys=tuple(secrets))


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise EngineError(f"{path} not found: run opsctl from the project directory or pass --project-dir") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise EngineError(f"{path}:{where}: not valid YAML ({problem})") from None


def _replace_secure(value: Any) -> tuple[Any, bool]:
    """Swap every `{secure: ...}` for the placeholder; report whether any was found."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET_PLACEHOLDER, True
        found = False
        replaced = {}
        for k, v in value.items():
            replaced[k], secret = _replace_secure(v)
            found = found or secret
        return replaced, found
    if isinstance(value, list):
        pairs = [_replace_secure(v) for v in value]
        return [v for v, _ in pairs], any(s for _, s in pairs)
    return value, False


def package_config(config: Mapping[str, str], package: str) -> dict[str, str]:
    """A default provider's configuration: the stack's `<package>:<key>` settings, by key."""
    return {key.removeprefix(f"{package}:"): value for key, value in config.items() if key.startswith(f"{package}:")}


def runtime_string(value: Any) -> str:
    """A config value as the engine hands it to the program: objects and lists as JSON, scalars as text."""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)
