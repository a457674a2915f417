"""AWS Backup: job state changes through EventBridge, and the vault's SNS notifications (whose
meaning is in the message attributes; the text is AWS's own sentence)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..links import part
from ..notice import Notice
from .base import Origin, arn_parts, card, joined, mapping, text

STATE_SEVERITY = {"FAILED": "high", "EXPIRED": "medium", "ABORTED": "medium", "PARTIAL": "medium"}
"""EXPIRED: the job never started inside its window, so there is no new recovery point."""
JOBS = {
    "Backup Job State Change": ("backup", "backupJobId", "backup"),
    "Copy Job State Change": ("copy", "copyJobId", "copy"),
    "Restore Job State Change": ("restore", "restoreJobId", "restore"),
}
"""detail-type → (what the job does, its id field, its page under #/jobs/)."""
VAULT_EVENTS = {"BACKUP_JOB": "backup", "COPY_JOB": "copy", "RESTORE_JOB": "restore", "S3_BACKUP_OBJECT": "backup"}


def _severity(state: str, message: str) -> str:
    # The console's "Completed with issues" is a COMPLETED job with a status message.
    return STATE_SEVERITY.get(state, "low" if state == "COMPLETED" and message else "info")


def _job_link(origin: Origin, page: str, job_id: str, region: str) -> tuple[str, str | None]:
    url = origin.console("backup", f"/jobs/{page}/details/{part(job_id)}", region=region) if job_id else None
    return "Open the job in AWS Backup", url


def backup_job(event: Mapping[str, Any], origin: Origin) -> Notice:
    detail = mapping(event.get("detail"))
    kind, id_field, page = JOBS.get(text(event.get("detail-type")), ("backup", "backupJobId", "backup"))
    state = text(detail.get("state") or detail.get("status"))  # restore jobs say `status`
    message = text(detail.get("statusMessage"))
    job_id = text(detail.get(id_field))
    resource = text(detail.get("resourceArn") or detail.get("createdResourceArn"))
    vault = text(detail.get("backupVaultName")) or _vault(detail.get("sourceBackupVaultArn"))
    return card(
        event,
        origin,
        headline=f"AWS Backup {kind} job {state or 'changed'}: {resource or job_id}",
        severity=_severity(state, message),
        succeeded=state == "COMPLETED" and not message,
        summary=message,
        fields=[
            ("State", state),
            ("Resource", joined(text(detail.get("resourceType")), resource)),
            ("Vault", vault),
            ("Destination vault", _vault(detail.get("destinationBackupVaultArn"))),
            ("Job", job_id),
            ("Plan", _plan(detail)),
            ("Created", text(detail.get("creationDate"))),
        ],
        link=_job_link(origin, page, job_id, text(event.get("region")) or origin.region),
    )


def _plan(detail: Mapping[str, Any]) -> str:
    created = mapping(detail.get("createdBy"))
    return text(created.get("backupPlanArn") or created.get("backupPlanId"))


def _vault(arn: Any) -> str:
    parts = arn_parts(arn)
    return parts[4].removeprefix("backup-vault:") if parts else text(arn)


def is_vault_notification(message: Any, origin: Origin) -> bool:
    return isinstance(message, str) and origin.attributes.get("EventType") in VAULT_EVENTS


def vault_notification(message: str, origin: Origin) -> Notice:
    kind = VAULT_EVENTS[origin.attributes["EventType"]]
    state = origin.attributes.get("State", "")
    job_id = origin.attributes.get("Id", "")
    return card(
        {},
        origin,
        headline=f"AWS Backup {kind} job {state or 'changed'}" + (f": {job_id}" if job_id else ""),
        severity=_severity(state, ""),
        succeeded=state == "COMPLETED",
        summary=message,
        fields=[
            ("State", state),
            ("Job", job_id),
            ("Account", origin.attributes.get("AccountId", "")),
            ("Started", origin.attributes.get("StartTime", "")),
        ],
        link=_job_link(origin, kind, job_id, origin.region),
        source="aws.backup",
    )
