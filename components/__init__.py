"""Pulumi components of ops-baseline; each owns one concern and takes a typed args object."""

from .access_logs import ACCESS_LOG_FORMAT, access_log_group_name
from .alerting import Alerting, AlertingArgs
from .canaries import Canaries, CanariesArgs
from .context import current_account
from .keys import EncryptionKeys, EncryptionKeysArgs
from .sample_workload import SampleWorkload, SampleWorkloadArgs
from .secure_bucket import SecureBucket, SecureBucketArgs
from .slack_notifier import SlackNotifier, SlackNotifierArgs
from .tagging import tag_every_resource

__all__ = [
    "ACCESS_LOG_FORMAT",
    "Alerting",
    "AlertingArgs",
    "Canaries",
    "CanariesArgs",
    "EncryptionKeys",
    "EncryptionKeysArgs",
    "SampleWorkload",
    "SampleWorkloadArgs",
    "SecureBucket",
    "SecureBucketArgs",
    "SlackNotifier",
    "SlackNotifierArgs",
    "access_log_group_name",
    "current_account",
    "tag_every_resource",
]
