"""What the bridged pulumi-aws provider's Check does to a resource's inputs, per type token.

The real engine hands the policy pack each resource's inputs *after* the provider's Check; the
offline engine runs under mocks and sees the program's raw inputs. This table holds the facts the
engine needs to bridge that gap, each with the public source it was read from:

- **Autonames.** A name property the program leaves out is filled in: the logical name, a
  separator and 7 random hex characters (pulumi-aws `provider/autonaming.go` gives every resource
  with a `name` input `AutoName("name", 255, "-")`; `provider/resource_overrides.go` changes the
  property, length, case or suffix for some). A name that would exceed the maximum is an error, not
  truncated (`NewUniqueName`). Pulumi's `autonaming` project/stack config can change or disable
  this; the table describes the provider's own behaviour.
- **Defaults.** For a Terraform SDKv2 resource, Check fills Terraform schema `Default`s the program
  left out, top level and inside blocks that are present (pulumi-terraform-bridge
  `pkg/tfbridge/schema.go` `applyDefaults`) -- but since bridge v3.127.0 (pulumi/pulumi-terraform-
  bridge#3398, in pulumi-aws since 7.27.0) it skips *falsy* defaults (`false`, `0`, `""`) of
  optional fields, so those stay absent. A Plugin Framework resource gets no Terraform defaults at
  Check at all (`pkg/pf/tfbridge/provider_check.go` applies only Pulumi-level defaults).
- **Coercion.** SDKv2 Check returns its inputs through `MakeTerraformOutputs`, which coerces
  strings to the schema's number/bool (`CoerceTerraformString`); the Plugin Framework Check returns
  the inputs as given.
- **Callbacks.** pulumi-aws runs a PreCheckCallback that sets `region` from the provider config
  when absent (`provider/region.go`, resources with a usable `region`), and for SDKv2 resources
  with `tags`/`tags_all` one that sets `tagsAll` to the provider's `defaultTags` merged under the
  resource's `tags`, minus `ignoreTags` (`provider/tags.go`).

`defaults` lists only defaults read in the cited source; `defaults_complete` says whether every
top-level `Default` of that schema version is listed. Facts that could not be verified are left
out, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

Framework = Literal["sdkv2", "plugin-framework"]

TF_AWS = "hashicorp/terraform-provider-aws"
PULUMI_AWS = "pulumi/pulumi-aws"
BRIDGE = "pulumi/pulumi-terraform-bridge"


@dataclass(frozen=True)
class Source:
    """Where a fact was read: a repository path (at a commit, where the read had one) or a URL."""

    where: str
    commit: str | None = None
    note: str = ""


@dataclass(frozen=True)
class AutoName:
    """How Check fills the physical name when the program leaves `property` out."""

    property: str
    """Wire (camelCase) name of the input that gets the name."""
    max_length: int | None
    """Longest name the provider generates; longer logical names fail Check. None: no limit."""
    source: Source
    separator: str = "-"
    random_length: int = 7
    """Random lowercase hex characters after the separator (0: the logical name alone)."""
    lowercase: bool = False
    """The logical name is lower-cased first (S3 bucket names)."""
    prefix: str = ""
    """Prepended after generation unless the name already starts with it (KMS `alias/`)."""
    suffix_when: Mapping[str, str] = field(default_factory=dict)
    """Input (wire name) → suffix appended when that input is the boolean true (`.fifo`); a
    string "true" or an unknown value does not count, since this runs on the raw inputs."""
    conflicts_with: tuple[str, ...] = ()
    """Inputs that, when set, leave the property unnamed (a `namePrefix` is used instead)."""


@dataclass(frozen=True)
class Default:
    """A Terraform schema `Default` for an input (a JSON value)."""

    value: Any
    source: Source


@dataclass(frozen=True)
class ResourceFacts:
    tf_type: str
    """The terraform-provider-aws resource the type bridges."""
    framework: Framework
    framework_source: Source
    autoname: AutoName | None = None
    defaults: Mapping[str, Default] = field(default_factory=dict)
    """Top-level inputs (wire names) → their Terraform schema default."""
    nested_defaults: Mapping[str, Default] = field(default_factory=dict)
    """Defaults inside blocks, by dotted wire path (`[]` for each element of a list block); Check
    fills them only in blocks the program sets."""
    defaults_complete: bool = False
    """Every top-level `Default` of the schema version read is listed in `defaults`."""
    region_from_provider: bool | None = True
    """Check sets an absent `region` from the provider config; None where unverified."""
    sets_tags_all: bool = False
    """Check sets `tagsAll` from the provider's default tags and the resource's tags."""

    @property
    def coerces_scalars(self) -> bool:
        """Check turns "365" / "true" into the schema's number / bool."""
        return self.framework == "sdkv2"

    def check_defaults(self) -> dict[str, Any]:
        """Top-level defaults Check writes into absent inputs: SDKv2 only, never falsy ones (bridge
        v3.127.0+), never on the autonamed property (its autoname comes first)."""
        if self.framework != "sdkv2":
            return {}
        named = self.autoname.property if self.autoname else None
        return {
            prop: default.value
            for prop, default in self.defaults.items()
            if prop != named and not _falsy(default.value)
        }


