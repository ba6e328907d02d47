"""Regenerates botocore-signed.json: ECR requests signed by this machine's botocore.

Run from this folder with `python3 botocore-signed.py > botocore-signed.json`.
The signing clock and invocation ids are pinned so the signatures are reproducible
(only the unsigned User-Agent may differ between runs).
"""
import datetime
import hashlib
import json
import uuid
from unittest import mock

import botocore
import botocore.auth
import botocore.session
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLEsessiontoken//////////wEaDEXAMPLE+/="
REGION = "us-east-1"
ENDPOINT = "https://api.ecr.us-east-1.amazonaws.com"
SIGNED_AT = datetime.datetime(2025, 1, 15, 10, 30, 0)

cases = []


def record(name, method, url, headers, body):
    if isinstance(body, str):
        body = body.encode("utf-8")
    cases.append(
        {
            "name": name,
            "method": method,
            "url": url,
            "headers": [[k, v.decode("utf-8") if isinstance(v, bytes) else v] for k, v in headers.items()],
            "body": (body or b"").decode("utf-8"),
            "signedAt": SIGNED_AT.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )


def client_case(name, operation, params, token=None):
    session = botocore.session.get_session()
    client = session.create_client(
        "ecr",
        region_name=REGION,
        endpoint_url=ENDPOINT,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=token,
    )
    captured = {}

    def before_send(request, **kwargs):
        captured["request"] = request
        return AWSResponse(request.url, 200, {}, None)

    client.meta.events.register("before-send.ecr", before_send)
    try:
        getattr(client, operation)(**params)
    except Exception:
        pass  # The fake response has no body; only the sent request matters.
    sent = captured["request"]
    record(name, sent.method, sent.url, dict(sent.headers.items()), sent.body)


def signer_case(name, signer, url, headers, body):
    request = AWSRequest(method="POST", url=url, headers=headers, data=body)
    signer.add_auth(request)
    prepared = request.prepare()
    record(name, prepared.method, prepared.url, dict(prepared.headers.items()), prepared.body)


credentials = Credentials(ACCESS_KEY, SECRET_KEY)
target = "AmazonEC2ContainerRegistry_V20150921."
json_headers = {"Content-Type": "application/x-amz-json-1.1"}

with mock.patch.object(botocore.auth, "get_current_datetime", return_value=SIGNED_AT), \
        mock.patch.object(uuid, "uuid4", return_value=uuid.UUID(int=0x0123456789ABCDEF)):
    client_case("describe-repositories", "describe_repositories", {"repositoryNames": ["app", "team/web"]})
    client_case("get-authorization-token", "get_authorization_token", {})
    client_case(
        "put-image-unicode-manifest",
        "put_image",
        {
            "repositoryName": "app",
            "imageTag": "v1",
            "imageManifest": json.dumps({"schemaVersion": 2, "annotations": {"note": "caf\u00e9 \u1234  spaced"}}),
        },
    )
    client_case("list-images-session-token", "list_images", {"repositoryName": "app"}, token=SESSION_TOKEN)
    signer_case(
        "date-header",
        SigV4Auth(credentials, "ecr", REGION),
        ENDPOINT + "/",
        {**json_headers, "X-Amz-Target": target + "DescribeRegistry", "Date": "placeholder"},
        b"{}",
    )
    signer_case(
        "odd-path-double-encoded",
        SigV4Auth(credentials, "ecr", REGION),
        ENDPOINT + "/a%20b/%E1%88%B4/./c/../d//e/?z=1&a=x%2Fy&a=%20",
        {**json_headers, "X-Amz-Target": target + "DescribeRegistry", "My-Header": "  a   b  "},
        b"{}",
    )
    signer_case(
        "utf8-body",
        SigV4Auth(credentials, "ecr", REGION),
        ENDPOINT + "/",
        {**json_headers, "X-Amz-Target": target + "TagResource"},
        '{"resourceArn": "arn:aws:ecr:us-east-1:123456789012:repository/app", "tags": [{"Key": "note", "Value": "caf\u00e9 \u1234"}]}'.encode("utf-8"),
    )
    signer_case(
        "unsigned-payload",
        SigV4Auth(credentials, "ecr", REGION),
        ENDPOINT + "/",
        {**json_headers, "X-Amz-Target": target + "DescribeRegistry", "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"},
        b"{}",
    )
    signer_case(
        "declared-payload-hash",
        SigV4Auth(credentials, "ecr", REGION),
        ENDPOINT + "/",
        {**json_headers, "X-Amz-Target": target + "ListImages",
         "X-Amz-Content-SHA256": hashlib.sha256(b'{"repositoryName": "app"}').hexdigest()},
        b'{"repositoryName": "app"}',
    )
    signer_case(
        "presigned-query",
        SigV4QueryAuth(credentials, "ecr", REGION, expires=300),
        ENDPOINT + "/",
        {**json_headers, "X-Amz-Target": target + "GetAuthorizationToken"},
        b"{}",
    )
    signer_case(
        "presigned-query-with-params",
        SigV4QueryAuth(credentials, "ecr", REGION, expires=900),
        ENDPOINT + "/?note=a%20b%2Fc&empty=",
        {"X-Amz-Target": target + "GetAuthorizationToken"},
        b"",
    )

print(json.dumps({"generator": "botocore " + botocore.__version__, "accessKeyId": ACCESS_KEY,
                  "secretAccessKey": SECRET_KEY, "region": REGION, "service": "ecr", "requests": cases},
                 indent=2, ensure_ascii=False))
