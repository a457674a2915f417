"""Pulumi components of ops-baseline; each owns one concern and takes its plan node (plan/) in a typed
args object, with the inputs other components give it."""

from .access_logs import ACCESS_LOG_FORMAT
from .alerting import Alerting, AlertingArgs
from .canaries import Canaries, CanariesArgs
from .compliance import Compliance, ComplianceArgs
from .context import current_account
from .flow_logs import FlowLogs, FlowLogsArgs
from .keys import EncryptionKeys, EncryptionKeysArgs
from .registries import Registries, RegistriesArgs
from .sample_workload import SampleWorkload, SampleWorkloadArgs
from .secure_bucket import SecureBucket, SecureBucketArgs
from .slack_notifier import SlackNotifier, SlackNotifierArgs
from .tagging import tag_every_resource
from .tracing import Tracing, TracingArgs
from .trail import EventRules, EventRulesArgs, Trail, TrailArgs

__all__ = [
    "ACCESS_LOG_FORMAT",
    "Alerting",
    "AlertingArgs",
    "Canaries",
    "CanariesArgs",
    "Compliance",
    "ComplianceArgs",
    "EncryptionKeys",
    "EncryptionKeysArgs",
    "EventRules",
    "EventRulesArgs",
    "FlowLogs",
    "FlowLogsArgs",
    "Registries",
    "RegistriesArgs",
    "SampleWorkload",
    "SampleWorkloadArgs",
    "SecureBucket",
    "SecureBucketArgs",
    "SlackNotifier",
    "SlackNotifierArgs",
    "Tracing",
    "TracingArgs",
    "Trail",
    "TrailArgs",
    "current_account",
    "tag_every_resource",
]
