"""Secrets are not passed in plain environment variables: a Lambda function's `environment.variables`
and the `environment` of each container of an ECS task definition (`containerDefinitions`, JSON).
An ECS container's `secrets` (valueFrom an ARN) are what it should use instead. Messages name the
variable, never its value."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import AwsDefault, ConfigRule, Guardrail, Parameter, References
from ...props import MISSING, UNKNOWN, Props, text
from ...secrets import secret_in
from ...vocabulary.tokens import ECS_TASK_DEFINITION, LAMBDA_FUNCTION

SECRET_NAMES = "secretNames"
ECS_SECRET_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA")
"""The names Security Hub ECS.8 looks for."""

SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion"
HOLDS_SECRETS = (
    SECRET_VERSION,
    "aws:ssm/parameter:Parameter",
    "aws:iam/accessKey:AccessKey",
    "random:index/randomPassword:RandomPassword",
    "random:index/randomString:RandomString",
    "tls:index/privateKey:PrivateKey",
)
"""Resources whose outputs are secrets: a value computed from one may be a secret in plain text."""

REDACTED = "the value is not shown"


def computed_safely(props: Props, prop: str) -> bool:
    """A value unknown during preview that can hold no secret: every resource it was computed from
    (AnalyzeStack's property dependencies) is one whose outputs are not secrets (an ARN, a KMS
    ciphertext). Without dependencies (per-resource Analyze) nothing can be said."""
    origins = props.origins(prop) or ()
    return bool(origins) and not any(o.type in HOLDS_SECRETS for o in origins)


def lambda_variables(props: Props, patterns: list[str]) -> Iterator[str]:
    variables = props.plain("environment.variables")
    if not isinstance(variables, Mapping):
        return
    for name, value in variables.items():
        if value is UNKNOWN:
            if not computed_safely(props, "environment"):
                props.undecided(f"environment.variables.{name}")
            continue
        reason = secret_in(name, value, patterns)
        if reason:
            yield (
                f"Lambda function environment variable {name} {reason} ({REDACTED}); keep it in Secrets Manager "
                "or SSM Parameter Store and pass its ARN, or a KMS ciphertext the code decrypts."
            )


def container_definitions(props: Props) -> Any:
    """The containers as a list; MISSING, UNKNOWN (a JSON string computed at deploy: undecided, it
    may hold literals too), or the reason the provider would reject the value."""
    value = props.get("containerDefinitions")
    if value in (MISSING, UNKNOWN):
        return value
    try:
        containers = json.loads(value) if text(value) else None
    except ValueError:
        return "containerDefinitions is not JSON"
    if not isinstance(containers, list) or not all(isinstance(c, Mapping) for c in containers):
        return "containerDefinitions is not a JSON list of container definitions"
    return containers


def ecs_variables(props: Props, patterns: list[str]) -> Iterator[str]:
    containers = container_definitions(props)
    if isinstance(containers, str):
        yield f"ECS task definition {containers}; the provider rejects it."
        return
    if not isinstance(containers, list):
        return
    for index, container in enumerate(containers):
        where = f"container {container.get('name', index)!r}"
        environment = container.get("environment")
        for entry in environment if isinstance(environment, list) else []:
            if not isinstance(entry, Mapping):
                continue
            name, value = entry.get("name"), entry.get("value")
            reason = secret_in(str(name), value, patterns)
            if reason:
                yield (
                    f"ECS task definition {where} environment variable {name} {reason} ({REDACTED}); move it to the "
                    "container's secrets, valueFrom a Secrets Manager secret or SSM parameter ARN."
                )


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    yield from lambda_variables(props, config[SECRET_NAMES])
    yield from ecs_variables(props, config[SECRET_NAMES])


GUARDRAIL = Guardrail(
    name="aws-environment-variables-disallow-plaintext-secrets",
    description="Lambda functions and ECS containers do not hold secrets in plain environment variables: no key, token or private key, and no literal in a variable named like a secret.",
    severity="high",
    resource_types=(LAMBDA_FUNCTION, ECS_TASK_DEFINITION),
    remediation_steps="Store the secret in Secrets Manager (or an SSM SecureString) and pass its ARN for the code to read (Lambda), or list it under the container's secrets with valueFrom (ECS); rotate a secret that was ever deployed in plain text.",
    references=References(
        config_rule=ConfigRule(
            "ECS_NO_ENVIRONMENT_SECRETS",
            static_parameters={"secretKeys": ",".join(ECS_SECRET_KEYS)},
            covers=(ECS_TASK_DEFINITION,),
        ),
        security_hub=("ECS.8",),
        checkov=("CKV_AWS_45",),
    ),
    check=check,
    resolves_references=True,
    parameters=(
        Parameter(
            SECRET_NAMES,
            {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "default": [
                    "*PASSWORD",
                    "*PASSWD",
                    "*SECRET",
                    "*SECRET_KEY",
                    "*TOKEN",
                    "*API_KEY",
                    "*APIKEY",
                    "*PRIVATE_KEY",
                    *ECS_SECRET_KEYS,
                ],
            },
            "Variable names (wildcards, any case) that may hold no literal value, only a reference.",
            AwsDefault(list(ECS_SECRET_KEYS), "ECS.8; ECS_NO_ENVIRONMENT_SECRETS secretKeys"),
        ),
    ),
    audit=LiveAudit(types=(LAMBDA_FUNCTION, ECS_TASK_DEFINITION)),
)
