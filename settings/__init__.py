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

from .alarms import AlarmSettings, kinds_table
from .model import NAMESPACE, AlertingSettings, Settings, SlackSettings
from .schema import Issue, Parser, SettingsError, describe, reference_table

__all__ = [
    "NAMESPACE",
    "AlertingSettings",
    "Issue",
    "Settings",
    "SettingsError",
    "SlackSettings",
    "describe",
    "load_settings",
    "parse_settings",
    "reference",
]

INTEGER = re.compile(r"^-?\d+$")
FOREIGN_KEYS = ("aws:region",)
"""Keys outside our namespace that settings read."""


def parse_settings(config: Mapping[str, Any], secret_keys: Iterable[str] = ()) -> Settings:
    """Validate a stack's config mapping; raise SettingsError listing every problem."""
    prefix = f"{NAMESPACE}:"
    raw = {key.removeprefix(prefix): value for key, value in config.items() if key.startswith(prefix)}
    raw.update({key: config[key] for key in FOREIGN_KEYS if key in config})
    parser = Parser(secret_roots=frozenset(secret_keys))
    settings = parser.section(Settings, raw, prefix)
    if parser.issues:
        raise SettingsError(parser.issues)
    return settings


def load_settings() -> Settings:
    """Read the running Pulumi program's config (real engine or mocks) into Settings."""
    from pulumi.runtime import config as runtime_config

    merged = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    secret_keys = set(runtime_config.get_config_secret_keys_env()) | {
        key for key in merged if runtime_config.is_config_secret(key)
    }
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
    return parse_settings(decoded, secret_keys)


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


def reference() -> str:
    """Markdown configuration reference: every stack setting, the alarm overrides and the alarm kinds."""
    return "\n\n".join(
        (
            reference_table(Settings, f"{NAMESPACE}:"),
            "#### Alarm overrides\n\nEvery `alarm` and `alarms.<key>` entry above takes these keys; "
            "anything left out keeps the default of the alarm kind.\n\n" + reference_table(AlarmSettings),
            "#### Alarm kinds and their defaults\n\nAlarms are named `<prefix>-<resource>-<what>-<severity>` "
            "(e.g. `ops-prod-orders-errors-critical`) and send ALARM and OK to the alerting topic.\n\n" + kinds_table(),
        )
    )
