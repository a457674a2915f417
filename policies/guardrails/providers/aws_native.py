"""The aws-native provider's resources as the pulumi-aws resources the guardrails judge.

aws-native's inputs are CloudFormation's property names, camelCased, with tags as a list of
`{key, value}`. Every property name and shape here was read from the pulumi-aws-native 1.84.0
Python SDK (`pulumi_aws_native/<service>/<resource>.py` getters and `outputs.py` types), which is
generated from the CloudFormation registry schemas. aws-native has no `iam:Policy` (AWS::IAM::Policy
is not a Cloud Control resource) and no `sqs:QueuePolicy` (only `QueueInlinePolicy`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..props import MISSING, UNKNOWN, Props
from ..vocabulary.tokens import (
    APIGATEWAY_METHOD_SETTINGS,
    APIGATEWAY_STAGE,
    APIGATEWAYV2_STAGE,
    COMPOSITE_ALARM,
    CONFIG_DELIVERY_CHANNEL,
    CONFIG_RECORDER,
    CONFIG_RECORDER_STATUS,
    EC2_INSTANCE,
    ECR_REGISTRY_SCANNING,
    ECR_REPOSITORY,
    ECR_REPOSITORY_POLICY,
    EKS_CLUSTER,
    IAM_GROUP_POLICY,
    IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE,
    IAM_POLICY,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_USER_POLICY,
    IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE,
    KINESIS_STREAM,
    KMS_ALIAS,
    KMS_EXTERNAL_KEY,
    KMS_KEY,
    KMS_REPLICA_KEY,
    LAMBDA_FUNCTION,
    LAMBDA_LAYER_VERSION,
    LAMBDA_PERMISSION,
    LAUNCH_TEMPLATE,
    LOG_GROUP,
    LOG_METRIC_FILTER,
    METRIC_ALARM,
    RDS_CLUSTER,
    RDS_CLUSTER_INSTANCE,
    RDS_INSTANCE,
    S3_BUCKET,
    S3_BUCKET_LIFECYCLE,
    S3_BUCKET_LOGGING,
    S3_BUCKET_PAB,
    S3_BUCKET_POLICY,
    S3_BUCKET_SSE,
    S3_BUCKET_VERSIONING,
    SECRET,
    SECRET_ROTATION,
    SECURITY_GROUP,
    SECURITY_GROUP_INGRESS_RULE,
    SNS_TOPIC,
    SNS_TOPIC_POLICY,
    SQS_QUEUE,
    SQS_QUEUE_POLICY,
    TRAIL,
)
from . import SELF, Facet, View, present, tag_map

PREFIX = "aws-native:"


def facet(
    type_: str,
    props: Props,
    *same: str,
    renamed: Mapping[str, str] | None = None,
    computed: Mapping[str, tuple[Any, str]] | None = None,
    tags: bool = False,
) -> Facet:
    """A facet whose props are `same` (read as they are), `renamed` (pulumi-aws name → the
    resource's) and `computed` (pulumi-aws name → value and the resource's prop it came from)."""
    renamed, computed = dict(renamed or {}), dict(computed or {})
    if tags:
        computed["tags"] = (tag_map(props.plain("tags", record=False)), "tags")
    values = {name: props.plain(name, record=False) for name in same}
    values |= {classic: props.plain(native, record=False) for classic, native in renamed.items()}
    values |= {classic: value for classic, (value, _) in computed.items()}
    return Facet(type_, present(**values), {**renamed, **{k: source for k, (_, source) in computed.items()}})


def each(value: Any, shape: Callable[[Any], Any]) -> Any:
    """`shape` applied to every element of a list; UNKNOWN (list or element) stays UNKNOWN."""
    if value is UNKNOWN or value is MISSING or not isinstance(value, list):
        return value
    return [UNKNOWN if v is UNKNOWN else shape(v) for v in value]


def keys_renamed(value: Any, names: Mapping[str, str]) -> Any:
    """A mapping with some keys renamed (pulumi-aws name → the resource's)."""
    if not isinstance(value, Mapping):
        return value
    native_to_classic = {native: classic for classic, native in names.items()}
    return {native_to_classic.get(k, k): v for k, v in value.items()}


def field(value: Any, name: str) -> Any:
    """`value[name]`: UNKNOWN inside an unknown value, MISSING when absent."""
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, Mapping) and value.get(name) is not None:
        return value[name]
    return MISSING


def dimension_map(dimensions: Any) -> Any:
    """CloudWatch's dimension list ([{name, value}]) as pulumi-aws's map."""
    if dimensions is MISSING or dimensions is UNKNOWN:
        return dimensions
    found = {}
    for d in dimensions if isinstance(dimensions, list) else ():
        if d is UNKNOWN or field(d, "name") is UNKNOWN:
            return UNKNOWN
        if isinstance(field(d, "name"), str):
            found[d["name"]] = field(d, "value")
    return found


