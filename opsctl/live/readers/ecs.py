"""ECS task definitions: the latest active revision of each family, as ECS.8 judges it, with its
container definitions as the JSON string pulumi-aws takes."""

from __future__ import annotations

import json
from collections.abc import Iterator

from policies.guardrails.vocabulary.tokens import ECS_TASK_DEFINITION

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("ecs", region)
    for family in pages(client, "list_task_definition_families", "families", status="ACTIVE"):
        # A family name alone describes its latest ACTIVE revision.
        definition = client.describe_task_definition(taskDefinition=family)["taskDefinition"]
        props = {"family": family, "containerDefinitions": json.dumps(definition.get("containerDefinitions", []))}
        yield LiveResource(ECS_TASK_DEFINITION, family, definition["taskDefinitionArn"], props, region)


SOURCE = Source("ecs", (ECS_TASK_DEFINITION,), read)
