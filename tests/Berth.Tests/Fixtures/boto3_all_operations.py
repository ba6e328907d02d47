"""Calls every operation of botocore's ECR model once, with a request a user could send, against a fresh Berth.

Usage: boto3_all_operations.py ENDPOINT ACCESS_KEY_ID SECRET [SIGNING_PROFILE_ARN]
Prints one JSON object mapping each operation to "OK" or the error code it answered. The caller decides which
codes are acceptable; the script itself fails only when it cannot walk (a setup call fails, or the model has an
operation this walk does not know, so a new botocore cannot silently shrink the walk).
"""
import hashlib
import json
import sys

import boto3
from botocore.config import Config

endpoint, key_id, secret = sys.argv[1:4]
session = boto3.session.Session(aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1")
ecr = session.client("ecr", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))
account = session.client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]
profile_arn = sys.argv[4] if len(sys.argv) > 4 else f"arn:aws:signer:us-east-1:{account}:/signing-profiles/absent"

repo = "walk/app"
other = "walk/other"


def upload(data):
    """Pushes one blob through the layer-upload API and returns its digest."""
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    upload_id = ecr.initiate_layer_upload(repositoryName=repo)["uploadId"]
    ecr.upload_layer_part(repositoryName=repo, uploadId=upload_id, partFirstByte=0, partLastByte=len(data) - 1, layerPartBlob=data)
    ecr.complete_layer_upload(repositoryName=repo, uploadId=upload_id, layerDigests=[digest])
    return digest


# Setup: two repositories and one image whose blobs came through the layer-upload API.
ecr.create_repository(repositoryName=repo)
ecr.create_repository(repositoryName=other)
config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}).encode()
layer = b"walk-layer-" * 1000
config_digest = upload(config)
layer_digest = upload(layer)
manifest = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": len(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": layer_digest, "size": len(layer)}],
})
image_digest = ecr.put_image(repositoryName=repo, imageManifest=manifest, imageTag="v1")["image"]["imageId"]["imageDigest"]
image = {"imageDigest": image_digest}
repo_arn = f"arn:aws:ecr:us-east-1:{account}:repository/{repo}"
policy = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Sid": "pull", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
    "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]})
registry_policy = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Sid": "replicate", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
    "Action": ["ecr:ReplicateImage"], "Resource": f"arn:aws:ecr:us-east-1:{account}:repository/*"}]})