def _falsy(value: Any) -> bool:
    return value is False or value == "" or (type(value) in (int, float) and value == 0)


# --- sources --------------------------------------------------------------------------------

AUTONAMING = Source(
    f"{PULUMI_AWS} provider/autonaming.go",
    "0c5f6583ebfb37cbe0febc2edb51b44cfeac2b15",
    "every resource with an Optional or Required `name` input gets AutoName(name, 255, '-') unless "
    "its ResourceInfo already sets `name`; aws-resource-metadata.json marks hasInputName",
)
OVERRIDES = Source(f"{PULUMI_AWS} provider/resource_overrides.go", note="v7 (imports provider/v7)")
COMPAT = Source(
    f"{PULUMI_AWS} provider/compatibility.go",
    "0c5f6583ebfb37cbe0febc2edb51b44cfeac2b15",
    "s3.BucketV2 is aws_s3_bucket cloned as aws_s3_bucket_v2_compat after the region/tags "
    "callbacks are attached (provider/resources.go), so it gets neither",
)
SDK_DOCS = Source("pulumi_aws 7.51.1 Python SDK docstrings", note="'Conflicts with' from the upstream docs")
FALSY_SUPPRESSED = Source(
    "https://github.com/pulumi/pulumi-terraform-bridge/pull/3398",
    note="bridge v3.127.0 skips omitted falsy TF defaults in Check; #3420 keeps them only for "
    "Required fields; pulumi-aws >= 7.27.0 carries it",
)
SDKV2_CHECK = Source(
    f"{BRIDGE} pkg/tfbridge/provider.go",
    note="Check: validate without TF defaults, then MakeTerraformInputs with them, MakeTerraformOutputs",
)
PF_CHECK = Source(
    f"{BRIDGE} pkg/pf/tfbridge/provider_check.go",
    note="Check: ApplyDefaultInfoValues (Pulumi defaults, autonames), ValidateResourceConfig; no TF defaults",
)
NO_PF_ANNOTATION = Source(
    f"{TF_AWS} internal/service/**",
    note="index search: only @SDKResource annotations for this resource, no @FrameworkResource",
)

