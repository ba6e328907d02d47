"""Drives Berth's repository and tagging operations with boto3; exits non-zero on the first mismatch.

Usage: boto3_repositories.py ENDPOINT ACCESS_KEY_ID SECRET ACCOUNT_ID
"""
import sys

import boto3
from botocore.config import Config

endpoint, key_id, secret, account = sys.argv[1:5]
session = boto3.session.Session(aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1")
ecr = session.client("ecr", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))


def expect_error(code, call, **kwargs):
    try:
        call(**kwargs)
    except ecr.exceptions.ClientError as error:
        got = error.response["Error"]["Code"]
        assert got == code, f"{call.__name__}: expected {code}, got {got}: {error}"
        return error
    raise AssertionError(f"{call.__name__} should have failed with {code}")


created = ecr.create_repository(
    repositoryName="boto/app",
    tags=[{"Key": "team", "Value": "web"}],
    imageTagMutability="MUTABLE_WITH_EXCLUSION",
    imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "release-*"}],
)["repository"]
arn = f"arn:aws:ecr:us-east-1:{account}:repository/boto/app"
assert created["repositoryArn"] == arn, created
assert created["registryId"] == account, created
assert created["createdAt"].year >= 2024, created
assert created["imageTagMutabilityExclusionFilters"] == [{"filterType": "WILDCARD", "filter": "release-*"}], created

# Modeled exceptions resolve to boto3's exception classes.
try:
    ecr.create_repository(repositoryName="boto/app")
    raise AssertionError("duplicate create succeeded")
except ecr.exceptions.RepositoryAlreadyExistsException:
    pass
try:
    ecr.describe_repositories(repositoryNames=["absent"])
    raise AssertionError("describe of an absent repository succeeded")
except ecr.exceptions.RepositoryNotFoundException as error:
    assert "does not exist in the registry with id" in str(error), error

expect_error("InvalidParameterException", ecr.create_repository, repositoryName="UPPER")
expect_error("InvalidTagParameterException", ecr.tag_resource, resourceArn=arn, tags=[{"Key": "aws:x", "Value": "y"}])
expect_error("TooManyTagsException", ecr.tag_resource, resourceArn=arn, tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
expect_error("InvalidParameterException", ecr.list_tags_for_resource, resourceArn="arn:nonsense")

ecr.tag_resource(resourceArn=arn, tags=[{"Key": "team", "Value": "api"}, {"Key": "tier", "Value": "1"}])
ecr.untag_resource(resourceArn=arn, tagKeys=["tier"])
tags = ecr.list_tags_for_resource(resourceArn=arn)["tags"]
assert tags == [{"Key": "team", "Value": "api"}], tags

for i in range(7):
    ecr.create_repository(repositoryName=f"boto/page-{i}")
pages = list(ecr.get_paginator("describe_repositories").paginate(PaginationConfig={"PageSize": 3}))
names = [r["repositoryName"] for page in pages for r in page["repositories"]]
assert len(pages) == 3, [len(p["repositories"]) for p in pages]
assert names == sorted(names) and len(names) == 8, names

mutability = ecr.put_image_tag_mutability(repositoryName="boto/app", imageTagMutability="IMMUTABLE")
assert mutability["imageTagMutability"] == "IMMUTABLE" and "imageTagMutabilityExclusionFilters" not in mutability, mutability
scanning = ecr.put_image_scanning_configuration(repositoryName="boto/app", imageScanningConfiguration={"scanOnPush": True})
assert scanning["imageScanningConfiguration"] == {"scanOnPush": True}, scanning
registry = ecr.describe_registry()
assert registry["registryId"] == account and registry["replicationConfiguration"] == {"rules": []}, registry

deleted = ecr.delete_repository(repositoryName="boto/app")["repository"]
assert deleted["repositoryName"] == "boto/app", deleted
expect_error("RepositoryNotFoundException", ecr.list_tags_for_resource, resourceArn=arn)
print("ok")
