"""A static website in S3, behind CloudFront with an ACM certificate, under a Route 53 name."""

import json
import mimetypes
from pathlib import Path

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
domain = config.get("domain") or "www.example.com"
zone = aws.route53.get_zone(name="example.com")
certificate = aws.acm.get_certificate(domain=domain, statuses=["ISSUED"], region="us-east-1")

site = aws.s3.Bucket("site")
aws.s3.BucketWebsiteConfiguration("site-website", bucket=site.id, index_document={"suffix": "index.html"})
aws.s3.BucketPublicAccessBlock(
    "site-public-access",
    bucket=site.id,
    block_public_acls=False,
    block_public_policy=False,
    ignore_public_acls=False,
    restrict_public_buckets=False,
)
aws.s3.BucketPolicy(
    "site-public-read",
    bucket=site.id,
    policy=site.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{arn}/*"}],
            }
        )
    ),
)
for path in Path("www").rglob("*"):  # relative to the project directory, as under the CLI
    aws.s3.BucketObjectv2(
        f"www-{path.name}",
        bucket=site.id,
        key=str(path.relative_to("www")),
        source=pulumi.FileAsset(str(path)),
        content_type=mimetypes.guess_type(str(path))[0],
    )
cdn = aws.cloudfront.Distribution(
    "cdn",
    enabled=True,
    aliases=[domain],
    default_root_object="index.html",
    origins=[{"origin_id": "site", "domain_name": site.bucket_regional_domain_name}],
    default_cache_behavior={
        "target_origin_id": "site",
        "viewer_protocol_policy": "redirect-to-https",
        "allowed_methods": ["GET", "HEAD"],
        "cached_methods": ["GET", "HEAD"],
        "forwarded_values": {"query_string": False, "cookies": {"forward": "none"}},
    },
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"acm_certificate_arn": certificate.arn, "ssl_support_method": "sni-only"},
)
aws.route53.Record(
    "www",
    zone_id=zone.zone_id,
    name=domain,
    type="A",
    aliases=[{"name": cdn.domain_name, "zone_id": cdn.hosted_zone_id, "evaluate_target_health": False}],
)
pulumi.export("url", cdn.domain_name.apply(lambda name: f"https://{name}"))