# --- CloudWatch and CloudWatch Logs ---


def log_group(p: Props) -> list[Facet]:
    return [facet(LOG_GROUP, p, "retentionInDays", "kmsKeyId", renamed={"name": "logGroupName"}, tags=True)]


def metric_filter(p: Props) -> list[Facet]:
    """CloudFormation takes a list of transformations where pulumi-aws takes one; CloudWatch Logs
    accepts exactly one (PutMetricFilter: metricTransformations, 1 item), so the first is it."""
    transformations = p.plain("metricTransformations", record=False)
    first = transformations[0] if isinstance(transformations, list) and transformations else transformations
    transformation = (
        first
        if first in (MISSING, UNKNOWN) or not isinstance(first, Mapping)
        else present(
            name=field(first, "metricName"),
            namespace=field(first, "metricNamespace"),
            value=field(first, "metricValue"),
            defaultValue=field(first, "defaultValue"),
            unit=field(first, "unit"),
        )
    )
    return [
        facet(
            LOG_METRIC_FILTER,
            p,
            "logGroupName",
            renamed={"name": "filterName", "pattern": "filterPattern"},
            computed={"metricTransformation": (transformation, "metricTransformations")},
        )
    ]


def metric_query(query: Any) -> Any:
    stat = field(query, "metricStat")
    metric = field(stat, "metric")
    return present(
        id=field(query, "id"),
        expression=field(query, "expression"),
        label=field(query, "label"),
        returnData=field(query, "returnData"),
        accountId=field(query, "accountId"),
        period=field(query, "period"),
        metric=UNKNOWN
        if UNKNOWN in (stat, metric)
        else MISSING
        if stat is MISSING
        else present(
            metricName=field(metric, "metricName"),
            namespace=field(metric, "namespace"),
            dimensions=dimension_map(field(metric, "dimensions")),
            period=field(stat, "period"),
            stat=field(stat, "stat"),
            unit=field(stat, "unit"),
        ),
    )


def alarm(p: Props) -> list[Facet]:
    return [
        facet(
            METRIC_ALARM,
            p,
            "actionsEnabled",
            "alarmActions",
            "okActions",
            "insufficientDataActions",
            "alarmDescription",
            "metricName",
            "namespace",
            "statistic",
            "extendedStatistic",
            "period",
            "evaluationPeriods",
            "datapointsToAlarm",
            "threshold",
            "thresholdMetricId",
            "comparisonOperator",
            "treatMissingData",
            "unit",
            renamed={"name": "alarmName"},
            computed={
                "dimensions": (dimension_map(p.plain("dimensions", record=False)), "dimensions"),
                "metricQueries": (each(p.plain("metrics", record=False), metric_query), "metrics"),
            },
        )
    ]


def composite_alarm(p: Props) -> list[Facet]:
    return [
        facet(
            COMPOSITE_ALARM,
            p,
            "alarmName",
            "alarmRule",
            "actionsEnabled",
            "alarmActions",
            "okActions",
            "insufficientDataActions",
            "alarmDescription",
            "actionsSuppressor",
        )
    ]


# --- keys and secrets ---


def key(p: Props) -> list[Facet]:
    # Origin EXTERNAL (imported key material) is what pulumi-aws spells as an ExternalKey; the
    # only other origin CloudFormation creates is AWS_KMS (KeyOrigin in the SDK's kms/_enums.py).
    kind = KMS_EXTERNAL_KEY if p.peek("origin") == "EXTERNAL" else KMS_KEY
    return [
        facet(
            kind,
            p,
            "description",
            "enableKeyRotation",
            "rotationPeriodInDays",
            "bypassPolicyLockoutSafetyCheck",
            "keyUsage",
            "multiRegion",
            "enabled",
            renamed={
                "policy": "keyPolicy",
                "customerMasterKeySpec": "keySpec",
                "deletionWindowInDays": "pendingWindowInDays",
            },
            tags=True,
        )
    ]


def replica_key(p: Props) -> list[Facet]:
    return [
        facet(
            KMS_REPLICA_KEY,
            p,
            "description",
            "primaryKeyArn",
            "enabled",
            renamed={"policy": "keyPolicy", "deletionWindowInDays": "pendingWindowInDays"},
            tags=True,
        )
    ]


def alias(p: Props) -> list[Facet]:
    return [facet(KMS_ALIAS, p, "targetKeyId", renamed={"name": "aliasName"})]


