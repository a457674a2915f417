"""RDS: DB instances (their encryption, public access, deletion protection) and DB clusters.

An instance that belongs to a cluster (Aurora, or a Multi-AZ DB cluster's member) is read as a
cluster instance, the resource that creates it, with the setting it owns (public access); storage
and deletion protection are its cluster's. The RDS API also lists Neptune and DocumentDB, which are
other services' resources: they are left out. Live values are what AWS reports, never absent.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.vocabulary.tokens import RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages

OTHER_SERVICES = ("docdb", "neptune")


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("rds", region)
    for db in pages(client, "describe_db_instances", "DBInstances"):
        if db.get("Engine") in OTHER_SERVICES:
            continue
        name, arn = db["DBInstanceIdentifier"], db["DBInstanceArn"]
        public = bool(db.get("PubliclyAccessible"))
        if db.get("DBClusterIdentifier"):
            props = {"identifier": name, "clusterIdentifier": db["DBClusterIdentifier"], "publiclyAccessible": public}
            yield LiveResource(RDS_CLUSTER_INSTANCE, name, arn, props, region)
            continue
        props = {
            "identifier": name,
            "engine": db.get("Engine", ""),
            "storageEncrypted": bool(db.get("StorageEncrypted")),
            "publiclyAccessible": public,
            "deletionProtection": bool(db.get("DeletionProtection")),
        }
        yield LiveResource(RDS_INSTANCE, name, arn, props, region)
    for cluster in pages(client, "describe_db_clusters", "DBClusters"):
        if cluster.get("Engine") in OTHER_SERVICES:
            continue
        name, arn = cluster["DBClusterIdentifier"], cluster["DBClusterArn"]
        props = {
            "clusterIdentifier": name,
            "engine": cluster.get("Engine", ""),
            "engineMode": cluster.get("EngineMode", "provisioned"),
            "storageEncrypted": bool(cluster.get("StorageEncrypted")),
            "deletionProtection": bool(cluster.get("DeletionProtection")),
            "publiclyAccessible": bool(cluster.get("PubliclyAccessible")),  # reported for Multi-AZ clusters only
        }
        yield LiveResource(RDS_CLUSTER, name, arn, props, region)


SOURCE = Source("rds", (RDS_INSTANCE, RDS_CLUSTER_INSTANCE, RDS_CLUSTER), read)
