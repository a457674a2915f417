"""A Glue job that loads S3 data into Redshift; its script lives in a bucket that expires objects."""

import json

import pulumi
import pulumi_aws as aws

scripts = aws.s3.Bucket("etl-scripts")
aws.s3.BucketLifecycleConfiguration(
    "etl-scripts-expiry",
    bucket=scripts.id,
    rules=[{"id": "expire", "status": "Enabled", "filter": {}, "expiration": {"days": 30}}],
)
script = aws.s3.BucketObjectv2("load-script", bucket=scripts.id, key="jobs/load.py", content="print('load')\n")
role = aws.iam.Role(
    "glue",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)
aws.iam.RolePolicyAttachment(
    "glue-service", role=role.name, policy_arn="arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
)
aws.iam.RolePolicyAttachment("glue-s3", role=role.name, policy_arn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
warehouse = aws.redshift.Cluster(
    "warehouse",
    cluster_identifier="orders-warehouse",
    node_type="ra3.xlplus",
    number_of_nodes=2,
    master_username="admin",
    master_password="Warehouse-Passw0rd",
    database_name="orders",
    skip_final_snapshot=True,
)
aws.glue.Job(
    "load",
    role_arn=role.arn,
    glue_version="4.0",
    command={"script_location": pulumi.Output.concat("s3://", scripts.bucket, "/", script.key), "python_version": "3"},
    default_arguments={"--REDSHIFT_HOST": warehouse.endpoint},
)
pulumi.export("warehouse", warehouse.endpoint)