def secret(p: Props) -> list[Facet]:
    return [facet(SECRET, p, "name", "description", "kmsKeyId", tags=True)]


def rotation_schedule(p: Props) -> list[Facet]:
    # A schedule is on from creation: CloudFormation has no RotationEnabled to turn it off.
    return [facet(SECRET_ROTATION, p, "secretId", "rotationRules", "rotationLambdaArn", "rotateImmediatelyOnUpdate")]


# --- topics and queues ---


def topic(p: Props) -> list[Facet]:
    return [facet(SNS_TOPIC, p, "kmsMasterKeyId", "fifoTopic", "displayName", renamed={"name": "topicName"}, tags=True)]


def topic_policy(p: Props) -> list[Facet]:
    # One document for every topic it lists: judged once, as the first topic's policy.
    topics = p.plain("topics", record=False)
    first = UNKNOWN if topics is UNKNOWN else topics[0] if isinstance(topics, list) and topics else MISSING
    return [facet(SNS_TOPIC_POLICY, p, renamed={"policy": "policyDocument"}, computed={"arn": (first, "topics")})]


def topic_inline_policy(p: Props) -> list[Facet]:
    return [facet(SNS_TOPIC_POLICY, p, renamed={"policy": "policyDocument", "arn": "topicArn"})]


def queue(p: Props) -> list[Facet]:
    return [
        facet(
            SQS_QUEUE,
            p,
            "kmsMasterKeyId",
            "kmsDataKeyReusePeriodSeconds",
            "sqsManagedSseEnabled",
            "fifoQueue",
            renamed={"name": "queueName"},
            tags=True,
        )
    ]


def queue_inline_policy(p: Props) -> list[Facet]:
    return [facet(SQS_QUEUE_POLICY, p, renamed={"policy": "policyDocument", "queueUrl": "queue"})]


# --- registries, functions and APIs ---


def repository(p: Props) -> list[Facet]:
    setting = p.plain("encryptionConfiguration", record=False)
    found = [
        facet(
            ECR_REPOSITORY,
            p,
            "imageTagMutability",
            "imageScanningConfiguration",
            renamed={"name": "repositoryName"},
            computed={
                "encryptionConfigurations": (
                    [setting] if setting is not MISSING else MISSING,
                    "encryptionConfiguration",
                )
            },
            tags=True,
        )
    ]
    if p.peek("repositoryPolicyText") is not MISSING:
        found.append(
            facet(
                ECR_REPOSITORY_POLICY,
                p,
                renamed={"policy": "repositoryPolicyText"},
                computed={"repository": (p.plain("repositoryName", record=False), SELF)},
            )
        )
    return found


def registry_scanning(p: Props) -> list[Facet]:
    return [facet(ECR_REGISTRY_SCANNING, p, "scanType", "rules")]


def function(p: Props) -> list[Facet]:
    code = p.plain("code", record=False)
    return [
        facet(
            LAMBDA_FUNCTION,
            p,
            "runtime",
            "handler",
            "role",
            "kmsKeyArn",
            "tracingConfig",
            "environment",
            "layers",
            "packageType",
            "timeout",
            "memorySize",
            renamed={"name": "functionName"},
            computed={
                "s3Bucket": (field(code, "s3Bucket"), "code"),
                "s3Key": (field(code, "s3Key"), "code"),
                "s3ObjectVersion": (field(code, "s3ObjectVersion"), "code"),
                "imageUri": (field(code, "imageUri"), "code"),
            },
            tags=True,
        )
    ]


def permission(p: Props) -> list[Facet]:
    return [
        facet(
            LAMBDA_PERMISSION,
            p,
            "action",
            "principal",
            "sourceAccount",
            "sourceArn",
            "principalOrgId",
            "eventSourceToken",
            "functionUrlAuthType",
            renamed={"function": "functionName"},
        )
    ]


def layer_version(p: Props) -> list[Facet]:
    content = p.plain("content", record=False)
    return [
        facet(
            LAMBDA_LAYER_VERSION,
            p,
            "compatibleRuntimes",
            renamed={"layerName": "layerName"},
            computed={
                "s3Bucket": (field(content, "s3Bucket"), "content"),
                "s3Key": (field(content, "s3Key"), "content"),
                "s3ObjectVersion": (field(content, "s3ObjectVersion"), "content"),
            },
        )
    ]


def method_path(setting: Any) -> Any:
    """CloudFormation's ResourcePath and HttpMethod as pulumi-aws's methodPath: `/*` with `*` is
    `*/*` (every method of the stage); another path is decoded (CloudFormation writes `/orders` as
    `/~1orders`) and loses its leading slash, as pulumi-aws spells it (`orders/GET`)."""
    path, method = field(setting, "resourcePath"), field(setting, "httpMethod")
    if UNKNOWN in (path, method):
        return UNKNOWN
    if not (isinstance(path, str) and isinstance(method, str)):
        return MISSING
    return f"{path.removeprefix('/').replace('~1', '/').removeprefix('/')}/{method}"


