"""Walks a repository's images with boto3's paginators and prints what it saw as JSON.

Usage: boto3_paginate.py ENDPOINT ACCESS_KEY_ID SECRET REPOSITORY
"""
import json
import sys

import boto3
from botocore.config import Config

endpoint, key_id, secret, repository = sys.argv[1:5]
session = boto3.session.Session(aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1")
ecr = session.client("ecr", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))


def walk(operation, key, page_size=None, **kwargs):
    config = {"PageSize": page_size} if page_size else {}
    pages = list(ecr.get_paginator(operation).paginate(repositoryName=repository, PaginationConfig=config, **kwargs))
    return pages, [item for page in pages for item in page[key]]


list_pages, ids = walk("list_images", "imageIds")
keys = [(i["imageDigest"], i.get("imageTag")) for i in ids]
_, tagged = walk("list_images", "imageIds", page_size=333, filter={"tagStatus": "TAGGED"})
_, untagged = walk("list_images", "imageIds", page_size=7, filter={"tagStatus": "UNTAGGED"})
describe_pages, details = walk("describe_images", "imageDetails", page_size=250)
print(json.dumps({
    "list": len(keys),
    "listUnique": len(set(keys)),
    "listPages": len(list_pages),
    "tagged": len(tagged),
    "untagged": len(untagged),
    "describe": len(details),
    "describeUnique": len({d["imageDigest"] for d in details}),
    "describePages": len(describe_pages),
    "keys": sorted(f"{d}:{t}" if t else d for d, t in keys),
}))
