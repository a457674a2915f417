"""Lambda functions (runtime, tracing, environment and its key), their function URLs and the
statements of their resource policies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from policies.guardrails.vocabulary.tokens import LAMBDA_FUNCTION, LAMBDA_FUNCTION_URL, LAMBDA_PERMISSION

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages

CONDITION_KEYS = (
    ("sourceArn", "AWS:SourceArn"),
    ("sourceAccount", "AWS:SourceAccount"),
    ("principalOrgId", "aws:PrincipalOrgID"),
)


def permission(function: str, statement: dict[str, Any]) -> dict[str, Any]:
    """A function-policy statement as the `aws.lambda_.Permission` that would have written it."""
    principal = statement.get("Principal", "*")
    if isinstance(principal, dict):
        principal = principal.get("Service") or principal.get("AWS") or "*"
    conditions: dict[str, Any] = {}
    for block in (statement.get("Condition") or {}).values():
        conditions.update({key.lower(): value for key, value in block.items()})
    props = {"function": function, "action": statement.get("Action", "lambda:InvokeFunction"), "principal": principal}
    for wire, key in CONDITION_KEYS:
        if key.lower() in conditions:
            props[wire] = conditions[key.lower()]
    return props


def function_urls(client: Any, name: str, region: str) -> Iterator[LiveResource]:
    """The function's URLs (unqualified and per alias). A 404 -- the function deleted since it was
    listed, or an endpoint without the API (moto) -- means none; access denied stays an error."""
    try:
        urls = list(pages(client, "list_function_url_configs", "FunctionUrlConfigs", FunctionName=name))
    except ClientError as error:
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 404:
            raise
        return
    for url in urls:
        props = {"functionName": name, "authorizationType": url["AuthType"], "functionUrl": url["FunctionUrl"]}
        yield LiveResource(LAMBDA_FUNCTION_URL, name, url["FunctionArn"], props, region)


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("lambda", region)
    for function in pages(client, "list_functions", "Functions"):
        name, arn = function["FunctionName"], function["FunctionArn"]
        props = {
            "name": name,
            "arn": arn,
            "packageType": function.get("PackageType", "Zip"),
            "tracingConfig": {"mode": function.get("TracingConfig", {}).get("Mode", "PassThrough")},
            "environment": {"variables": function.get("Environment", {}).get("Variables", {})},
        }
        if function.get("Runtime"):  # absent for container image functions
            props["runtime"] = function["Runtime"]
        if function.get("KMSKeyArn"):
            props["kmsKeyArn"] = function["KMSKeyArn"]
        yield LiveResource(LAMBDA_FUNCTION, name, arn, props, region)
        yield from function_urls(client, name, region)
        try:
            policy = json.loads(client.get_policy(FunctionName=name)["Policy"])
        except client.exceptions.ResourceNotFoundException:
            continue
        for index, statement in enumerate(policy.get("Statement", [])):
            sid = statement.get("Sid") or str(index)
            yield LiveResource(LAMBDA_PERMISSION, f"{name}/{sid}", f"{arn}#{sid}", permission(name, statement), region)


SOURCE = Source("lambda", (LAMBDA_FUNCTION, LAMBDA_FUNCTION_URL, LAMBDA_PERMISSION), read)
