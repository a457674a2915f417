"""An EKS cluster with a managed node group, and a kubeconfig built from its outputs."""

import json

import pulumi
import pulumi_aws as aws

vpc = aws.ec2.get_vpc(default=True)
subnets = aws.ec2.get_subnets(filters=[{"name": "vpc-id", "values": [vpc.id]}])


def role(name: str, service: str, policies: list[str]) -> aws.iam.Role:
    created = aws.iam.Role(
        name,
        assume_role_policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
            }
        ),
    )
    for policy in policies:
        aws.iam.RolePolicyAttachment(
            f"{name}-{policy}", role=created.name, policy_arn=f"arn:aws:iam::aws:policy/{policy}"
        )
    return created


cluster_role = role("cluster", "eks.amazonaws.com", ["AmazonEKSClusterPolicy"])
node_role = role(
    "nodes",
    "ec2.amazonaws.com",
    ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"],
)
cluster = aws.eks.Cluster("apps", role_arn=cluster_role.arn, vpc_config={"subnet_ids": subnets.ids})
aws.eks.NodeGroup(
    "apps",
    cluster_name=cluster.name,
    node_role_arn=node_role.arn,
    subnet_ids=subnets.ids,
    scaling_config={"desired_size": 2, "min_size": 1, "max_size": 3},
    instance_types=["t3.medium"],
)
kubeconfig = pulumi.Output.all(cluster.endpoint, cluster.certificate_authority.data, cluster.name).apply(
    lambda args: json.dumps(
        {
            "apiVersion": "v1",
            "clusters": [{"name": args[2], "cluster": {"server": args[0], "certificate-authority-data": args[1]}}],
        }
    )
)
pulumi.export("kubeconfig", pulumi.Output.secret(kubeconfig))