lifecycle = json.dumps({"rules": [{"rulePriority": 1, "selection": {
    "tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 30},
    "action": {"type": "expire"}}]})
principal = f"arn:aws:iam::{account}:role/walker"

# In an order where each call has what it needs; every operation of the model appears exactly once.
calls = [
    ("BatchCheckLayerAvailability", lambda: ecr.batch_check_layer_availability(repositoryName=repo, layerDigests=[layer_digest])),
    ("BatchGetImage", lambda: ecr.batch_get_image(repositoryName=repo, imageIds=[{"imageTag": "v1"}])),
    ("DescribeImages", lambda: ecr.describe_images(repositoryName=repo)),
    ("ListImages", lambda: ecr.list_images(repositoryName=repo)),
    ("GetDownloadUrlForLayer", lambda: ecr.get_download_url_for_layer(repositoryName=repo, layerDigest=layer_digest)),
    ("ListImageReferrers", lambda: ecr.list_image_referrers(repositoryName=repo, subjectId=image)),
    ("DescribeRepositories", lambda: ecr.describe_repositories()),
    ("GetAuthorizationToken", lambda: ecr.get_authorization_token()),
    ("DescribeRegistry", lambda: ecr.describe_registry()),
    ("TagResource", lambda: ecr.tag_resource(resourceArn=repo_arn, tags=[{"Key": "team", "Value": "walk"}])),
    ("ListTagsForResource", lambda: ecr.list_tags_for_resource(resourceArn=repo_arn)),
    ("UntagResource", lambda: ecr.untag_resource(resourceArn=repo_arn, tagKeys=["team"])),
    ("PutImageTagMutability", lambda: ecr.put_image_tag_mutability(repositoryName=other, imageTagMutability="IMMUTABLE")),
    ("PutImageScanningConfiguration", lambda: ecr.put_image_scanning_configuration(repositoryName=repo, imageScanningConfiguration={"scanOnPush": False})),
    ("SetRepositoryPolicy", lambda: ecr.set_repository_policy(repositoryName=repo, policyText=policy)),
    ("GetRepositoryPolicy", lambda: ecr.get_repository_policy(repositoryName=repo)),
    ("DeleteRepositoryPolicy", lambda: ecr.delete_repository_policy(repositoryName=repo)),
    ("PutRegistryPolicy", lambda: ecr.put_registry_policy(policyText=registry_policy)),
    ("GetRegistryPolicy", lambda: ecr.get_registry_policy()),
    ("DeleteRegistryPolicy", lambda: ecr.delete_registry_policy()),
    ("PutLifecyclePolicy", lambda: ecr.put_lifecycle_policy(repositoryName=repo, lifecyclePolicyText=lifecycle)),
    ("GetLifecyclePolicy", lambda: ecr.get_lifecycle_policy(repositoryName=repo)),
    ("StartLifecyclePolicyPreview", lambda: ecr.start_lifecycle_policy_preview(repositoryName=repo)),
    ("GetLifecyclePolicyPreview", lambda: ecr.get_lifecycle_policy_preview(repositoryName=repo)),
    ("DeleteLifecyclePolicy", lambda: ecr.delete_lifecycle_policy(repositoryName=repo)),
    ("GetAccountSetting", lambda: ecr.get_account_setting(name="BASIC_SCAN_TYPE_VERSION")),
    ("PutAccountSetting", lambda: ecr.put_account_setting(name="BASIC_SCAN_TYPE_VERSION", value="AWS_NATIVE")),
    ("RegisterPullTimeUpdateExclusion", lambda: ecr.register_pull_time_update_exclusion(principalArn=principal)),
    ("ListPullTimeUpdateExclusions", lambda: ecr.list_pull_time_update_exclusions()),
    ("DeregisterPullTimeUpdateExclusion", lambda: ecr.deregister_pull_time_update_exclusion(principalArn=principal)),
    ("PutRegistryScanningConfiguration", lambda: ecr.put_registry_scanning_configuration(
        scanType="BASIC", rules=[{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "nothing-*", "filterType": "WILDCARD"}]}])),
    ("GetRegistryScanningConfiguration", lambda: ecr.get_registry_scanning_configuration()),
    ("BatchGetRepositoryScanningConfiguration", lambda: ecr.batch_get_repository_scanning_configuration(repositoryNames=[repo])),
    ("StartImageScan", lambda: ecr.start_image_scan(repositoryName=repo, imageId=image)),
    ("DescribeImageScanFindings", lambda: ecr.describe_image_scan_findings(repositoryName=repo, imageId=image)),
    ("PutSigningConfiguration", lambda: ecr.put_signing_configuration(signingConfiguration={"rules": [{
        "signingProfileArn": profile_arn, "repositoryFilters": [{"filter": "walk/*", "filterType": "WILDCARD_MATCH"}]}]})),
    ("GetSigningConfiguration", lambda: ecr.get_signing_configuration()),
    ("DescribeImageSigningStatus", lambda: ecr.describe_image_signing_status(repositoryName=repo, imageId=image)),
    ("DeleteSigningConfiguration", lambda: ecr.delete_signing_configuration()),
    ("CreateRepositoryCreationTemplate", lambda: ecr.create_repository_creation_template(
        prefix="walk-made", appliedFor=["CREATE_ON_PUSH"], imageTagMutability="MUTABLE")),
    ("DescribeRepositoryCreationTemplates", lambda: ecr.describe_repository_creation_templates()),
    ("UpdateRepositoryCreationTemplate", lambda: ecr.update_repository_creation_template(prefix="walk-made", description="walk")),
    ("DeleteRepositoryCreationTemplate", lambda: ecr.delete_repository_creation_template(prefix="walk-made")),
    ("PutReplicationConfiguration", lambda: ecr.put_replication_configuration(replicationConfiguration={"rules": [{
        "destinations": [{"region": "eu-west-1", "registryId": account}],
        "repositoryFilters": [{"filter": "replicated", "filterType": "PREFIX_MATCH"}]}]})),
    ("DescribeImageReplicationStatus", lambda: ecr.describe_image_replication_status(repositoryName=repo, imageId=image)),
    ("CreatePullThroughCacheRule", lambda: ecr.create_pull_through_cache_rule(
        ecrRepositoryPrefix="walk-cache", upstreamRegistryUrl="public.ecr.aws", upstreamRegistry="ecr-public")),
    ("DescribePullThroughCacheRules", lambda: ecr.describe_pull_through_cache_rules()),
    ("ValidatePullThroughCacheRule", lambda: ecr.validate_pull_through_cache_rule(ecrRepositoryPrefix="walk-cache")),
    ("UpdatePullThroughCacheRule", lambda: ecr.update_pull_through_cache_rule(
        ecrRepositoryPrefix="walk-cache", customRoleArn=f"arn:aws:iam::{account}:role/cache")),
    ("DeletePullThroughCacheRule", lambda: ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="walk-cache")),
    ("UpdateImageStorageClass", lambda: ecr.update_image_storage_class(repositoryName=repo, imageId=image, targetStorageClass="ARCHIVE")),
    ("BatchDeleteImage", lambda: ecr.batch_delete_image(repositoryName=repo, imageIds=[{"imageTag": "v1"}])),
    ("DeleteRepository", lambda: ecr.delete_repository(repositoryName=other)),
]
# Already called during setup, with their answers checked by the setup itself.
setup = {"CreateRepository", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "PutImage"}

names = [name for name, _ in calls]
model = set(ecr.meta.service_model.operation_names)
assert len(names) == len(set(names)), "an operation is walked twice"
assert set(names) | setup == model, f"walk and model differ: {sorted(model ^ (set(names) | setup))}"

answers = {name: "OK" for name in setup}
for name, call in calls:
    try:
        call()
        answers[name] = "OK"
    except ecr.exceptions.ClientError as error:
        answers[name] = error.response["Error"]["Code"]

print(json.dumps(answers, sort_keys=True))