def rest_stage(p: Props) -> list[Facet]:
    """The stage and one method-settings resource per entry of its inline `methodSettings`, joined
    to the stage itself (pulumi-aws declares them apart, by REST API and stage name)."""
    settings = p.plain("methodSettings", record=False)
    inline = [UNKNOWN] if settings is UNKNOWN else settings if isinstance(settings, list) else []
    methods = [
        facet(
            APIGATEWAY_METHOD_SETTINGS,
            p,
            computed={
                "restApi": (p.plain("restApiId", record=False), SELF),
                "stageName": (p.plain("stageName", record=False), SELF),
                "methodPath": (method_path(setting), "methodSettings"),
                "settings": (
                    UNKNOWN if setting is UNKNOWN else present(loggingLevel=field(setting, "loggingLevel")),
                    "methodSettings",
                ),
            },
        )
        for setting in inline
    ]
    return [
        facet(
            APIGATEWAY_STAGE,
            p,
            "stageName",
            "deploymentId",
            "clientCertificateId",
            "cacheClusterEnabled",
            renamed={
                "restApi": "restApiId",
                "accessLogSettings": "accessLogSetting",
                "xrayTracingEnabled": "tracingEnabled",
            },
            tags=True,
        ),
        *methods,
    ]


def http_stage(p: Props) -> list[Facet]:
    return [
        facet(
            APIGATEWAYV2_STAGE,
            p,
            "apiId",
            "accessLogSettings",
            "defaultRouteSettings",
            "autoDeploy",
            "deploymentId",
            renamed={"name": "stageName"},
            # HTTP API stage tags are a map in CloudFormation (AWS::ApiGatewayV2::Stage Tags: Json).
            computed={"tags": (p.plain("tags", record=False), "tags")},
        )
    ]


# --- buckets ---


def lifecycle_rule(rule: Any) -> Any:
    """A CloudFormation lifecycle rule (filters and expirations at the rule's top level) as a
    BucketLifecycleConfiguration rule: its filter as `filter.and`, its expiration blocks."""
    if not isinstance(rule, Mapping):
        return rule
    criteria = present(
        prefix=field(rule, "prefix"),
        tags=MISSING if field(rule, "tagFilters") is MISSING else tag_map(field(rule, "tagFilters")),
        objectSizeGreaterThan=field(rule, "objectSizeGreaterThan"),
        objectSizeLessThan=field(rule, "objectSizeLessThan"),
    )
    noncurrent = field(field(rule, "noncurrentVersionExpiration"), "noncurrentDays")
    if noncurrent is MISSING:
        noncurrent = field(rule, "noncurrentVersionExpirationInDays")
    current = present(days=field(rule, "expirationInDays"), date=field(rule, "expirationDate"))
    return present(
        id=field(rule, "id"),
        status=field(rule, "status"),
        filter={"and": criteria} if criteria else MISSING,
        expiration=current or MISSING,
        noncurrentVersionExpiration=MISSING if noncurrent is MISSING else {"noncurrentDays": noncurrent},
    )


def bucket(p: Props) -> list[Facet]:
    """The bucket and, where its inline blocks are set, the settings pulumi-aws declares apart.
    Access logs without a destination bucket go to the bucket itself (CloudFormation's default)."""
    name = p.plain("bucketName", record=False)
    found = [facet(S3_BUCKET, p, "objectLockEnabled", renamed={"bucket": "bucketName"}, tags=True)]
    encryption = p.plain("bucketEncryption", record=False)
    if encryption is not MISSING:
        rules = each(
            field(encryption, "serverSideEncryptionConfiguration"),
            lambda rule: keys_renamed(rule, {"applyServerSideEncryptionByDefault": "serverSideEncryptionByDefault"}),
        )
        found.append(facet(S3_BUCKET_SSE, p, computed={"bucket": (name, SELF), "rules": (rules, "bucketEncryption")}))
    if p.peek("versioningConfiguration") is not MISSING:
        found.append(facet(S3_BUCKET_VERSIONING, p, "versioningConfiguration", computed={"bucket": (name, SELF)}))
    block = p.plain("publicAccessBlockConfiguration", record=False)
    if block is not MISSING:
        flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        found.append(
            facet(
                S3_BUCKET_PAB,
                p,
                computed={
                    "bucket": (name, SELF),
                    **{flag: (field(block, flag), "publicAccessBlockConfiguration") for flag in flags},
                },
            )
        )
    lifecycle = p.plain("lifecycleConfiguration", record=False)
    if lifecycle is not MISSING:
        rules = each(field(lifecycle, "rules"), lifecycle_rule)
        found.append(
            facet(S3_BUCKET_LIFECYCLE, p, computed={"bucket": (name, SELF), "rules": (rules, "lifecycleConfiguration")})
        )
    logging = p.plain("loggingConfiguration", record=False)
    if logging is not MISSING:
        destination = field(logging, "destinationBucketName")
        target = (name, SELF) if destination is MISSING else (destination, "loggingConfiguration")
        prefix = (field(logging, "logFilePrefix"), "loggingConfiguration")
        found.append(
            facet(
                S3_BUCKET_LOGGING, p, computed={"bucket": (name, SELF), "targetBucket": target, "targetPrefix": prefix}
            )
        )
    return found


