"""The guardrail catalog: every guardrail, listed explicitly. The policy pack, the AWS Config
component and the CLI all read this one list, and judge a policy config's consistency by it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import Guardrail
from .rules.apigateway import stage_access_logging, stage_execution_logging, stage_xray_tracing
from .rules.cfg import delivery_channel_kms, recorder_all_resources
from .rules.cloudtrail import cis_metric_alarms, cloudwatch_logs, kms_key, log_file_validation, logging_on, multi_region
from .rules.cloudwatch import alarm_actions, log_group_kms, log_group_retention, log_resource_policy_public
from .rules.ec2 import imdsv2, public_admin_ports, public_high_risk_ports
from .rules.ecr import image_scanning, immutable_tags, kms_encryption, repository_policy_public
from .rules.eks import control_plane_logging, public_endpoint, secrets_encryption
from .rules.environment import plaintext_secrets
from .rules.iam import admin_access, broad_managed_policies, service_wildcards
from .rules.kinesis import stream_encryption as kinesis_stream_encryption
from .rules.kms import key_in_use_usable, key_lockout, key_policy_public, key_rotation
from .rules.lambda_ import (
    active_tracing,
    deprecated_runtime,
    environment_encryption,
    errors_alarm_coverage,
    function_url_auth,
    permission_public,
    runtime_deprecation_warning,
)
from .rules.rds import (
    cluster_deletion_protection,
    cluster_storage_encryption,
    instance_deletion_protection,
    instance_storage_encryption,
    public_access,
)
from .rules.s3 import (
    account_public_access_block,
    audit_bucket_logging,
    bucket_policy_public,
    declared_public_access_block,
    deployed_code,
    public_access_block,
    tls_requests_only,
    versioning,
)
from .rules.s3 import kms_encryption as s3_kms_encryption
from .rules.secretsmanager import secret_cmk, secret_policy_public, secret_rotation
from .rules.sns import subscription_https, topic_kms, topic_policy_public
from .rules.sqs import queue_encryption, queue_policy_public
from .rules.tagging import required_tags
from .rules.xray import encryption as xray_encryption
from .scope import SELECTION, selection_problems

CATALOG: tuple[Guardrail, ...] = (
    log_group_retention.GUARDRAIL,
    log_group_kms.GUARDRAIL,
    alarm_actions.GUARDRAIL,
    image_scanning.GUARDRAIL,
    immutable_tags.GUARDRAIL,
    kms_encryption.GUARDRAIL,
    topic_kms.GUARDRAIL,
    topic_policy_public.GUARDRAIL,
    queue_encryption.GUARDRAIL,
    secret_cmk.GUARDRAIL,
    key_rotation.GUARDRAIL,
    key_lockout.GUARDRAIL,
    xray_encryption.GUARDRAIL,
    delivery_channel_kms.GUARDRAIL,
    multi_region.GUARDRAIL,
    log_file_validation.GUARDRAIL,
    kms_key.GUARDRAIL,
    cloudwatch_logs.GUARDRAIL,
    logging_on.GUARDRAIL,
    active_tracing.GUARDRAIL,
    environment_encryption.GUARDRAIL,
    stage_access_logging.GUARDRAIL,
    public_access_block.GUARDRAIL,
    declared_public_access_block.GUARDRAIL,
    s3_kms_encryption.GUARDRAIL,
    versioning.GUARDRAIL,
    deployed_code.GUARDRAIL,
    recorder_all_resources.GUARDRAIL,
    cis_metric_alarms.GUARDRAIL,
    errors_alarm_coverage.GUARDRAIL,
    admin_access.GUARDRAIL,
    service_wildcards.GUARDRAIL,
    bucket_policy_public.GUARDRAIL,
    tls_requests_only.GUARDRAIL,
    queue_policy_public.GUARDRAIL,
    key_policy_public.GUARDRAIL,
    repository_policy_public.GUARDRAIL,
    permission_public.GUARDRAIL,
    secret_rotation.GUARDRAIL,
    required_tags.GUARDRAIL,
    instance_storage_encryption.GUARDRAIL,
    cluster_storage_encryption.GUARDRAIL,
    public_access.GUARDRAIL,
    instance_deletion_protection.GUARDRAIL,
    cluster_deletion_protection.GUARDRAIL,
    public_endpoint.GUARDRAIL,
    secrets_encryption.GUARDRAIL,
    control_plane_logging.GUARDRAIL,
    public_admin_ports.GUARDRAIL,
    public_high_risk_ports.GUARDRAIL,
    imdsv2.GUARDRAIL,
    kinesis_stream_encryption.GUARDRAIL,
    broad_managed_policies.GUARDRAIL,
    deprecated_runtime.GUARDRAIL,
    runtime_deprecation_warning.GUARDRAIL,
    plaintext_secrets.GUARDRAIL,
    secret_policy_public.GUARDRAIL,
    key_in_use_usable.GUARDRAIL,
    subscription_https.GUARDRAIL,
    function_url_auth.GUARDRAIL,
    stage_xray_tracing.GUARDRAIL,
    log_resource_policy_public.GUARDRAIL,
    stage_execution_logging.GUARDRAIL,
    audit_bucket_logging.GUARDRAIL,
    account_public_access_block.GUARDRAIL,
)

BY_NAME: dict[str, Guardrail] = {g.name: g for g in CATALOG}


def config_conflicts(config: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """What a policy config (policy name → properties) contradicts itself in, beyond its schema: a
    guardrail's parameters that exclude each other, a selection that disables what it did not mean
    to. The pack refuses such a config in Configure and opsctl before the run, with these messages."""
    problems = []
    for name, properties in config.items():
        guardrail = BY_NAME.get(name)
        if guardrail is not None and guardrail.conflicts is not None:
            problems += [f"{name}: {message}" for message in guardrail.conflicts(guardrail.config(properties))]
    if SELECTION in config:
        problems += selection_problems(config[SELECTION], CATALOG)
    return problems
