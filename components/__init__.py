"""Pulumi components of ops-baseline; each owns one concern and takes a typed args object."""

from .alerting import Alerting, AlertingArgs
from .context import current_account
from .keys import EncryptionKeys, EncryptionKeysArgs
from .tagging import tag_every_resource

__all__ = [
    "Alerting",
    "AlertingArgs",
    "EncryptionKeys",
    "EncryptionKeysArgs",
    "current_account",
    "tag_every_resource",
]