def bucket_policy(p: Props) -> list[Facet]:
    return [facet(S3_BUCKET_POLICY, p, "bucket", renamed={"policy": "policyDocument"})]


# --- trails and AWS Config ---


def trail(p: Props) -> list[Facet]:
    return [
        facet(
            TRAIL,
            p,
            "isMultiRegionTrail",
            "includeGlobalServiceEvents",
            "isOrganizationTrail",
            "enableLogFileValidation",
            "kmsKeyId",
            "cloudWatchLogsRoleArn",
            "eventSelectors",
            "advancedEventSelectors",
            "insightSelectors",
            "s3BucketName",
            "s3KeyPrefix",
            "snsTopicName",
            renamed={
                "name": "trailName",
                "cloudWatchLogsGroupArn": "cloudWatchLogsLogGroupArn",
                "enableLogging": "isLogging",
            },
            tags=True,
        )
    ]


def recorder(p: Props) -> list[Facet]:
    """The recorder and its status: aws-native starts the recorder on create unless
    startedOnCreate is false (the SDK's docstring: "Defaults to 'true'")."""
    started = p.plain("startedOnCreate", record=False)
    return [
        facet(CONFIG_RECORDER, p, "name", "roleArn", "recordingGroup", "recordingMode"),
        facet(
            CONFIG_RECORDER_STATUS,
            p,
            computed={
                "name": (p.plain("name", record=False), SELF),
                "isEnabled": (True if started is MISSING else started, "startedOnCreate"),
            },
        ),
    ]


def delivery_channel(p: Props) -> list[Facet]:
    return [
        facet(
            CONFIG_DELIVERY_CHANNEL,
            p,
            "name",
            "s3BucketName",
            "s3KeyPrefix",
            "s3KmsKeyArn",
            "snsTopicArn",
            renamed={"snapshotDeliveryProperties": "configSnapshotDeliveryProperties"},
        )
    ]


# --- databases, streams and clusters ---


def db_instance(p: Props) -> list[Facet]:
    """A DB instance, or an Aurora cluster's member when it names its cluster (CloudFormation
    declares both as AWS::RDS::DBInstance; pulumi-aws as Instance and ClusterInstance): a member's
    storage and deletion protection are its cluster's."""
    cluster = p.plain("dbClusterIdentifier", record=False)
    if cluster is not MISSING:
        return [
            facet(
                RDS_CLUSTER_INSTANCE,
                p,
                "publiclyAccessible",
                "engine",
                renamed={"clusterIdentifier": "dbClusterIdentifier"},
                tags=True,
            )
        ]
    return [
        facet(
            RDS_INSTANCE,
            p,
            "storageEncrypted",
            "kmsKeyId",
            "publiclyAccessible",
            "deletionProtection",
            "engine",
            "dbSubnetGroupName",
            renamed={"replicateSourceDb": "sourceDbInstanceIdentifier", "snapshotIdentifier": "dbSnapshotIdentifier"},
            tags=True,
        )
    ]


def db_cluster(p: Props) -> list[Facet]:
    return [
        facet(
            RDS_CLUSTER,
            p,
            "storageEncrypted",
            "kmsKeyId",
            "snapshotIdentifier",
            "engine",
            "engineMode",
            "dbSubnetGroupName",
            "publiclyAccessible",
            "deletionProtection",
            tags=True,
        )
    ]


def stream(p: Props) -> list[Facet]:
    encryption = p.plain("streamEncryption", record=False)
    return [
        facet(
            KINESIS_STREAM,
            p,
            "name",
            computed={
                "encryptionType": (field(encryption, "encryptionType"), "streamEncryption"),
                "kmsKeyId": (field(encryption, "keyId"), "streamEncryption"),
            },
            tags=True,
        )
    ]


