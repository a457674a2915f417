"""EKS clusters: endpoint access, secrets encryption and control-plane logging, in the shape of
aws.eks.Cluster (which pulumi_eks creates too). DescribeCluster reports every setting; where an
emulator leaves one out, the rules read the gap as EKS's default."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.guardrails.vocabulary.tokens import EKS_CLUSTER

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages

VPC_SETTINGS = ("endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs")


def props_of(cluster: dict[str, Any]) -> dict[str, Any]:
    vpc = cluster.get("resourcesVpcConfig", {})
    props: dict[str, Any] = {
        "name": cluster["name"],
        "vpcConfig": {key: vpc[key] for key in VPC_SETTINGS if key in vpc},
        "enabledClusterLogTypes": sorted(
            {
                t
                for setup in cluster.get("logging", {}).get("clusterLogging", [])
                if setup.get("enabled")
                for t in setup.get("types", [])
            }
        ),
    }
    encryption = cluster.get("encryptionConfig") or []
    if encryption:  # the API's list holds at most one entry, the provider's block
        props["encryptionConfig"] = {
            "resources": list(encryption[0].get("resources", [])),
            "provider": {"keyArn": encryption[0].get("provider", {}).get("keyArn", "")},
        }
    return props


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("eks", region)
    for name in pages(client, "list_clusters", "clusters"):
        cluster = client.describe_cluster(name=name)["cluster"]
        yield LiveResource(EKS_CLUSTER, name, cluster["arn"], props_of(cluster), region)


SOURCE = Source("eks", (EKS_CLUSTER,), read)