LOGS_PACKAGE = Source(
    f"{TF_AWS} internal/service/logs/service_package_gen.go",
    "000cd09abd66f1a2a2e8e07fe0f8a2545fe14b78",
    "SDKResources list (2026)",
)
LOG_GROUP = Source(f"{TF_AWS} internal/service/logs/group.go", "0073593e7d6993ba482409f4dc35438daaa79bb3", "v6.7+")
METRIC_ALARM = Source(
    f"{TF_AWS} internal/service/cloudwatch/metric_alarm.go", "055611a654738da73e7b1e2b5d2b7672c6d4d531", "v6.7+"
)
COMPOSITE_ALARM = Source(
    f"{TF_AWS} internal/service/cloudwatch/composite_alarm.go", "050ac11163cab8cdae5936a7f40b0e528ff780df"
)
TRAIL = Source(f"{TF_AWS} internal/service/cloudtrail/trail.go", "0a9af16a978467b3f82b89fa32e83c06ca152652", "v6")
ECR_REPOSITORY = Source(
    f"{TF_AWS} internal/service/ecr/repository.go",
    "0072eea2d6046230a1fb7717741c17fd2122175e",
    "the image_tag_mutability default is unchanged in the v6 file (index excerpt)",
)
KMS_KEY = Source(f"{TF_AWS} internal/service/kms/key.go", "00a35305dc1b297a6fcdecdfbba33f1e63c3da39", "2026")
SQS_QUEUE = Source(
    f"{TF_AWS} internal/service/sqs/queue.go",
    "00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
    "2026; numbers from internal/service/sqs/consts.go (index excerpt)",
)
SNS_TOPIC = Source(f"{TF_AWS} internal/service/sns/topic.go", "00a35305dc1b297a6fcdecdfbba33f1e63c3da39", "2026")
SECRET = Source(f"{TF_AWS} internal/service/secretsmanager/secret.go", "00c21cedec069dd27093b175baf15bac6d4b30fe")
LAMBDA_FUNCTION = Source(
    f"{TF_AWS} internal/service/lambda/function.go", "0156d84e6bb47e4a5fe0c8e87cf2d14fb1dc3b8c", "2025, v6.7+"
)
CONFIG_RECORDER = Source(
    f"{TF_AWS} internal/service/configservice/configuration_recorder.go",
    "090344804c490a98599aee521af0ce5ac61b9cb1",
    "older schema; later versions (index excerpts) keep recording_group.all_supported Default true",
)
RDS_INSTANCE = Source(
    f"{TF_AWS} internal/service/rds/instance.go",
    note="@SDKResource aws_db_instance, SchemaVersion 2 (index excerpt, 2023); publicly_accessible Default false "
    "and deletion_protection/storage_encrypted without one, all sent as false when left out",
)
RDS_CLUSTER = Source(
    f"{TF_AWS} internal/service/rds/cluster.go",
    note="@SDKResource aws_rds_cluster (index excerpt, aws-sdk-go-v2 era); storage_encrypted Optional+Computed, "
    "sent only when set",
)
RDS_CLUSTER_INSTANCE = Source(
    f"{TF_AWS} internal/service/rds/cluster_instance.go",
    "01606926a0c0ab9174aec440f976a48b0baee722",
    "publicly_accessible Optional+Computed but always sent (false when left out)",
)
EKS_CLUSTER = Source(
    f"{TF_AWS} internal/service/eks/cluster.go",
    note="@SDKResource aws_eks_cluster (index excerpt, 2026); vpc_config is required, so its defaults always apply",
)
SECURITY_GROUP = Source(
    f"{TF_AWS} internal/service/ec2/vpc_security_group.go", "01606926a0c0ab9174aec440f976a48b0baee722", "v6.7+"
)
SECURITY_GROUP_RULE = Source(
    f"{TF_AWS} internal/service/ec2/vpc_security_group_rule.go", "0d90774d0fdd40607cbf3b07cbab20b95c481163"
)
SECURITY_GROUP_INGRESS_RULE_PF = Source(
    f"{TF_AWS} internal/service/ec2/vpc_security_group_ingress_rule.go",
    "00a322094b4b9ade8a81b244345dbcf4b52ee8d6",
    "registerFrameworkResourceFactory: a Plugin Framework resource",
)
KINESIS_STREAM = Source(
    f"{TF_AWS} internal/service/kinesis/stream.go", "03aadd4385481a5bb0e26d7eec2a2d75ea30c9a0", "2026"
)
ECS_TASK_DEFINITION = Source(
    f"{TF_AWS} internal/service/ecs/task_definition.go",
    note='index: @SDKResource("aws_ecs_task_definition"), @Tags(identifierAttribute="arn"); no `name` input',
)
IAM_EXCLUSIVE_ATTACHMENTS = Source(
    f"{TF_AWS} internal/service/iam/role_policy_attachments_exclusive.go",
    "20e0a28a948035664fd03c63109a1fcfc2e3e87f",
    "@FrameworkResource; role_name and policy_arns (Required, no Default); the user and group twins "
    "carry @FrameworkResource too (index excerpts)",
)
SSOADMIN_PACKAGE = Source(
    f"{TF_AWS} internal/service/ssoadmin/service_package_gen.go",
    "5303f57246bec8b14ce3e8b69401342a98eafa13",
    "SDKResources: the permission set inline policy and the managed, customer-managed and boundary "
    "attachments; none has a name input",
)
SSOADMIN_EXCLUSIVE = Source(
    f"{TF_AWS} internal/service/ssoadmin/managed_policy_attachments_exclusive.go",
    "3d1e532d004668676e1703d49a8f960116ba9442",
    "@FrameworkResource, framework.WithRegionModel; the customer-managed twin carries "
    "@FrameworkResource too (index excerpt)",
)
S3_LIFECYCLE_PF = Source(
    f"{TF_AWS} internal/service/s3/bucket_lifecycle_configuration.go",
    note='index: @FrameworkResource("aws_s3_bucket_lifecycle_configuration")',
)


def _name(max_length: int = 255, *, source: Source = AUTONAMING, **options: Any) -> AutoName:
    return AutoName("name", max_length, source, **options)


_PREFIXED_NAME = ("namePrefix",)


def _d(source: Source, **values: Any) -> dict[str, Default]:
    return {prop: Default(value, source) for prop, value in values.items()}


def _sdkv2(tf_type: str, source: Source = NO_PF_ANNOTATION, **facts: Any) -> ResourceFacts:
    return ResourceFacts(tf_type, "sdkv2", source, **facts)