def eks_cluster(p: Props) -> list[Facet]:
    """CloudFormation lists the encryption config (EKS takes one) and nests the log types as
    `{type}` objects under logging.clusterLogging.enabledTypes."""
    encryption = p.plain("encryptionConfig", record=False)
    first = encryption[0] if isinstance(encryption, list) and encryption else MISSING
    enabled = field(field(p.plain("logging", record=False), "clusterLogging"), "enabledTypes")
    return [
        facet(
            EKS_CLUSTER,
            p,
            "name",
            "roleArn",
            "version",
            renamed={"vpcConfig": "resourcesVpcConfig"},
            computed={
                "encryptionConfig": (UNKNOWN if encryption is UNKNOWN else first, "encryptionConfig"),
                "enabledClusterLogTypes": (each(enabled, lambda t: field(t, "type")), "logging"),
            },
            tags=True,
        )
    ]


# --- EC2 ---


def ingress_entry(entry: Any) -> Any:
    """One CloudFormation ingress entry as a pulumi-aws group's: one CIDR of each family at most."""
    if entry is UNKNOWN:
        return UNKNOWN
    cidr, cidr6 = field(entry, "cidrIp"), field(entry, "cidrIpv6")
    return present(
        protocol=field(entry, "ipProtocol"),
        fromPort=field(entry, "fromPort"),
        toPort=field(entry, "toPort"),
        cidrBlocks=MISSING if cidr is MISSING else [cidr],
        ipv6CidrBlocks=MISSING if cidr6 is MISSING else [cidr6],
    )


def security_group(p: Props) -> list[Facet]:
    return [
        facet(
            SECURITY_GROUP,
            p,
            "vpcId",
            renamed={"name": "groupName", "description": "groupDescription"},
            computed={
                "ingress": (each(p.plain("securityGroupIngress", record=False), ingress_entry), "securityGroupIngress")
            },
            tags=True,
        )
    ]


def security_group_ingress(p: Props) -> list[Facet]:
    return [
        facet(
            SECURITY_GROUP_INGRESS_RULE,
            p,
            "ipProtocol",
            "fromPort",
            "toPort",
            "cidrIpv6",
            renamed={
                "prefixListId": "sourcePrefixListId",
                "securityGroupId": "groupId",
                "cidrIpv4": "cidrIp",
                "referencedSecurityGroupId": "sourceSecurityGroupId",
            },
        )
    ]


def instance(p: Props) -> list[Facet]:
    template = p.plain("launchTemplate", record=False)
    named = (
        MISSING
        if template is MISSING
        else UNKNOWN
        if template is UNKNOWN
        else present(id=field(template, "launchTemplateId"), name=field(template, "launchTemplateName"))
    )
    return [
        facet(
            EC2_INSTANCE,
            p,
            "metadataOptions",
            "imageId",
            "instanceType",
            computed={"launchTemplate": (named, "launchTemplate")},
            tags=True,
        )
    ]


def launch_template(p: Props) -> list[Facet]:
    """CloudFormation nests the template's settings in launchTemplateData."""
    return [
        facet(
            LAUNCH_TEMPLATE,
            p,
            renamed={"name": "launchTemplateName"},
            computed={
                "metadataOptions": (
                    field(p.plain("launchTemplateData", record=False), "metadataOptions"),
                    "launchTemplateData",
                )
            },
        )
    ]


# --- IAM ---


def inline_policies(p: Props) -> Any:
    """A role's, user's or group's `policies` ([{policyName, policyDocument}]) as pulumi-aws's
    `inlinePolicies` ([{name, policy}])."""
    return each(
        p.plain("policies", record=False),
        lambda policy: present(name=field(policy, "policyName"), policy=field(policy, "policyDocument")),
    )


def role(p: Props) -> list[Facet]:
    return [
        facet(
            IAM_ROLE,
            p,
            "managedPolicyArns",
            "permissionsBoundary",
            "path",
            "description",
            "maxSessionDuration",
            renamed={"name": "roleName", "assumeRolePolicy": "assumeRolePolicyDocument"},
            computed={"inlinePolicies": (inline_policies(p), "policies")},
            tags=True,
        )
    ]


def identity(policy_type: str, attachments_type: str, name_prop: str) -> Callable[[Props], list[Facet]]:
    """A user or group: its inline policies and its managed policies, as pulumi-aws declares them apart."""

    def facets(p: Props) -> list[Facet]:
        name = (p.plain(name_prop, record=False), SELF)
        owner = name_prop.removesuffix("Name")
        return [
            facet(policy_type, p, computed={owner: name, "inlinePolicies": (inline_policies(p), "policies")}),
            facet(attachments_type, p, renamed={"policyArns": "managedPolicyArns"}, computed={owner: name}),
        ]

    return facets


