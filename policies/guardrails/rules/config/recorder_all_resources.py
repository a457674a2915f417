"""AWS Config records everything: all supported types, global types in the home region, delivered and on."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import Guardrail, Parameter, References, StackView, Violation
from ...props import UNKNOWN
from ...tokens import CONFIG_DELIVERY_CHANNEL, CONFIG_RECORDER, CONFIG_RECORDER_STATUS


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation]:
    recorders = stack.of_type(CONFIG_RECORDER)
    if not recorders:
        if config["requireRecorder"]:
            yield Violation(
                "The stack has no AWS Config recorder; add a recorder, a delivery channel and an enabled recorder status."
            )
        return
    for recorder in recorders:
        where = f"AWS Config recorder {recorder.name!r}"
        if recorder.props.get("recordingGroup.allSupported") is False:
            yield Violation(
                f"{where} does not record all supported resource types; set recordingGroup.allSupported true.",
                recorder.urn,
            )
        if config["isHomeRegion"] and recorder.props.get("recordingGroup.includeGlobalResourceTypes") not in (
            True,
            UNKNOWN,
        ):
            yield Violation(
                f"{where} does not record global resource types (IAM) in the home region; set recordingGroup.includeGlobalResourceTypes true.",
                recorder.urn,
            )
        name = recorder.props.get("name")
        statuses = stack.attached(recorder, CONFIG_RECORDER_STATUS, "name", "name")
        if statuses is not None:
            if not statuses:
                yield Violation(
                    f"{where} has no recorder status, so it never starts; add a RecorderStatus with isEnabled true.",
                    recorder.urn,
                )
            elif not any(s.props.get("isEnabled") in (True, UNKNOWN) for s in statuses):
                yield Violation(f"{where} is stopped; set isEnabled true on its RecorderStatus.", recorder.urn)
        if name is not UNKNOWN and not stack.of_type(CONFIG_DELIVERY_CHANNEL):
            yield Violation(f"{where} has no delivery channel; add one to an encrypted S3 bucket.", recorder.urn)


GUARDRAIL = Guardrail(
    name="aws-cfg-recorder-record-all-resources",
    description="An AWS Config recorder records all supported types (global types in the home region), has a delivery channel and is enabled.",
    severity="high",
    kind="stack",
    resource_types=(CONFIG_RECORDER, CONFIG_RECORDER_STATUS, CONFIG_DELIVERY_CHANNEL),
    remediation_steps="Create aws.cfg.Recorder(recording_group={all_supported: true, include_global_resource_types: <home region>}), a DeliveryChannel and a RecorderStatus(is_enabled=true) that depends on the channel.",
    references=References(security_hub=("Config.1",), cis=("3.5",), checkov=("CKV2_AWS_45", "CKV2_AWS_48")),
    check=check,
    parameters=(
        Parameter(
            "requireRecorder",
            {"type": "boolean", "default": True},
            "Fail when the stack has no Config recorder at all.",
        ),
        Parameter(
            "isHomeRegion",
            {"type": "boolean", "default": True},
            "This stack's region records global resource types (IAM).",
        ),
    ),
)