_TABLE: dict[str, ResourceFacts] = {
    # API Gateway
    "aws:apigateway/methodSettings:MethodSettings": _sdkv2("aws_api_gateway_method_settings"),
    "aws:apigateway/stage:Stage": _sdkv2("aws_api_gateway_stage", sets_tags_all=True),
    "aws:apigatewayv2/api:Api": _sdkv2("aws_apigatewayv2_api", autoname=_name(), sets_tags_all=True),
    "aws:apigatewayv2/integration:Integration": _sdkv2("aws_apigatewayv2_integration"),
    "aws:apigatewayv2/route:Route": _sdkv2("aws_apigatewayv2_route"),
    "aws:apigatewayv2/stage:Stage": _sdkv2("aws_apigatewayv2_stage", autoname=_name(), sets_tags_all=True),
    # AWS Config
    "aws:cfg/configurationAggregator:ConfigurationAggregator": _sdkv2(
        "aws_config_configuration_aggregator", autoname=_name(), sets_tags_all=True
    ),
    "aws:cfg/conformancePack:ConformancePack": _sdkv2("aws_config_conformance_pack", autoname=_name()),
    "aws:cfg/deliveryChannel:DeliveryChannel": _sdkv2("aws_config_delivery_channel", autoname=_name()),
    "aws:cfg/recorder:Recorder": _sdkv2(
        "aws_config_configuration_recorder",
        autoname=_name(),
        # The autoname overlay is applied before Terraform defaults, so "default" never lands.
        defaults=_d(CONFIG_RECORDER, name="default"),
        nested_defaults=_d(CONFIG_RECORDER, **{"recordingGroup.allSupported": True}),
    ),
    "aws:cfg/recorderStatus:RecorderStatus": _sdkv2("aws_config_configuration_recorder_status", autoname=_name()),
    "aws:cfg/rule:Rule": _sdkv2("aws_config_config_rule", autoname=_name(), sets_tags_all=True),
    # DynamoDB (the notifier's alarm threads, monitored tables)
    "aws:dynamodb/table:Table": _sdkv2("aws_dynamodb_table", autoname=_name(), sets_tags_all=True),
    # CloudTrail: Terraform accepts 3-128 characters, the autoname allows 255.
    "aws:cloudtrail/trail:Trail": _sdkv2(
        "aws_cloudtrail",
        TRAIL,
        autoname=_name(),
        defaults=_d(
            TRAIL,
            enableLogFileValidation=False,
            enableLogging=True,
            includeGlobalServiceEvents=True,
            isMultiRegionTrail=False,
            isOrganizationTrail=False,
        ),
        nested_defaults=_d(
            TRAIL, **{"eventSelectors[].includeManagementEvents": True, "eventSelectors[].readWriteType": "All"}
        ),
        defaults_complete=True,
        sets_tags_all=True,
    ),
    # CloudWatch
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": _sdkv2(
        "aws_cloudwatch_composite_alarm",
        COMPOSITE_ALARM,
        defaults=_d(COMPOSITE_ALARM, actionsEnabled=True),
        sets_tags_all=True,
    ),
    "aws:cloudwatch/dashboard:Dashboard": _sdkv2("aws_cloudwatch_dashboard"),
    "aws:cloudwatch/eventRule:EventRule": _sdkv2(
        "aws_cloudwatch_event_rule",
        autoname=_name(64, source=OVERRIDES, conflicts_with=_PREFIXED_NAME),
        sets_tags_all=True,
    ),
    "aws:cloudwatch/eventTarget:EventTarget": _sdkv2(
        "aws_cloudwatch_event_target", autoname=AutoName("targetId", 255, OVERRIDES)
    ),
    "aws:cloudwatch/logGroup:LogGroup": _sdkv2(
        "aws_cloudwatch_log_group",
        LOGS_PACKAGE,
        autoname=_name(conflicts_with=_PREFIXED_NAME),
        defaults=_d(LOG_GROUP, retentionInDays=0, skipDestroy=False),
        sets_tags_all=True,
    ),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": _sdkv2(
        "aws_cloudwatch_log_metric_filter", LOGS_PACKAGE, autoname=_name()
    ),
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": _sdkv2("aws_cloudwatch_log_resource_policy", LOGS_PACKAGE),
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": _sdkv2(
        "aws_cloudwatch_log_subscription_filter", LOGS_PACKAGE, autoname=_name()
    ),
    "aws:cloudwatch/metricAlarm:MetricAlarm": _sdkv2(
        "aws_cloudwatch_metric_alarm",
        METRIC_ALARM,
        autoname=_name(source=OVERRIDES),
        defaults=_d(METRIC_ALARM, actionsEnabled=True, treatMissingData="missing"),
        nested_defaults=_d(METRIC_ALARM, **{"metricQueries[].returnData": False}),
        defaults_complete=True,
        sets_tags_all=True,
    ),
    "aws:cloudwatch/queryDefinition:QueryDefinition": _sdkv2(
        "aws_cloudwatch_query_definition", LOGS_PACKAGE, autoname=_name()
    ),
    "aws:ec2/flowLog:FlowLog": _sdkv2("aws_flow_log", sets_tags_all=True),
    # EC2 and VPC (aws-ec2-securitygroup-*, aws-ec2-instance-require-imdsv2); autonames by the
    # default rule (per-resource overrides unchecked), pulumi-aws's own description default unchecked.
    "aws:ec2/securityGroup:SecurityGroup": _sdkv2(
        "aws_security_group",
        SECURITY_GROUP,
        autoname=_name(conflicts_with=_PREFIXED_NAME),
        defaults=_d(SECURITY_GROUP, revokeRulesOnDelete=False),
        nested_defaults=_d(SECURITY_GROUP, **{"ingress[].self": False, "egress[].self": False}),
        sets_tags_all=True,
    ),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": _sdkv2("aws_default_security_group", sets_tags_all=True),
    "aws:ec2/securityGroupRule:SecurityGroupRule": _sdkv2(
        "aws_security_group_rule", SECURITY_GROUP_RULE, defaults=_d(SECURITY_GROUP_RULE, self=False)
    ),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ResourceFacts(
        "aws_vpc_security_group_ingress_rule", "plugin-framework", SECURITY_GROUP_INGRESS_RULE_PF
    ),
    "aws:ec2/instance:Instance": _sdkv2("aws_instance", sets_tags_all=True),
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest": _sdkv2("aws_spot_instance_request", sets_tags_all=True),
    "aws:ec2/launchTemplate:LaunchTemplate": _sdkv2(
        "aws_launch_template", autoname=_name(conflicts_with=_PREFIXED_NAME), sets_tags_all=True
    ),
    "aws:ec2/launchConfiguration:LaunchConfiguration": _sdkv2(
        "aws_launch_configuration", autoname=_name(conflicts_with=_PREFIXED_NAME)
    ),
    # ECR
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": _sdkv2("aws_ecr_lifecycle_policy"),
    "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration": _sdkv2(
        "aws_ecr_registry_scanning_configuration"
    ),
    "aws:ecr/repository:Repository": _sdkv2(
        "aws_ecr_repository",
        autoname=_name(),
        defaults=_d(ECR_REPOSITORY, imageTagMutability="MUTABLE"),
        nested_defaults=_d(ECR_REPOSITORY, **{"encryptionConfigurations[].encryptionType": "AES256"}),
        sets_tags_all=True,
    ),
    "aws:ecr/repositoryPolicy:RepositoryPolicy": _sdkv2("aws_ecr_repository_policy"),
    # ECS
    "aws:ecs/taskDefinition:TaskDefinition": _sdkv2("aws_ecs_task_definition", ECS_TASK_DEFINITION, sets_tags_all=True),
    # IAM (global: no region)
    "aws:iam/groupPolicy:GroupPolicy": _sdkv2("aws_iam_group_policy", autoname=_name(), region_from_provider=False),
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": ResourceFacts(
        "aws_iam_group_policy_attachments_exclusive",
        "plugin-framework",
        IAM_EXCLUSIVE_ATTACHMENTS,
        region_from_provider=False,
    ),
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": _sdkv2(
        "aws_iam_group_policy_attachment", region_from_provider=False
    ),
    "aws:iam/policy:Policy": _sdkv2(
        "aws_iam_policy",
        autoname=_name(conflicts_with=_PREFIXED_NAME),
        region_from_provider=False,
        sets_tags_all=True,
    ),
    "aws:iam/policyAttachment:PolicyAttachment": _sdkv2(
        "aws_iam_policy_attachment", autoname=_name(), region_from_provider=False
    ),
    "aws:iam/role:Role": _sdkv2(
        "aws_iam_role",
        autoname=_name(64, source=OVERRIDES, conflicts_with=_PREFIXED_NAME),
        region_from_provider=False,
        sets_tags_all=True,
    ),
    "aws:iam/rolePolicy:RolePolicy": _sdkv2("aws_iam_role_policy", autoname=_name(), region_from_provider=False),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": _sdkv2(
        "aws_iam_role_policy_attachment", region_from_provider=False
    ),
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": ResourceFacts(
        "aws_iam_role_policy_attachments_exclusive",
        "plugin-framework",
        IAM_EXCLUSIVE_ATTACHMENTS,
        region_from_provider=False,
    ),
    "aws:iam/userPolicy:UserPolicy": _sdkv2(
        "aws_iam_user_policy", autoname=_name(conflicts_with=_PREFIXED_NAME), region_from_provider=False
    ),
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": _sdkv2(
        "aws_iam_user_policy_attachment", region_from_provider=False
    ),
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": ResourceFacts(
        "aws_iam_user_policy_attachments_exclusive",
        "plugin-framework",
        IAM_EXCLUSIVE_ATTACHMENTS,
        region_from_provider=False,
    ),
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": _sdkv2(
        "aws_kinesis_firehose_delivery_stream", autoname=_name(), sets_tags_all=True
    ),
    "aws:kinesis/stream:Stream": _sdkv2(
        "aws_kinesis_stream",
        KINESIS_STREAM,
        autoname=_name(),
        defaults=_d(KINESIS_STREAM, encryptionType="NONE", enforceConsumerDeletion=False, retentionPeriod=24),
        defaults_complete=True,
        sets_tags_all=True,
    ),
    # KMS
    "aws:kms/alias:Alias": _sdkv2(
        "aws_kms_alias",
        autoname=_name(238, source=OVERRIDES, prefix="alias/", conflicts_with=_PREFIXED_NAME),
    ),
    "aws:kms/ciphertext:Ciphertext": _sdkv2("aws_kms_ciphertext"),
    "aws:kms/externalKey:ExternalKey": _sdkv2("aws_kms_external_key", sets_tags_all=True),
    "aws:kms/key:Key": _sdkv2(
        "aws_kms_key",
        KMS_KEY,
        defaults=_d(
            KMS_KEY,
            bypassPolicyLockoutSafetyCheck=False,
            customerMasterKeySpec="SYMMETRIC_DEFAULT",
            enableKeyRotation=False,
            isEnabled=True,
            keyUsage="ENCRYPT_DECRYPT",
        ),
        defaults_complete=True,
        sets_tags_all=True,
    ),
    "aws:kms/keyPolicy:KeyPolicy": _sdkv2("aws_kms_key_policy"),
    "aws:kms/replicaExternalKey:ReplicaExternalKey": _sdkv2("aws_kms_replica_external_key", sets_tags_all=True),
    "aws:kms/replicaKey:ReplicaKey": _sdkv2("aws_kms_replica_key", sets_tags_all=True),
    # Lambda
    "aws:lambda/functionUrl:FunctionUrl": _sdkv2("aws_lambda_function_url"),
    "aws:lambda/function:Function": _sdkv2(
        "aws_lambda_function",
        LAMBDA_FUNCTION,
        autoname=_name(64, source=OVERRIDES),
        defaults=_d(
            LAMBDA_FUNCTION,
            memorySize=128,
            packageType="Zip",
            publish=False,
            reservedConcurrentExecutions=-1,
            skipDestroy=False,
            timeout=3,
        ),
        nested_defaults=_d(LAMBDA_FUNCTION, **{"vpcConfig.ipv6AllowedForDualStack": False}),
        sets_tags_all=True,
    ),
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": _sdkv2("aws_lambda_function_event_invoke_config"),
    "aws:lambda/permission:Permission": _sdkv2(
        "aws_lambda_permission",
        autoname=AutoName("statementId", 100, OVERRIDES, conflicts_with=("statementIdPrefix",)),
    ),
    # RDS / EKS: identifiers and cluster names are not autonamed here (overrides unchecked).
    "aws:eks/cluster:Cluster": _sdkv2(
        "aws_eks_cluster",
        EKS_CLUSTER,
        defaults=_d(EKS_CLUSTER, bootstrapSelfManagedAddons=True),
        nested_defaults=_d(
            EKS_CLUSTER, **{"vpcConfig.endpointPrivateAccess": False, "vpcConfig.endpointPublicAccess": True}
        ),
        sets_tags_all=True,
    ),
    "aws:rds/cluster:Cluster": _sdkv2(
        "aws_rds_cluster",
        RDS_CLUSTER,
        defaults=_d(
            RDS_CLUSTER,
            copyTagsToSnapshot=False,
            deleteAutomatedBackups=True,
            enableGlobalWriteForwarding=False,
            enableHttpEndpoint=False,
            enableLocalWriteForwarding=False,
            engineMode="provisioned",
            skipFinalSnapshot=False,
        ),
        sets_tags_all=True,
    ),
    "aws:rds/clusterInstance:ClusterInstance": _sdkv2(
        "aws_rds_cluster_instance",
        RDS_CLUSTER_INSTANCE,
        defaults=_d(
            RDS_CLUSTER_INSTANCE,
            autoMinorVersionUpgrade=True,
            copyTagsToSnapshot=False,
            forceDestroy=False,
            monitoringInterval=0,
            promotionTier=0,
        ),
        sets_tags_all=True,
    ),
    "aws:rds/instance:Instance": _sdkv2(
        "aws_db_instance",
        RDS_INSTANCE,
        defaults=_d(
            RDS_INSTANCE,
            applyImmediately=False,
            autoMinorVersionUpgrade=True,
            copyTagsToSnapshot=False,
            deleteAutomatedBackups=True,
            monitoringInterval=0,
            performanceInsightsEnabled=False,
            publiclyAccessible=False,
            skipFinalSnapshot=False,
        ),
        sets_tags_all=True,
    ),
    # S3
    "aws:s3/bucket:Bucket": _sdkv2(
        "aws_s3_bucket",
        autoname=AutoName("bucket", 63, OVERRIDES, lowercase=True, conflicts_with=("bucketPrefix",)),
        sets_tags_all=True,
    ),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ResourceFacts(
        "aws_s3_bucket_lifecycle_configuration", "plugin-framework", S3_LIFECYCLE_PF
    ),
    "aws:s3/bucketObjectv2:BucketObjectv2": _sdkv2(
        "aws_s3_object", autoname=AutoName("key", None, OVERRIDES, separator="", random_length=0), sets_tags_all=True
    ),
    # Account-wide: the resource has no region input (pulumi_aws s3/account_public_access_block.py).
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": _sdkv2(
        "aws_s3_account_public_access_block", region_from_provider=False
    ),
    "aws:s3/bucketAcl:BucketAcl": _sdkv2("aws_s3_bucket_acl"),
    "aws:s3/bucketAclV2:BucketAclV2": _sdkv2("aws_s3_bucket_acl", region_from_provider=None),
    "aws:s3/bucketLogging:BucketLogging": _sdkv2("aws_s3_bucket_logging"),
    "aws:s3/bucketLoggingV2:BucketLoggingV2": _sdkv2("aws_s3_bucket_logging", region_from_provider=None),
    "aws:s3/bucketPolicy:BucketPolicy": _sdkv2("aws_s3_bucket_policy"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": _sdkv2("aws_s3_bucket_public_access_block"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": _sdkv2(
        "aws_s3_bucket_server_side_encryption_configuration"
    ),
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": _sdkv2(
        "aws_s3_bucket_server_side_encryption_configuration", region_from_provider=None
    ),
    "aws:s3/bucketV2:BucketV2": _sdkv2(
        "aws_s3_bucket",
        COMPAT,
        autoname=AutoName("bucket", 63, COMPAT, lowercase=True, conflicts_with=("bucketPrefix",)),
        region_from_provider=False,
    ),
    "aws:s3/bucketVersioning:BucketVersioning": _sdkv2("aws_s3_bucket_versioning"),
    "aws:s3/bucketVersioningV2:BucketVersioningV2": _sdkv2("aws_s3_bucket_versioning", region_from_provider=None),
    # Secrets Manager
    "aws:secretsmanager/secret:Secret": _sdkv2(
        "aws_secretsmanager_secret",
        SECRET,
        autoname=_name(conflicts_with=_PREFIXED_NAME),
        defaults=_d(SECRET, forceOverwriteReplicaSecret=False, recoveryWindowInDays=30),
        defaults_complete=True,
        sets_tags_all=True,
    ),
    "aws:secretsmanager/secretPolicy:SecretPolicy": _sdkv2("aws_secretsmanager_secret_policy"),
    "aws:secretsmanager/secretRotation:SecretRotation": _sdkv2("aws_secretsmanager_secret_rotation"),
    "aws:secretsmanager/secretVersion:SecretVersion": _sdkv2("aws_secretsmanager_secret_version"),
    # SNS / SQS
    "aws:sns/topic:Topic": _sdkv2(
        "aws_sns_topic",
        SNS_TOPIC,
        autoname=_name(80, source=OVERRIDES, suffix_when={"fifoTopic": ".fifo"}, conflicts_with=_PREFIXED_NAME),
        defaults=_d(SNS_TOPIC, contentBasedDeduplication=False, fifoTopic=False),
        defaults_complete=True,
        sets_tags_all=True,
    ),
    "aws:sns/topicPolicy:TopicPolicy": _sdkv2("aws_sns_topic_policy"),
    "aws:sns/topicSubscription:TopicSubscription": _sdkv2("aws_sns_topic_subscription"),
    "aws:sqs/queue:Queue": _sdkv2(
        "aws_sqs_queue",
        SQS_QUEUE,
        autoname=_name(80, source=OVERRIDES, suffix_when={"fifoQueue": ".fifo"}, conflicts_with=_PREFIXED_NAME),
        # max_message_size is left out: its constant was 262144 while the schema now accepts up
        # to 1048576, and the current value could not be read.
        defaults=_d(
            SQS_QUEUE,
            contentBasedDeduplication=False,
            delaySeconds=0,
            fifoQueue=False,
            messageRetentionSeconds=345600,
            receiveWaitTimeSeconds=0,
            visibilityTimeoutSeconds=30,
        ),
        sets_tags_all=True,
    ),
    "aws:sqs/queuePolicy:QueuePolicy": _sdkv2("aws_sqs_queue_policy"),
    "aws:synthetics/canary:Canary": _sdkv2("aws_synthetics_canary", autoname=_name(), sets_tags_all=True),
    # Code deployed from S3 (aws-s3-bucketlifecycle-exclude-deployed-code); frameworks from the
    # @SDKResource annotations; autonames by the default rule (per-resource overrides unchecked).
    "aws:elasticbeanstalk/applicationVersion:ApplicationVersion": _sdkv2(
        "aws_elastic_beanstalk_application_version", autoname=_name(), sets_tags_all=True
    ),
    "aws:gamelift/build:Build": _sdkv2("aws_gamelift_build", autoname=_name(), sets_tags_all=True),
    "aws:gamelift/script:Script": _sdkv2("aws_gamelift_script", autoname=_name(), sets_tags_all=True),
    "aws:glue/job:Job": _sdkv2("aws_glue_job", autoname=_name(), sets_tags_all=True),
    "aws:kinesisanalyticsv2/application:Application": _sdkv2(
        "aws_kinesisanalyticsv2_application", autoname=_name(), sets_tags_all=True
    ),
    "aws:lambda/layerVersion:LayerVersion": _sdkv2("aws_lambda_layer_version"),
    "aws:mskconnect/customPlugin:CustomPlugin": _sdkv2(
        "aws_mskconnect_custom_plugin", autoname=_name(), sets_tags_all=True
    ),
    "aws:s3/bucketObject:BucketObject": _sdkv2(
        "aws_s3_bucket_object",
        autoname=AutoName("key", None, OVERRIDES, separator="", random_length=0),
        sets_tags_all=True,
    ),
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": ResourceFacts(
        "aws_s3_bucket_lifecycle_configuration", "plugin-framework", S3_LIFECYCLE_PF, region_from_provider=None
    ),
    # IAM Identity Center (aws-iam-policy-disallow-*): regional, like the instance they act in.
    "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment": _sdkv2(
        "aws_ssoadmin_customer_managed_policy_attachment", SSOADMIN_PACKAGE
    ),
    "aws:ssoadmin/customerManagedPolicyAttachmentsExclusive:CustomerManagedPolicyAttachmentsExclusive": ResourceFacts(
        "aws_ssoadmin_customer_managed_policy_attachments_exclusive", "plugin-framework", SSOADMIN_EXCLUSIVE
    ),
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment": _sdkv2(
        "aws_ssoadmin_managed_policy_attachment", SSOADMIN_PACKAGE
    ),
    "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive": ResourceFacts(
        "aws_ssoadmin_managed_policy_attachments_exclusive", "plugin-framework", SSOADMIN_EXCLUSIVE
    ),
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": _sdkv2(
        "aws_ssoadmin_permission_set_inline_policy", SSOADMIN_PACKAGE
    ),
    "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment": _sdkv2(
        "aws_ssoadmin_permissions_boundary_attachment", SSOADMIN_PACKAGE
    ),
    # X-Ray: group and sampling rule names (groupName, ruleName) are not autonamed.
    "aws:xray/encryptionConfig:EncryptionConfig": _sdkv2("aws_xray_encryption_config"),
    "aws:xray/group:Group": _sdkv2("aws_xray_group", sets_tags_all=True),
    "aws:xray/samplingRule:SamplingRule": _sdkv2("aws_xray_sampling_rule", sets_tags_all=True),
}

FACTS: Mapping[str, ResourceFacts] = MappingProxyType(_TABLE)
"""Type token → facts, for every type the guardrails judge or the committed stacks create."""


def facts_for(type_token: str) -> ResourceFacts | None:
    """The facts for a type token, or None for a type the table does not cover."""
    return FACTS.get(type_token)
