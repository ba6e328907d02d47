"""Image scanning through boto3: StartImageScan, the image_scan_complete waiter, and the findings paginator.

Usage: boto3_scanning.py ENDPOINT ACCESS_KEY SECRET REPOSITORY TAG
Prints one JSON object: the final status and every finding's severity, name and package, page by page joined.
"""
import json
import sys

import boto3

endpoint, key, secret, repository, tag = sys.argv[1:6]
ecr = boto3.client("ecr", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id=key, aws_secret_access_key=secret)

image = {"imageTag": tag}
started = ecr.start_image_scan(repositoryName=repository, imageId=image)
assert started["imageScanStatus"]["status"] == "IN_PROGRESS", started

# The waiter's own acceptors (COMPLETE succeeds, FAILED fails), polled faster than its 5 s default.
ecr.get_waiter("image_scan_complete").wait(
    repositoryName=repository, imageId=image, WaiterConfig={"Delay": 1, "MaxAttempts": 60})

pages = 0
findings = []
status = None
for page in ecr.get_paginator("describe_image_scan_findings").paginate(
        repositoryName=repository, imageId=image, PaginationConfig={"PageSize": 2}):
    pages += 1
    status = page["imageScanStatus"]["status"]
    for finding in page["imageScanFindings"].get("findings", []):
        attributes = {a["key"]: a.get("value") for a in finding["attributes"]}
        findings.append(f'{finding["severity"]} {finding["name"]} {attributes["package_name"]}')

try:
    ecr.start_image_scan(repositoryName=repository, imageId=image)
    quota = "not refused"
except ecr.exceptions.LimitExceededException:
    quota = "LimitExceededException"

print(json.dumps({"status": status, "pages": pages, "findings": findings, "quota": quota}))
