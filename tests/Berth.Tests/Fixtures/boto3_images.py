"""Drives Berth's image and layer operations with boto3 over three images pushed through /v2/; exits non-zero on the first mismatch.

Usage: boto3_images.py ENDPOINT ACCESS_KEY_ID SECRET REPOSITORY V1_DIGEST LATEST_DIGEST UNTAGGED_DIGEST LAYER_FILE
Leaves the v1 image tagged only "release" and prints "layer <digest>" for the caller to pull over /v2/.
"""
import datetime
import hashlib
import sys

import boto3
from botocore.config import Config

endpoint, key_id, secret, repository, v1, latest, untagged, layer_file = sys.argv[1:9]
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


def listed(tag_status):
    ids = ecr.list_images(repositoryName=repository, filter={"tagStatus": tag_status})["imageIds"]
    return sorted((i["imageDigest"], i.get("imageTag")) for i in ids)


def described(tag_status):
    details = ecr.describe_images(repositoryName=repository, filter={"tagStatus": tag_status})["imageDetails"]
    return {d["imageDigest"]: d for d in details}


# One ListImages entry per tag, one digest-only entry per untagged image.
assert listed("ANY") == sorted([(v1, "v1"), (latest, "latest"), (untagged, None)]), listed("ANY")
assert listed("TAGGED") == sorted([(v1, "v1"), (latest, "latest")]), listed("TAGGED")
assert listed("UNTAGGED") == [(untagged, None)], listed("UNTAGGED")
assert ecr.list_images(repositoryName=repository)["imageIds"] == ecr.list_images(repositoryName=repository, filter={"tagStatus": "ANY"})["imageIds"]

everything = described("ANY")
assert set(everything) == {v1, latest, untagged}, everything
assert set(described("TAGGED")) == {v1, latest}
assert set(described("UNTAGGED")) == {untagged}
assert "imageTags" not in everything[untagged], everything[untagged]
assert everything[latest]["imageTags"] == ["latest"], everything[latest]
for detail in everything.values():
    assert isinstance(detail["imagePushedAt"], datetime.datetime), detail
    assert detail["imageSizeInBytes"] > 0, detail
    assert detail["imageManifestMediaType"] == "application/vnd.oci.image.manifest.v1+json", detail
    assert detail["artifactMediaType"] == "application/vnd.oci.image.config.v1+json", detail
    assert detail["imageStatus"] == "ACTIVE", detail
    assert detail["registryId"] == ecr.describe_registry()["registryId"], detail

try:
    ecr.describe_images(repositoryName=repository, imageIds=[{"imageTag": "absent"}])
    raise AssertionError("describe_images of an absent tag succeeded")
except ecr.exceptions.ImageNotFoundException as error:
    assert "imageTag:'absent'" in str(error), error

# The retag recipe: fetch the manifest, put it back under a new tag; the digest does not change.
got = ecr.batch_get_image(repositoryName=repository, imageIds=[{"imageTag": "v1"}])
assert got["failures"] == [], got
image = got["images"][0]
put = ecr.put_image(repositoryName=repository, imageManifest=image["imageManifest"],
                    imageManifestMediaType=image["imageManifestMediaType"], imageTag="release")["image"]
assert put["imageId"] == {"imageDigest": v1, "imageTag": "release"}, put
assert hashlib.sha256(image["imageManifest"].encode()).hexdigest() == v1.split(":")[1]
try:
    ecr.put_image(repositoryName=repository, imageManifest=image["imageManifest"], imageTag="release")
    raise AssertionError("putting the same tag twice succeeded")
except ecr.exceptions.ImageAlreadyExistsException:
    pass
assert described("ANY")[v1]["imageTags"] == ["release", "v1"], described("ANY")[v1]

missing = ecr.batch_get_image(repositoryName=repository, imageIds=[{"imageTag": "absent"}, {"imageDigest": v1, "imageTag": "latest"}])
assert [f["failureCode"] for f in missing["failures"]] == ["ImageNotFound", "ImageTagDoesNotMatchDigest"], missing

# By tag: only that tag goes while the image keeps another. By digest: the image goes.
by_tag = ecr.batch_delete_image(repositoryName=repository, imageIds=[{"imageTag": "v1"}])
assert by_tag["imageIds"] == [{"imageDigest": v1, "imageTag": "v1"}] and by_tag["failures"] == [], by_tag
by_digest = ecr.batch_delete_image(repositoryName=repository, imageIds=[{"imageDigest": untagged}, {"imageTag": "absent"}])
assert by_digest["imageIds"] == [{"imageDigest": untagged}], by_digest
assert [f["failureCode"] for f in by_digest["failures"]] == ["ImageNotFound"], by_digest
assert listed("ANY") == sorted([(v1, "release"), (latest, "latest")]), listed("ANY")

# A layer through the layer-upload API, in one part.
with open(layer_file, "rb") as f:
    content = f.read()
digest = "sha256:" + hashlib.sha256(content).hexdigest()
started = ecr.initiate_layer_upload(repositoryName=repository)
assert started["partSize"] > 0, started
part = ecr.upload_layer_part(repositoryName=repository, uploadId=started["uploadId"], partFirstByte=0,
                             partLastByte=len(content) - 1, layerPartBlob=content)
assert part["lastByteReceived"] == len(content) - 1, part
done = ecr.complete_layer_upload(repositoryName=repository, uploadId=started["uploadId"], layerDigests=[digest])
assert done["layerDigest"] == digest, done
availability = ecr.batch_check_layer_availability(repositoryName=repository, layerDigests=[digest, "sha256:" + "0" * 64])
assert [l["layerAvailability"] for l in availability["layers"]] == ["AVAILABLE", "UNAVAILABLE"], availability
assert availability["layers"][0]["layerSize"] == len(content), availability
print(f"layer {digest}")
print("ok")
