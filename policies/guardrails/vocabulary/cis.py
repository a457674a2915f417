"""CIS / Security Hub CloudWatch.1–14 and CIS 4.15: the exact published metric-filter patterns.

Security Hub fails a control when terms are added to these patterns, so they are kept verbatim
and compared after whitespace normalization only. CIS 4.15 (AWS Organizations changes, CIS AWS
Foundations v1.3.0 to v3.0.0) has no Security Hub control -- CloudWatch.15 is an alarm-action
check -- so it is keyed by its CIS number and its pattern is the benchmark's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CisControl:
    control: str
    """Security Hub control id, e.g. CloudWatch.1, or `CIS.<number>` where Security Hub has none."""
    name: str
    """Metric and filter name (CamelCase)."""
    title: str
    pattern: str


CONTROLS: tuple[CisControl, ...] = (
    CisControl(
        "CloudWatch.1",
        "RootAccountUsage",
        "Usage of the root user",
        '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    ),
    CisControl(
        "CloudWatch.2",
        "UnauthorizedApiCalls",
        "Unauthorized API calls",
        '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    ),
    CisControl(
        "CloudWatch.3",
        "ConsoleSigninWithoutMfa",
        "Management console sign-in without MFA",
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    ),
    CisControl(
        "CloudWatch.4",
        "IamPolicyChanges",
        "IAM policy changes",
        "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}",
    ),
    CisControl(
        "CloudWatch.5",
        "CloudTrailConfigChanges",
        "CloudTrail configuration changes",
        "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}",
    ),
    CisControl(
        "CloudWatch.6",
        "ConsoleAuthenticationFailures",
        "Management console authentication failures",
        '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    ),
    CisControl(
        "CloudWatch.7",
        "DisableOrDeleteCmk",
        "Disabling or scheduled deletion of customer managed keys",
        "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}",
    ),
    CisControl(
        "CloudWatch.8",
        "S3BucketPolicyChanges",
        "S3 bucket policy changes",
        "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}",
    ),
    CisControl(
        "CloudWatch.9",
        "ConfigChanges",
        "AWS Config configuration changes",
        "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}",
    ),
    CisControl(
        "CloudWatch.10",
        "SecurityGroupChanges",
        "Security group changes",
        "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}",
    ),
    CisControl(
        "CloudWatch.11",
        "NetworkAclChanges",
        "Network ACL changes",
        "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}",
    ),
    CisControl(
        "CloudWatch.12",
        "NetworkGatewayChanges",
        "Network gateway changes",
        "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}",
    ),
    CisControl(
        "CloudWatch.13",
        "RouteTableChanges",
        "Route table changes",
        "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}",
    ),
    CisControl(
        "CloudWatch.14",
        "VpcChanges",
        "VPC changes",
        "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}",
    ),
    CisControl(
        "CIS.4.15",
        "OrganizationsChanges",
        "AWS Organizations changes",
        '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }',
    ),
)


def normalize(pattern: str) -> str:
    """Remove insignificant whitespace: Security Hub's own text mixes `$.a = "x"` and `$.a="x"`."""
    return re.sub(r"\s+", "", pattern)


BY_CONTROL = {c.control: c for c in CONTROLS}
SECURITY_HUB = tuple(c.control for c in CONTROLS if c.control.startswith("CloudWatch."))
"""The controls Security Hub checks (CloudWatch.1–14)."""


def number(control: CisControl) -> str:
    """The control's number within its framework: `7` for CloudWatch.7, `15` for CIS.4.15."""
    return control.control.rsplit(".", 1)[1]
