"""An EC2 web server reachable over SSH, streaming clicks to Kinesis."""

import pulumi
import pulumi_aws as aws

ami = aws.ec2.get_ami(
    most_recent=True, owners=["amazon"], filters=[{"name": "name", "values": ["al2023-ami-*-x86_64"]}]
)
ssh = aws.ec2.SecurityGroup(
    "web-ssh",
    description="web and ssh",
    ingress=[
        {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]},
        {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]},
    ],
)
server = aws.ec2.Instance("web", ami=ami.id, instance_type="t3.micro", vpc_security_group_ids=[ssh.id])
clicks = aws.kinesis.Stream("clicks", shard_count=1, retention_period=24)
pulumi.export("address", server.public_ip)
pulumi.export("stream", clicks.name)
