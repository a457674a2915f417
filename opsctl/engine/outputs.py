"""Provider-computed outputs, synthesized the way AWS would fill them in.

One table says, per resource type, which input holds the physical name (autonamed when
absent, as the provider does), how the id and ARN look, and which other outputs the
provider computes. In `up` mode the values are realistic; in `preview` mode the computed
ones are unknown, exactly as in a real `pulumi preview`.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime.rpc import UNKNOWN

from .provider_check import ProviderCheckError, autoname
from .provider_facts import facts_for

DEFAULT_ACCOUNT = "123456789012"


@dataclass(frozen=True)
class OutputSpec:
    name_input: str | None = None
    """Input holding the physical name (the provider's Check autonames it where it does)."""
    arn: str | None = None
    """ARN template: {partition} {region} {account} {name} {uuid} and any input by name."""
    id: str = "{name}"
    computed: Mapping[str, str] = field(default_factory=dict)
    """Other computed outputs, as templates."""


SPECS: dict[str, OutputSpec] = {
    "aws:kms/key:Key": OutputSpec(
        arn="arn:{partition}:kms:{region}:{account}:key/{uuid}", id="{uuid}", computed={"keyId": "{uuid}"}
    ),
    "aws:kms/ciphertext:Ciphertext": OutputSpec(id="{uuid}", computed={"ciphertextBlob": "AQICAH{hex}="}),
    "aws:kms/alias:Alias": OutputSpec(
        name_input="name",
        arn="arn:{partition}:kms:{region}:{account}:{name}",
        computed={"targetKeyArn": "arn:{partition}:kms:{region}:{account}:key/{targetKeyId}"},
    ),
    "aws:sns/topic:Topic": OutputSpec(
        name_input="name",
        arn="arn:{partition}:sns:{region}:{account}:{name}",
        id="{arn}",
        computed={"owner": "{account}"},
    ),
    "aws:sns/topicPolicy:TopicPolicy": OutputSpec(id="{arn}", computed={"owner": "{account}"}),
    "aws:sns/topicSubscription:TopicSubscription": OutputSpec(
        arn="{topic}:{uuid}", id="{arn}", computed={"ownerId": "{account}"}
    ),
    "aws:cloudwatch/logGroup:LogGroup": OutputSpec(
        name_input="name", arn="arn:{partition}:logs:{region}:{account}:log-group:{name}"
    ),
    "aws:cloudwatch/metricAlarm:MetricAlarm": OutputSpec(
        name_input="name", arn="arn:{partition}:cloudwatch:{region}:{account}:alarm:{name}"
    ),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": OutputSpec(
        name_input="alarmName", arn="arn:{partition}:cloudwatch:{region}:{account}:alarm:{name}"
    ),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": OutputSpec(name_input="name"),
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": OutputSpec(name_input="name"),
    "aws:cloudwatch/queryDefinition:QueryDefinition": OutputSpec(
        name_input="name", id="{uuid}", computed={"queryDefinitionId": "{uuid}"}
    ),
    "aws:cloudwatch/dashboard:Dashboard": OutputSpec(
        name_input="dashboardName", arn="arn:{partition}:cloudwatch::{account}:dashboard/{name}"
    ),
    "aws:cloudwatch/eventRule:EventRule": OutputSpec(
        name_input="name", arn="arn:{partition}:events:{region}:{account}:rule/{name}"
    ),
    "aws:cloudwatch/eventTarget:EventTarget": OutputSpec(id="{rule}-{targetId}", computed={"targetId": "{uuid}"}),
    "aws:iam/role:Role": OutputSpec(
        name_input="name",
        arn="arn:{partition}:iam::{account}:role/{name}",
        computed={"uniqueId": "AROA{hex}"},
    ),
    "aws:iam/rolePolicy:RolePolicy": OutputSpec(name_input="name", id="{role}:{name}"),
    "aws:lambda/function:Function": OutputSpec(
        name_input="name",
        arn="arn:{partition}:lambda:{region}:{account}:function:{name}",
        computed={
            "invokeArn": "arn:{partition}:apigateway:{region}:lambda:path/2015-03-31/functions/arn:{partition}:lambda:{region}:{account}:function:{name}/invocations",
            "qualifiedArn": "arn:{partition}:lambda:{region}:{account}:function:{name}:$LATEST",
            "version": "$LATEST",
        },
    ),
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": OutputSpec(id="{functionName}"),
    "aws:lambda/permission:Permission": OutputSpec(id="{statementId}", computed={"statementId": "terraform-{short}"}),
    "aws:s3/bucketObjectv2:BucketObjectv2": OutputSpec(
        id="{key}", computed={"versionId": "{hex}", "etag": "{short}", "arn": "arn:{partition}:s3:::{bucket}/{key}"}
    ),
    "aws:s3/bucket:Bucket": OutputSpec(
        name_input="bucket",
        arn="arn:{partition}:s3:::{name}",
        computed={"bucketDomainName": "{name}.s3.amazonaws.com"},
    ),
    "aws:sqs/queue:Queue": OutputSpec(
        name_input="name",
        arn="arn:{partition}:sqs:{region}:{account}:{name}",
        id="https://sqs.{region}.amazonaws.com/{account}/{name}",
        computed={"url": "https://sqs.{region}.amazonaws.com/{account}/{name}"},
    ),
    "aws:secretsmanager/secretVersion:SecretVersion": OutputSpec(
        id="{secretId}|{uuid}", computed={"versionId": "{uuid}", "arn": "{secretId}"}
    ),
    "aws:secretsmanager/secret:Secret": OutputSpec(
        name_input="name", arn="arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-{short}", id="{arn}"
    ),
    "aws:cloudtrail/trail:Trail": OutputSpec(
        name_input="name",
        arn="arn:{partition}:cloudtrail:{region}:{account}:trail/{name}",
        computed={"homeRegion": "{region}"},
    ),
    "aws:ecr/repository:Repository": OutputSpec(
        name_input="name",
        arn="arn:{partition}:ecr:{region}:{account}:repository/{name}",
        computed={"repositoryUrl": "{account}.dkr.ecr.{region}.amazonaws.com/{name}", "registryId": "{account}"},
    ),
    "aws:apigatewayv2/api:Api": OutputSpec(
        name_input="name",
        arn="arn:{partition}:apigateway:{region}::/apis/{short}",
        id="{short}",
        computed={
            "apiEndpoint": "https://{short}.execute-api.{region}.amazonaws.com",
            "executionArn": "arn:{partition}:execute-api:{region}:{account}:{short}",
        },
    ),
    "aws:apigatewayv2/integration:Integration": OutputSpec(id="{short}"),
    "aws:apigatewayv2/route:Route": OutputSpec(id="{short}"),
    "aws:apigatewayv2/stage:Stage": OutputSpec(
        name_input="name", arn="arn:{partition}:apigateway:{region}::/apis/{apiId}/stages/{name}"
    ),
    "aws:cfg/recorder:Recorder": OutputSpec(name_input="name"),
    "aws:cfg/deliveryChannel:DeliveryChannel": OutputSpec(name_input="name"),
    "aws:cfg/rule:Rule": OutputSpec(
        name_input="name",
        arn="arn:{partition}:config:{region}:{account}:config-rule/config-rule-{short}",
        computed={"ruleId": "config-rule-{short}"},
    ),
    "aws:synthetics/canary:Canary": OutputSpec(
        name_input="name", arn="arn:{partition}:synthetics:{region}:{account}:canary:{name}"
    ),
    "aws:xray/group:Group": OutputSpec(
        name_input="groupName", arn="arn:{partition}:xray:{region}:{account}:group/{name}/{short}", id="{arn}"
    ),
    "aws:xray/samplingRule:SamplingRule": OutputSpec(
        name_input="ruleName", arn="arn:{partition}:xray:{region}:{account}:sampling-rule/{name}"
    ),
}

