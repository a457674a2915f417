"""API Gateway stages (REST and HTTP) write access logs with a destination and a format."""

from ...checks import require_set
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...vocabulary.tokens import APIGATEWAY_STAGE, APIGATEWAYV2_STAGE, FIREHOSE_STREAM, LOG_GROUP

GUARDRAIL = Guardrail(
    name="aws-apigateway-stage-enable-access-logging",
    description="API Gateway REST and HTTP API stages write access logs to a destination with a format.",
    severity="medium",
    resource_types=(APIGATEWAY_STAGE, APIGATEWAYV2_STAGE),
    remediation_steps="Set accessLogSettings.destinationArn to a log group ARN and accessLogSettings.format to a JSON access-log format.",
    references=References(
        # The managed rule and APIGateway.9 judge HTTP and WebSocket (v2) stages only; REST stages
        # have no AWS-managed access-log check, so the pack is their only one.
        config_rule=ConfigRule("API_GWV2_ACCESS_LOGS_ENABLED", covers=(APIGATEWAYV2_STAGE,)),
        security_hub=("APIGateway.9",),
        checkov=("CKV_AWS_76",),
    ),
    check=require_set(
        {"accessLogSettings.destinationArn": (LOG_GROUP, FIREHOSE_STREAM), "accessLogSettings.format": ()},
        message="API stage access logging is incomplete: {paths} not set.",
    ),
    resolves_references=True,
    audit=LiveAudit(types=(APIGATEWAY_STAGE, APIGATEWAYV2_STAGE)),
)
