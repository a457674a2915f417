"""API Gateway REST stages trace requests with X-Ray, so a request is followed into the functions behind it."""

from ...checks import require_true
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...vocabulary.tokens import APIGATEWAY_STAGE

GUARDRAIL = Guardrail(
    name="aws-apigateway-stage-enable-xray-tracing",
    description="API Gateway REST API stages have X-Ray active tracing on.",
    severity="low",
    resource_types=(APIGATEWAY_STAGE,),
    remediation_steps="Set xrayTracingEnabled = true on the stage (HTTP APIs, v2, do not support X-Ray tracing).",
    references=References(
        config_rule=ConfigRule("API_GW_XRAY_ENABLED"),
        security_hub=("APIGateway.3",),
        checkov=("CKV_AWS_73",),
    ),
    check=require_true("xrayTracingEnabled", "API stage xrayTracingEnabled is {value}; set it true."),
    audit=LiveAudit(types=(APIGATEWAY_STAGE,)),
)
