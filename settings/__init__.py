"""Stack configuration → frozen, typed `Settings`, with every problem reported at once.

`parse_settings` works on a plain mapping of full Pulumi config keys (`ops-baseline:tags`,
`aws:region`), as written in `Pulumi.<stack>.yaml`; `load_settings` feeds it from the Pulumi
runtime, where structured values arrive as JSON strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .alarms import AlarmSettings
from .model import NAMESPACE, AlertingSettings, Settings, SlackSettings
from .schema import Issue, Parser, SectionChecks, SettingsError, describe, reference_table

__all__ = [
    "NAMESPACE",
    "AlertingSettings",
    "Issue",
    "SectionChecks",
    "Settings",
    "SettingsError",
    "SlackSettings",
    "decode_runtime_value",
    "describe",
    "load_settings",
    "parse_settings",
    "reference",
    "runtime_config",
]

INTEGER = re.compile(r"^-?\d+$")
FOREIGN_KEYS = ("aws:region",)
"""Keys outside our namespace that settings read."""


def parse_settings(
    config: Mapping[str, Any], secret_keys: Iterable[str] = (), section_checks: SectionChecks | None = None
) -> Settings:
    """Validate a stack's config mapping; raise SettingsError listing every problem.

    `section_checks` adds rules another layer owns (the plan's alarm kinds) to the sections they judge,
    so their problems are reported with every other one.
    """
    prefix = f"{NAMESPACE}:"
    raw = {key.removeprefix(prefix): value for key, value in config.items() if key.startswith(prefix)}
    raw.update({key: config[key] for key in FOREIGN_KEYS if key in config})
    parser = Parser(secret_roots=frozenset(secret_keys), section_checks=section_checks or {})
    settings = parser.section(Settings, raw, prefix)
    if parser.issues:
        raise SettingsError(parser.issues)
    return settings


def runtime_config() -> tuple[dict[str, Any], set[str]]:
    """The running Pulumi program's config (real engine or mocks), decoded, and its secret keys."""
    from pulumi.runtime import config as runtime

    merged = {**runtime.get_config_env(), **runtime.CONFIG.get()}
    secret_keys = set(runtime.get_config_secret_keys_env()) | {key for key in merged if runtime.is_config_secret(key)}
    decoded: dict[str, Any] = {}
    issues: list[Issue] = []
    for key, value in merged.items():
        try:
            decoded[key] = decode_runtime_value(value)
        except json.JSONDecodeError as error:
            shown = "[secret]" if key in secret_keys else value[:60]
            issues.append(Issue(key, shown, f"is not valid structured config ({error.msg})"))
    if issues:
        raise SettingsError(issues)
    return decoded, secret_keys


def load_settings() -> Settings:
    """Read the running Pulumi program's config into Settings."""
    return parse_settings(*runtime_config())


def decode_runtime_value(value: Any) -> Any:
    """The engine passes objects and lists as JSON text and scalars as plain strings.

    Integers and booleans are turned back into what the stack file said, so errors show
    `13`, not `"13"`; no top-level string setting is ever numeric.
    """
    if not isinstance(value, str):
        return value
    if value[:1] in ("{", "["):
        return json.loads(value)
    if value in ("true", "false"):
        return value == "true"
    if INTEGER.match(value):
        return int(value)
    return value


def summary() -> str:
    """Markdown table of the top-level stack settings, for the README; docs/configuration.md has the rest."""
    table = reference_table(Settings, f"{NAMESPACE}:", top_level_only=True)
    return table.replace("| see below |", "| [its keys](docs/configuration.md) |")


def reference() -> str:
    """Markdown configuration reference: every stack setting and the alarm overrides."""
    return "\n\n".join(
        (
            reference_table(Settings, f"{NAMESPACE}:"),
            "#### Alarm overrides\n\nEvery `alarm` and `alarms.<key>` entry above takes these keys; "
            "anything left out keeps the default of the alarm kind.\n\n" + reference_table(AlarmSettings),
        )
    )