GENERIC = OutputSpec()
"""Types not in the table: inputs echoed, id from the logical name."""


def _digest(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


class _Template(dict):
    """format_map source that leaves unknown template fields visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def synthesize(
    type_: str,
    logical_name: str,
    urn: str,
    inputs: Mapping[str, Any],
    *,
    account: str,
    region: str,
    partition: str,
    preview: bool,
) -> tuple[str, dict[str, Any]]:
    """Return (id, outputs) for one registration. Outputs start from the inputs."""
    spec = SPECS.get(type_, GENERIC)
    outputs = dict(inputs)
    digest = _digest(urn)
    physical = logical_name
    if spec.name_input:
        if not inputs.get(spec.name_input):
            # Reached without the provider's Check (plain mocks), or for a name the provider never fills.
            prefix = inputs.get("namePrefix") or inputs.get(f"{spec.name_input}Prefix")
            outputs[spec.name_input] = (
                f"{prefix}{digest[:26]}" if prefix else _autoname(type_, logical_name, urn, inputs)
            )
        physical = str(outputs[spec.name_input])
    if preview:
        for key in (["arn"] if spec.arn else []) + list(spec.computed):
            outputs.setdefault(key, UNKNOWN)
        return "", outputs

    values = _Template({k: v for k, v in inputs.items() if isinstance(v, (str, int, float))})
    values.update(
        partition=partition,
        region=str(inputs.get("region") or region),
        account=account,
        name=physical,
        uuid=str(uuid.UUID(digest[:32])),
        short=digest[:10],
        hex=digest[:17].upper(),
    )
    if spec.arn:
        values["arn"] = outputs["arn"] = spec.arn.format_map(values)
    for key, template in spec.computed.items():
        outputs[key] = template.format_map(values)
    return spec.id.format_map(values), outputs


def _autoname(type_: str, logical_name: str, urn: str, inputs: Mapping[str, Any]) -> str:
    try:
        return autoname(facts_for(type_), logical_name, urn, inputs) or logical_name
    except ProviderCheckError:
        return logical_name


def partition_of(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def invoke(token: str, args: Mapping[str, Any], *, account: str, region: str, partition: str) -> dict[str, Any]:
    """Answers for the data sources the program calls."""
    if token == "aws:index/getCallerIdentity:getCallerIdentity":
        return {
            "accountId": account,
            "arn": f"arn:{partition}:iam::{account}:user/opsctl-offline",
            "userId": "AIDAOFFLINEENGINE",
            "id": account,
        }
    if token == "aws:index/getPartition:getPartition":
        suffix = "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"
        return {
            "partition": partition,
            "dnsSuffix": suffix,
            "reverseDnsPrefix": ".".join(reversed(suffix.split("."))),
            "id": partition,
        }
    if token == "aws:secretsmanager/getRandomPassword:getRandomPassword":
        # Offline runs must never produce a usable secret: a fixed, obviously fake value.
        return {"randomPassword": "offline-engine-not-a-secret", "id": "offline"}
    if token == "aws:index/getRegion:getRegion":
        name = args.get("region") or args.get("name") or region
        return {"name": name, "region": name, "endpoint": f"ec2.{name}.amazonaws.com", "description": name, "id": name}
    raise LookupError(f"the offline engine has no answer for data source {token!r}; add it to opsctl/engine/outputs.py")
