"""AWS Config records everything: all supported types, global types in the home region only (as
the program plans it), delivered and on."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit, LiveFacts, LiveFix, setting_off
from ...model import AwsDefault, Guardrail, Parameter, References, StackView, Undecided, Violation
from ...profile import Profile
from ...props import MISSING, UNKNOWN, Invalid, shown
from ...vocabulary.tokens import CONFIG_DELIVERY_CHANNEL, CONFIG_RECORDER, CONFIG_RECORDER_STATUS


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    recorders = stack.of_type(CONFIG_RECORDER)
    if not recorders:
        # A workload stack is recorded by the recorder of its account's baseline.
        if config["requireRecorder"] and not Profile.of(config).workload:
            yield Violation(
                "The stack has no AWS Config recorder; add a recorder, a delivery channel and an enabled recorder status, "
                "or set requireRecorder false where the stack reuses a recorder another stack owns in its region "
                '(an application stack: "stack": "workload" under ops-baseline-profile).'
            )
        return
    for recorder in recorders:
        where = f"AWS Config recorder {recorder.name!r}"
        undecided = []
        all_supported = recorder.props.flag("recordingGroup.allSupported")
        if all_supported is False or isinstance(all_supported, Invalid):
            yield Violation(
                f"{where} recordingGroup.allSupported is {shown(all_supported)}; set it true to record every supported resource type.",
                recorder.urn,
            )
        undecided += ["recordingGroup.allSupported"] if all_supported is UNKNOWN else []
        home = config["homeRegion"]
        region = recorder.props.peek("region")
        if not home or region in (home, MISSING):
            global_types = recorder.props.flag("recordingGroup.includeGlobalResourceTypes")
            if global_types is UNKNOWN:
                undecided.append("recordingGroup.includeGlobalResourceTypes")
            elif global_types is not True:
                yield Violation(
                    f"{where} recordingGroup.includeGlobalResourceTypes is {shown(global_types)}; set it true so the "
                    f"home region ({home or 'this region'}) records global types (IAM), or name the region that does "
                    "in homeRegion.",
                    recorder.urn,
                )
        elif region is UNKNOWN:
            undecided.append("its region")
        statuses = stack.attached(recorder, (CONFIG_RECORDER_STATUS,), "name", "name")
        if statuses is None:
            undecided.append("its recorder status")
        elif not statuses:
            yield Violation(
                f"{where} has no recorder status, so it never starts; add a RecorderStatus with isEnabled true.",
                recorder.urn,
            )
        else:
            enabled = [s.props.flag("isEnabled") for s in statuses]
            if True not in enabled and UNKNOWN in enabled:
                undecided.append("isEnabled of its recorder status")
            elif True not in enabled:
                yield Violation(f"{where} is stopped; set isEnabled true on its RecorderStatus.", recorder.urn)
        if not stack.of_type(CONFIG_DELIVERY_CHANNEL):
            yield Violation(f"{where} has no delivery channel; add one to an encrypted S3 bucket.", recorder.urn)
        if undecided:
            yield Undecided(f"{recorder.name}: {', '.join(undecided)} unknown until deploy", recorder.urn)


def account_config(config: Mapping[str, Any], live: LiveFacts) -> Mapping[str, Any]:
    """Without a homeRegion, the account's: the region whose recorder records global types."""
    return config if config["homeRegion"] else {**config, "homeRegion": live.global_types_home}


GUARDRAIL = Guardrail(
    name="aws-cfg-recorder-record-all-resources",
    description="An AWS Config recorder records all supported types (global types in the home region), has a delivery channel and is enabled.",
    severity="high",
    kind="stack",
    resource_types=(CONFIG_RECORDER, CONFIG_RECORDER_STATUS, CONFIG_DELIVERY_CHANNEL),
    remediation_steps="Create aws.cfg.Recorder(recording_group={all_supported: true, include_global_resource_types: <home region>}), a DeliveryChannel and a RecorderStatus(is_enabled=true) that depends on the channel.",
    references=References(security_hub=("Config.1",), cis=("3.5",), checkov=("CKV2_AWS_45", "CKV2_AWS_48")),
    check=check,
    reads_profile=True,
    parameters=(
        Parameter(
            "requireRecorder",
            {"type": "boolean", "default": True},
            "Fail when the stack has no Config recorder at all (false for a stack that reuses the recorder another "
            "stack owns in its account and region; a workload stack is never asked for one).",
            AwsDefault(True, "Config.1 fails when AWS Config is not recording"),
        ),
        Parameter(
            "homeRegion",
            {"type": "string", "default": ""},
            "The one region of the account whose recorder records global resource types (IAM), as the program's "
            "awsConfig.homeRegion; recorders in other regions need not. Empty: each recorder's own region "
            "(the program's default); the audit then takes the region whose recorder records them.",
        ),
    ),
    audit=LiveAudit(
        types=(CONFIG_RECORDER, CONFIG_RECORDER_STATUS, CONFIG_DELIVERY_CHANNEL),
        account_config=account_config,
        fix=LiveFix(
            "config:StartConfigurationRecorder",
            setting_off(lambda p: p.get("isEnabled") is False, "start the configuration recorder"),
            lambda account, r, config: account.client("config", r.region).start_configuration_recorder(
                ConfigurationRecorderName=r.name
            ),
            target=CONFIG_RECORDER_STATUS,  # a stopped recorder is started through its status
        ),
    ),
)
