"""Provider-computed outputs, synthesized the way AWS would fill them in.

One table says, per resource type, which input holds the physical name (autonamed when
absent, as the provider does), how the id and ARN look, and which other outputs the
provider computes. In `up` mode the values are realistic; in `preview` mode the computed
ones are unknown, exactly as in a real `pulumi preview`.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime.rpc import UNKNOWN

from .provider_check import ProviderCheckError, autoname
from .provider_facts import facts_for
from .sdk_schema import Kind, Nested, computed_only, result_of

DEFAULT_ACCOUNT = "123456789012"


@dataclass(frozen=True)
class OutputSpec:
    name_input: str | None = None
    """Input holding the physical name (the provider's Check autonames it where it does)."""
    arn: str | None = None
    """ARN template: {partition} {region} {account} {name} {uuid} and any input by name."""
    id: str = "{name}"
    computed: Mapping[str, Any] = field(default_factory=dict)
    """Other computed outputs, as templates (strings, or mappings and lists of them)."""


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
    # Another stack's exports: offline nobody has them (a real preview reads them). A preview leaves
    # them unknown; an update cannot (the SDK reads an unknown output as None), so they are empty,
    # except the exports of an ops-baseline stack, which are known by name (BASELINE_EXPORTS).
    "pulumi:pulumi:StackReference": OutputSpec(id="{name}", computed={"outputs": {}, "secretOutputNames": []}),
    "aws:appsync/graphQLApi:GraphQLApi": OutputSpec(
        arn="arn:{partition}:appsync:{region}:{account}:apis/{short}",
        id="{short}",
        computed={
            "uris": {
                "GRAPHQL": "https://{short}.appsync-api.{region}.amazonaws.com/graphql",
                "REALTIME": "wss://{short}.appsync-realtime-api.{region}.amazonaws.com/graphql",
            }
        },
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
    name_input = spec.name_input or _autonamed(type_)
    if name_input:
        if not inputs.get(name_input):
            # Reached without the provider's Check (plain mocks), or for a name the provider never fills.
            prefix = inputs.get("namePrefix") or inputs.get(f"{name_input}Prefix")
            if prefix and preview:
                # The provider adds the suffix to a prefix at create: its plan shows the name as unknown.
                outputs[name_input] = UNKNOWN
            else:
                outputs[name_input] = (
                    f"{prefix}{digest[:26]}" if prefix else _autoname(type_, logical_name, urn, inputs)
                )
        physical = str(outputs[name_input])
    computed = {k: v for k, v in computed_only(type_).items() if k not in outputs}
    if preview:
        for key in (["arn"] if spec.arn else []) + list(spec.computed) + list(computed):
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
        outputs[key] = _filled(template, values)
    if type_ == "pulumi:pulumi:StackReference" and _referenced(physical)["project"] == BASELINE_PROJECT:
        outputs["outputs"] = _filled(BASELINE_EXPORTS, _Template({**values, **_referenced(physical)}))
    place = Place(type_, physical, values["region"], account, partition, digest)
    for key, kind in computed.items():
        outputs.setdefault(key, example(key, kind, place))
    return spec.id.format_map(values), outputs


BASELINE_PROJECT = "ops-baseline"
BASELINE_EXPORTS = {
    "environment": "{stack}",
    "alertTopicArn": "arn:{partition}:sns:{region}:{account}:ops-{stack}-alerts",
    "alertTopicArns": {
        "critical": "arn:{partition}:sns:{region}:{account}:ops-{stack}-alerts",
        "warning": "arn:{partition}:sns:{region}:{account}:ops-{stack}-alerts",
    },
    "namePrefix": "ops-{stack}",
    "dashboardName": "ops-{stack}",
    "kmsKeyArn": "arn:{partition}:kms:{region}:{account}:key/{uuid}",
    "kmsKeyAlias": "alias/ops-{stack}",
}
"""What a workload stack reads from the baseline it references, as the baseline exports it
(tests check these names against the baseline's own exports)."""


def _referenced(name: str) -> dict[str, str]:
    """A stack reference's `organization/project/stack` (the first parts may be left out)."""
    parts = name.split("/")[-3:]
    return dict(zip(("organization", "project", "stack"), ["", "", ""][len(parts) :] + parts, strict=True))


def _filled(template: Any, values: _Template) -> Any:
    if isinstance(template, Mapping):
        return {key: _filled(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [_filled(value, values) for value in template]
    return template.format_map(values)


def _autonamed(type_: str) -> str | None:
    facts = facts_for(type_)
    return facts.autoname.property if facts and facts.autoname else None


@dataclass(frozen=True)
class Place:
    """Where a synthesized value belongs: the resource (or data source) it describes."""

    type: str
    name: str
    region: str
    account: str
    partition: str
    digest: str

    @property
    def service(self) -> str:
        module = self.type.split(":")[1].split("/")[0]
        return SERVICE_OF.get(module, module)

    @property
    def resource(self) -> str:
        kind = self.type.rsplit(":", 1)[-1]
        return kind[:1].lower() + kind[1:]


SERVICE_OF = {
    "apigatewayv2": "apigateway",
    "sfn": "states",
    "cloudwatch": "logs",
    "cfg": "config",
    "lb": "elasticloadbalancing",
    "alb": "elasticloadbalancing",
}
"""The ARN service of a pulumi-aws module, where the two differ."""


def example(wire: str, kind: Kind, place: Place, depth: int = 0) -> Any:
    """A realistic value of the schema's shape for a computed field: a program reads it (an ARN to
    build a policy, an endpoint to export, `certificateAuthority.data`, the first of a list)."""
    if isinstance(kind, Nested):
        if depth > 4 or kind.shape == "map":
            return [] if kind.shape == "list" else {}
        if kind.shape == "list":
            return [example(wire, kind.element, place, depth + 1)]
        return {k: example(k, v, place, depth + 1) for k, v in (kind.fields or {}).items()}
    if kind == "bool":
        return False
    if kind in ("int", "float"):
        return 0
    lower = wire.lower()
    if lower.endswith("arn"):
        return f"arn:{place.partition}:{place.service}:{place.region}:{place.account}:{place.resource}/{place.name}"
    if lower.endswith(("endpoint", "url", "uri")):
        return f"https://{place.name}.{place.service}.{place.region}.amazonaws.com"
    if lower.endswith(("dnsname", "domainname", "hostname", "fqdn", "address")):
        return f"{place.name}.{place.service}.{place.region}.amazonaws.com"
    if lower == "id" or lower.endswith("id"):
        stem = "".join(c for c in wire.removesuffix("Id").removesuffix("id") if c.islower())[:8] or "id"
        return f"{stem}-{place.digest[:17]}"
    return f"{place.name}-{wire}"


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
    """Answers for the data sources a program calls: the ones whose answer decides a verdict or a
    name exactly, and every other one shaped by its result type (arguments echoed back), so a
    program never stops offline where it would run under the CLI."""
    place = Place(
        token,
        token.rsplit(":", 1)[-1],
        str(args.get("region") or region),
        account,
        partition,
        _digest(token + repr(sorted(args.items(), key=str))),
    )
    answer = ANSWERS.get(token)
    known = answer(args, place) if answer else {}
    shaped = {
        k: args[k] if k in args else example(k, kind, place) for k, kind in (result_of(token).fields or {}).items()
    }
    return {**shaped, "id": place.digest[:12], **known}


def _caller_identity(args: Mapping[str, Any], place: Place) -> dict[str, Any]:
    return {
        "accountId": place.account,
        "arn": f"arn:{place.partition}:iam::{place.account}:user/opsctl-offline",
        "userId": "AIDAOFFLINEENGINE",
        "id": place.account,
    }


def _partition(args: Mapping[str, Any], place: Place) -> dict[str, Any]:
    suffix = "amazonaws.com.cn" if place.partition == "aws-cn" else "amazonaws.com"
    return {
        "partition": place.partition,
        "dnsSuffix": suffix,
        "reverseDnsPrefix": ".".join(reversed(suffix.split("."))),
        "id": place.partition,
    }


def _region(args: Mapping[str, Any], place: Place) -> dict[str, Any]:
    name = args.get("region") or args.get("name") or place.region
    return {"name": name, "region": name, "endpoint": f"ec2.{name}.amazonaws.com", "description": name, "id": name}


def _random_password(args: Mapping[str, Any], place: Place) -> dict[str, Any]:
    # Offline runs must never produce a usable secret: a fixed, obviously fake value.
    return {"randomPassword": "offline-engine-not-a-secret", "id": "offline"}


def _availability_zones(args: Mapping[str, Any], place: Place) -> dict[str, Any]:
    names = [f"{place.region}{letter}" for letter in "abc"]
    return {
        "names": names,
        "zoneIds": [f"{place.region[:3]}{place.region[-1]}-az{i}" for i in (1, 2, 3)],
        "id": place.region,
    }


def _policy_document(args: Mapping[str, Any], place: Place) -> dict[str, Any]:
    """`aws.iam.get_policy_document` renders its statements as IAM JSON, as the provider does: the
    guardrails judge that JSON, so it must be the document, not a stand-in."""
    statements = []
    for document in args.get("sourcePolicyDocuments") or []:
        statements += json.loads(document).get("Statement", [])
    statements += [_statement(statement) for statement in args.get("statements") or []]
    document = {"Version": args.get("version") or "2012-10-17", "Statement": statements}
    if args.get("policyId"):
        document = {"Id": args["policyId"], **document}
    return {"json": json.dumps(document, indent=2), "minifiedJson": json.dumps(document, separators=(",", ":"))}


def _statement(given: Mapping[str, Any]) -> dict[str, Any]:
    statement: dict[str, Any] = {}
    if given.get("sid"):
        statement["Sid"] = given["sid"]
    statement["Effect"] = given.get("effect") or "Allow"
    for name, key in (("actions", "Action"), ("notActions", "NotAction"), ("resources", "Resource"),
                      ("notResources", "NotResource")):  # fmt: skip
        values = given.get(name)
        if values:
            statement[key] = values[0] if len(values) == 1 else sorted(values)
    for name, key in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
        principals = given.get(name)
        if principals:
            statement[key] = _principals(principals)
    conditions: dict[str, dict[str, Any]] = {}
    for condition in given.get("conditions") or []:
        values = condition.get("values") or []
        conditions.setdefault(condition["test"], {})[condition["variable"]] = values[0] if len(values) == 1 else values
    if conditions:
        statement["Condition"] = conditions
    return statement


def _principals(principals: list[Mapping[str, Any]]) -> Any:
    if any(p.get("type") == "*" for p in principals):
        return "*"
    found: dict[str, list[str]] = {}
    for principal in principals:
        found.setdefault(principal["type"], []).extend(principal.get("identifiers") or [])
    return {kind: ids[0] if len(ids) == 1 else sorted(ids) for kind, ids in found.items()}


ANSWERS = {
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:index/getPartition:getPartition": _partition,
    "aws:index/getRegion:getRegion": _region,
    "aws:secretsmanager/getRandomPassword:getRandomPassword": _random_password,
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
    "aws:iam/getPolicyDocument:getPolicyDocument": _policy_document,
}
"""Data sources answered exactly; every other one is answered from its result type."""
