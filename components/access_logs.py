"""API Gateway access logs: the seed's JSON format and where the baseline keeps them."""

import json

from settings.access_logs import access_log_group_name

__all__ = ["ACCESS_LOG_FORMAT", "access_log_group_name"]

ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
    },
    separators=(",", ":"),
)
"""One JSON object per request, fields as in the seed walkthrough."""
