"""The seed walkthrough's sample API as one small Lambda handler (HTTP API payload format 2.0).

GET /health answers 200. POST /products validates the body, signs the new product id with the
Secrets Manager secret and publishes `FastAPI/Products ProductsCreated` through the embedded metric
format (a structured log line; no PutMetricData permission needed). Every log line carries the
request's correlation id, so the baseline's saved query can follow one request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
import uuid
from typing import Any

METRICS_NAMESPACE = "FastAPI/Products"
_signing_key: bytes | None = None


def signing_key() -> bytes:
    """The secret, read once per container (boto3 ships with the Lambda runtime)."""
    global _signing_key
    if _signing_key is None:
        import boto3

        secret = boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["SECRET_ARN"])
        _signing_key = secret["SecretString"].encode()
    return _signing_key


def log(level: str, message: str, correlation_id: str, **fields: Any) -> None:
    print(json.dumps({"level": level, "message": f"{level} {message}", "correlation_id": correlation_id, **fields}))


def products_created_metric(correlation_id: str) -> dict[str, Any]:
    """An embedded-metric-format record: CloudWatch turns it into a ProductsCreated datapoint."""
    return {
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": METRICS_NAMESPACE,
                    "Dimensions": [[]],
                    "Metrics": [{"Name": "ProductsCreated", "Unit": "Count"}],
                }
            ],
        },
        "ProductsCreated": 1,
        "correlation_id": correlation_id,
    }


def response(status: int, body: dict[str, Any], correlation_id: str) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json", "x-correlation-id": correlation_id},
        "body": json.dumps(body),
    }


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    headers = event.get("headers") or {}
    correlation_id = headers.get("x-correlation-id") or str(uuid.uuid4())
    route = f"{event.get('requestContext', {}).get('http', {}).get('method', 'GET')} {event.get('rawPath', '/')}"
    try:
        if route == "GET /health":
            return response(200, {"status": "ok"}, correlation_id)
        if route == "POST /products":
            product = json.loads(event.get("body") or "{}")
            if not isinstance(product, dict) or not str(product.get("name", "")).strip():
                log("WARNING", "rejected product without a name", correlation_id)
                return response(400, {"error": "a product needs a non-empty name"}, correlation_id)
            product_id = str(uuid.uuid4())
            signature = hmac.new(signing_key(), product_id.encode(), hashlib.sha256).hexdigest()
            print(json.dumps(products_created_metric(correlation_id)))
            log("INFO", f"created product {product_id}", correlation_id)
            return response(201, {"id": product_id, "signature": signature}, correlation_id)
        return response(404, {"error": f"no route {route}"}, correlation_id)
    except Exception as error:  # the log line feeds the ERROR metric filter; Lambda still records the failure
        log("ERROR", f"{type(error).__name__}: {error}", correlation_id)
        raise
