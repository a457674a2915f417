"""A Fargate service behind a load balancer, with a PostgreSQL database, in the default VPC."""

import json

import pulumi
import pulumi_aws as aws

vpc = aws.ec2.get_vpc(default=True)
subnets = aws.ec2.get_subnets(filters=[{"name": "vpc-id", "values": [vpc.id]}])

web = aws.ec2.SecurityGroup(
    "web",
    vpc_id=vpc.id,
    ingress=[{"protocol": "tcp", "from_port": 80, "to_port": 80, "cidr_blocks": ["0.0.0.0/0"]}],
    egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
)
database_access = aws.ec2.SecurityGroup(
    "database",
    vpc_id=vpc.id,
    ingress=[{"protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": ["0.0.0.0/0"]}],
)
database = aws.rds.Instance(
    "orders-db",
    engine="postgres",
    engine_version="16.3",
    instance_class="db.t4g.micro",
    allocated_storage=20,
    username="orders",
    password="change-me-now-please",
    publicly_accessible=True,
    skip_final_snapshot=True,
    vpc_security_group_ids=[database_access.id],
)
balancer = aws.lb.LoadBalancer("web", load_balancer_type="application", security_groups=[web.id], subnets=subnets.ids)
targets = aws.lb.TargetGroup("web", port=80, protocol="HTTP", target_type="ip", vpc_id=vpc.id)
aws.lb.Listener(
    "web",
    load_balancer_arn=balancer.arn,
    port=80,
    default_actions=[{"type": "forward", "target_group_arn": targets.arn}],
)
cluster = aws.ecs.Cluster("orders")
role = aws.iam.Role(
    "task-execution",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)
aws.iam.RolePolicyAttachment(
    "task-execution", role=role.name, policy_arn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
)
task = aws.ecs.TaskDefinition(
    "orders",
    family="orders",
    cpu="256",
    memory="512",
    network_mode="awsvpc",
    requires_compatibilities=["FARGATE"],
    execution_role_arn=role.arn,
    container_definitions=database.address.apply(
        lambda host: json.dumps(
            [
                {
                    "name": "orders",
                    "image": "public.ecr.aws/nginx/nginx:latest",
                    "portMappings": [{"containerPort": 80}],
                    "environment": [
                        {"name": "DB_HOST", "value": host},
                        {"name": "DB_PASSWORD", "value": "change-me-now-please"},
                    ],
                }
            ]
        )
    ),
)
aws.ecs.Service(
    "orders",
    cluster=cluster.arn,
    task_definition=task.arn,
    desired_count=2,
    launch_type="FARGATE",
    network_configuration={"subnets": subnets.ids, "security_groups": [web.id], "assign_public_ip": True},
    load_balancers=[{"target_group_arn": targets.arn, "container_name": "orders", "container_port": 80}],
)
pulumi.export("url", balancer.dns_name)
