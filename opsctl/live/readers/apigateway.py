"""API Gateway stages and their access logs: REST APIs (v1), with each stage's method settings, and
HTTP/WebSocket APIs (v2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.guardrails.vocabulary.tokens import APIGATEWAY_METHOD_SETTINGS, APIGATEWAY_STAGE, APIGATEWAYV2_STAGE

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages


def access_logs(settings: dict[str, Any]) -> dict[str, Any]:
    keys = (("destinationArn", ("destinationArn", "DestinationArn")), ("format", ("format", "Format")))
    return {wire: settings[api] for wire, names in keys for api in names if settings.get(api)}


def read_rest(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("apigateway", region)
    for api in pages(client, "get_rest_apis", "items"):
        for stage in client.get_stages(restApiId=api["id"]).get("item", []):
            props = {
                "restApi": api["id"],
                "stageName": stage["stageName"],
                "xrayTracingEnabled": stage.get("tracingEnabled", False),
            }
            if stage.get("accessLogSettings"):
                props["accessLogSettings"] = access_logs(stage["accessLogSettings"])
            name = f"{api.get('name', api['id'])}/{stage['stageName']}"
            arn = f"arn:aws:apigateway:{region}::/restapis/{api['id']}/stages/{stage['stageName']}"
            yield LiveResource(APIGATEWAY_STAGE, name, arn, props, region)
            for path, settings in stage.get("methodSettings", {}).items():  # "*/*" or "resource/METHOD"
                method = {
                    "restApi": api["id"],
                    "stageName": stage["stageName"],
                    "methodPath": path,
                    "settings": settings,
                }
                yield LiveResource(
                    APIGATEWAY_METHOD_SETTINGS, f"{name}/{path}", f"{arn}/methodsettings/{path}", method, region
                )


def read_http(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("apigatewayv2", region)
    for api in pages(client, "get_apis", "Items"):
        for stage in pages(client, "get_stages", "Items", ApiId=api["ApiId"]):
            props = {"apiId": api["ApiId"], "name": stage["StageName"]}
            if stage.get("AccessLogSettings"):
                props["accessLogSettings"] = access_logs(stage["AccessLogSettings"])
            name = f"{api.get('Name', api['ApiId'])}/{stage['StageName']}"
            arn = f"arn:aws:apigateway:{region}::/apis/{api['ApiId']}/stages/{stage['StageName']}"
            yield LiveResource(APIGATEWAYV2_STAGE, name, arn, props, region)


SOURCE = Source("apigateway", (APIGATEWAY_STAGE, APIGATEWAY_METHOD_SETTINGS), read_rest)
SOURCE_V2 = Source("apigatewayv2", (APIGATEWAYV2_STAGE,), read_http)