def managed_policy(p: Props) -> list[Facet]:
    return [
        facet(
            IAM_POLICY,
            p,
            "path",
            "description",
            "roles",
            "users",
            "groups",
            renamed={"name": "managedPolicyName", "policy": "policyDocument"},
        )
    ]


def identity_policy(policy_type: str, owner: str) -> Callable[[Props], list[Facet]]:
    """RolePolicy, UserPolicy, GroupPolicy: one inline policy of one identity."""
    return lambda p: [
        facet(policy_type, p, renamed={owner: f"{owner}Name", "name": "policyName", "policy": "policyDocument"})
    ]


INLINE_POLICY_NAMES = {"inlinePolicies[*].policy": "policies[*].policyDocument", "inlinePolicies[*]": "policies[*]"}

VIEWS: tuple[View, ...] = (
    View(f"{PREFIX}logs:LogGroup", (LOG_GROUP,), log_group),
    View(
        f"{PREFIX}logs:MetricFilter",
        (LOG_METRIC_FILTER,),
        metric_filter,
        {
            "metricTransformation.name": "metricTransformations[0].metricName",
            "metricTransformation.namespace": "metricTransformations[0].metricNamespace",
        },
    ),
    View(f"{PREFIX}cloudwatch:Alarm", (METRIC_ALARM,), alarm, {"metricQueries": "metrics"}),
    View(f"{PREFIX}cloudwatch:CompositeAlarm", (COMPOSITE_ALARM,), composite_alarm),
    View(
        f"{PREFIX}kms:Key",
        (KMS_KEY, KMS_EXTERNAL_KEY),
        key,
        {"customerMasterKeySpec": "keySpec", "deletionWindowInDays": "pendingWindowInDays"},
    ),
    View(f"{PREFIX}kms:ReplicaKey", (KMS_REPLICA_KEY,), replica_key),
    View(f"{PREFIX}kms:Alias", (KMS_ALIAS,), alias),
    View(f"{PREFIX}secretsmanager:Secret", (SECRET,), secret),
    View(f"{PREFIX}secretsmanager:RotationSchedule", (SECRET_ROTATION,), rotation_schedule),
    View(f"{PREFIX}sns:Topic", (SNS_TOPIC,), topic),
    View(f"{PREFIX}sns:TopicPolicy", (SNS_TOPIC_POLICY,), topic_policy),
    View(f"{PREFIX}sns:TopicInlinePolicy", (SNS_TOPIC_POLICY,), topic_inline_policy),
    View(f"{PREFIX}sqs:Queue", (SQS_QUEUE,), queue),
    View(f"{PREFIX}sqs:QueueInlinePolicy", (SQS_QUEUE_POLICY,), queue_inline_policy),
    View(
        f"{PREFIX}ecr:Repository",
        (ECR_REPOSITORY, ECR_REPOSITORY_POLICY),
        repository,
        {"encryptionConfigurations[0]": "encryptionConfiguration"},
    ),
    View(f"{PREFIX}ecr:RegistryScanningConfiguration", (ECR_REGISTRY_SCANNING,), registry_scanning),
    View(
        f"{PREFIX}lambda:Function",
        (LAMBDA_FUNCTION,),
        function,
        {"s3Bucket": "code.s3Bucket", "s3Key": "code.s3Key", "s3ObjectVersion": "code.s3ObjectVersion"},
    ),
    View(f"{PREFIX}lambda:Permission", (LAMBDA_PERMISSION,), permission),
    View(
        f"{PREFIX}lambda:LayerVersion",
        (LAMBDA_LAYER_VERSION,),
        layer_version,
        {"s3Bucket": "content.s3Bucket", "s3Key": "content.s3Key", "s3ObjectVersion": "content.s3ObjectVersion"},
    ),
    View(
        f"{PREFIX}apigateway:Stage",
        (APIGATEWAY_STAGE, APIGATEWAY_METHOD_SETTINGS),
        rest_stage,
        {
            "accessLogSettings": "accessLogSetting",
            "xrayTracingEnabled": "tracingEnabled",
            "loggingLevel": "methodSettings[*].loggingLevel",
        },
    ),
    View(f"{PREFIX}apigatewayv2:Stage", (APIGATEWAYV2_STAGE,), http_stage),
    View(
        f"{PREFIX}s3:Bucket",
        (S3_BUCKET, S3_BUCKET_SSE, S3_BUCKET_VERSIONING, S3_BUCKET_PAB, S3_BUCKET_LIFECYCLE, S3_BUCKET_LOGGING),
        bucket,
        {
            "rules[*].applyServerSideEncryptionByDefault": "bucketEncryption.serverSideEncryptionConfiguration[*].serverSideEncryptionByDefault",
            "targetBucket": "loggingConfiguration.destinationBucketName",
        },
    ),
    View(f"{PREFIX}s3:BucketPolicy", (S3_BUCKET_POLICY,), bucket_policy),
    View(
        f"{PREFIX}cloudtrail:Trail",
        (TRAIL,),
        trail,
        {"cloudWatchLogsGroupArn": "cloudWatchLogsLogGroupArn", "enableLogging": "isLogging"},
    ),
    View(
        f"{PREFIX}configuration:ConfigurationRecorder",
        (CONFIG_RECORDER, CONFIG_RECORDER_STATUS),
        recorder,
        {"isEnabled": "startedOnCreate"},
    ),
    View(
        f"{PREFIX}configuration:DeliveryChannel",
        (CONFIG_DELIVERY_CHANNEL,),
        delivery_channel,
        {"snapshotDeliveryProperties": "configSnapshotDeliveryProperties"},
    ),
    View(
        f"{PREFIX}iam:Role", (IAM_ROLE,), role, {**INLINE_POLICY_NAMES, "assumeRolePolicy": "assumeRolePolicyDocument"}
    ),
    View(
        f"{PREFIX}iam:User",
        (IAM_USER_POLICY, IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE),
        identity(IAM_USER_POLICY, IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE, "userName"),
        {**INLINE_POLICY_NAMES, "policyArns": "managedPolicyArns"},
    ),
    View(
        f"{PREFIX}iam:Group",
        (IAM_GROUP_POLICY, IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE),
        identity(IAM_GROUP_POLICY, IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE, "groupName"),
        {**INLINE_POLICY_NAMES, "policyArns": "managedPolicyArns"},
    ),
    View(f"{PREFIX}iam:ManagedPolicy", (IAM_POLICY,), managed_policy),
    View(f"{PREFIX}iam:RolePolicy", (IAM_ROLE_POLICY,), identity_policy(IAM_ROLE_POLICY, "role")),
    View(f"{PREFIX}iam:UserPolicy", (IAM_USER_POLICY,), identity_policy(IAM_USER_POLICY, "user")),
    View(f"{PREFIX}iam:GroupPolicy", (IAM_GROUP_POLICY,), identity_policy(IAM_GROUP_POLICY, "group")),
    View(
        f"{PREFIX}ec2:SecurityGroup",
        (SECURITY_GROUP,),
        security_group,
        {
            "ingress[*].cidrBlocks": "securityGroupIngress[*].cidrIp",
            "ingress[*].ipv6CidrBlocks": "securityGroupIngress[*].cidrIpv6",
            "ingress[*].protocol": "securityGroupIngress[*].ipProtocol",
            "ingress[*]": "securityGroupIngress[*]",
        },
    ),
    View(
        f"{PREFIX}ec2:SecurityGroupIngress",
        (SECURITY_GROUP_INGRESS_RULE,),
        security_group_ingress,
        {"cidrIpv4": "cidrIp"},
    ),
    View(f"{PREFIX}ec2:Instance", (EC2_INSTANCE,), instance),
    View(
        f"{PREFIX}ec2:LaunchTemplate",
        (LAUNCH_TEMPLATE,),
        launch_template,
        {"metadataOptions.httpTokens": "launchTemplateData.metadataOptions.httpTokens"},
    ),
    View(
        f"{PREFIX}rds:DBInstance",
        (RDS_INSTANCE, RDS_CLUSTER_INSTANCE),
        db_instance,
        {
            "replicateSourceDb": "sourceDbInstanceIdentifier",
            "snapshotIdentifier": "dbSnapshotIdentifier",
            "clusterIdentifier": "dbClusterIdentifier",
        },
    ),
    View(f"{PREFIX}rds:DBCluster", (RDS_CLUSTER,), db_cluster),
    View(
        f"{PREFIX}kinesis:Stream",
        (KINESIS_STREAM,),
        stream,
        {"encryptionType": "streamEncryption.encryptionType", "kmsKeyId": "streamEncryption.keyId"},
    ),
    View(
        f"{PREFIX}eks:Cluster",
        (EKS_CLUSTER,),
        eks_cluster,
        {
            "vpcConfig.endpointPublicAccess": "resourcesVpcConfig.endpointPublicAccess",
            "vpcConfig.publicAccessCidrs": "resourcesVpcConfig.publicAccessCidrs",
            "encryptionConfig.resources": "encryptionConfig[0].resources",
            "encryptionConfig.provider.keyArn": "encryptionConfig[0].provider.keyArn",
            "enabledClusterLogTypes": "logging.clusterLogging.enabledTypes",
        },
    ),
)
