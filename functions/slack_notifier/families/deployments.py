"""CodePipeline, CodeBuild and CodeDeploy state changes: a failed run is high, a finished one green."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..links import part
from ..notice import Notice
from .base import Origin, arn_parts, card, dig, items, joined, listed, mapping, text

PIPELINE_STATES = {"FAILED": "high", "STOPPED": "low", "CANCELED": "low"}
BUILD_STATES = {"FAILED": "high", "FAULT": "high", "TIMED_OUT": "high", "STOPPED": "low"}
DEPLOYMENT_STATES = {"FAILURE": "high", "STOP": "low"}
SUCCEEDED = ("SUCCEEDED", "SUCCESS")


def _region(event: Mapping[str, Any], origin: Origin) -> str:
    return text(event.get("region")) or origin.region


def codepipeline_change(event: Mapping[str, Any], origin: Origin) -> Notice:
    """Pipeline, stage and action execution state changes."""
    detail = mapping(event.get("detail"))
    pipeline, state = text(detail.get("pipeline")), text(detail.get("state"))
    stage, action = text(detail.get("stage")), text(detail.get("action"))
    where = " › ".join(p for p in (pipeline, stage, action) if p)
    kind = mapping(detail.get("type"))
    url = origin.page(f"codesuite/codepipeline/pipelines/{part(pipeline)}/view", region=_region(event, origin))
    return card(
        event,
        origin,
        headline=f"CodePipeline {where}: {state or 'changed'}",
        severity=PIPELINE_STATES.get(state, "info"),
        succeeded=state in SUCCEEDED,
        summary=text(dig(detail, "execution-result", "external-execution-summary")),
        fields=[
            ("Pipeline", pipeline),
            ("Stage", stage),
            ("Action", action),
            ("State", state),
            ("Provider", joined(text(kind.get("category")), text(kind.get("provider")))),
            ("Execution", text(detail.get("execution-id"))),
            (
                "Trigger",
                joined(
                    text(dig(detail, "execution-trigger", "trigger-type")),
                    text(dig(detail, "execution-trigger", "trigger-detail")),
                ),
            ),
        ],
        link=("Open the pipeline in CodePipeline", url),
    )


def codebuild_change(event: Mapping[str, Any], origin: Origin) -> Notice:
    detail = mapping(event.get("detail"))
    project, status = text(detail.get("project-name")), text(detail.get("build-status"))
    info = mapping(detail.get("additional-information"))
    build = arn_parts(detail.get("build-id"))
    build_id = build[4].removeprefix("build/") if build else text(detail.get("build-id"))
    number = text(info.get("build-number"))
    broken = next((p for p in items(info.get("phases")) if p.get("phase-status") in BUILD_STATES), {})
    context = broken.get("phase-context")
    url = origin.page(f"codesuite/codebuild/projects/{part(project)}/history", region=_region(event, origin))
    return card(
        event,
        origin,
        headline=f"CodeBuild {project}{' #' + number if number else ''}: {status or 'changed'}",
        severity=BUILD_STATES.get(status, "info"),
        succeeded=status in SUCCEEDED,
        summary=listed([text(c) for c in context]) if isinstance(context, list) else "",
        fields=[
            ("Project", project),
            ("Status", status),
            ("Build", build_id),
            ("Failed phase", joined(text(broken.get("phase-type")), text(broken.get("phase-status")), sep=": ")),
            ("Started by", text(info.get("initiator"))),
            ("Source", joined(text(dig(info, "source", "type")), text(dig(info, "source", "location")))),
            ("Logs", joined(text(dig(info, "logs", "group-name")), text(dig(info, "logs", "stream-name")), sep=" / ")),
        ],
        link=("Open the build history in CodeBuild", url),
    )


def codedeploy_change(event: Mapping[str, Any], origin: Origin) -> Notice:
    """Deployment and instance state changes."""
    detail = mapping(event.get("detail"))
    state = text(detail.get("state"))
    deployment = text(detail.get("deploymentId"))
    instance = text(detail.get("instanceId"))
    target = joined(text(detail.get("application")), text(detail.get("deploymentGroup")), sep=" / ")
    url = (
        origin.page(f"codesuite/codedeploy/deployments/{part(deployment)}", region=_region(event, origin))
        if deployment
        else None
    )
    return card(
        event,
        origin,
        headline=f"CodeDeploy {deployment}{' on ' + instance if instance else ''} ({target}): {state or 'changed'}",
        severity=DEPLOYMENT_STATES.get(state, "info"),
        succeeded=state in SUCCEEDED,
        fields=[
            ("Application", text(detail.get("application"))),
            ("Deployment group", text(detail.get("deploymentGroup"))),
            ("Deployment", deployment),
            ("Instance", instance),
            ("State", state),
        ],
        link=("Open the deployment in CodeDeploy", url),
    )
