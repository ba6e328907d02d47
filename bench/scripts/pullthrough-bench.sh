#!/usr/bin/env bash
# Pull-through cache timings: a 256 MiB image (4 layers of 64 MiB random bytes) pulled with skopeo from a local
# docker-registry directly, through Berth's cache (first pull: fetched upstream while streamed; second pull: cached),
# and from Berth as an ordinary pushed image. Usage: bench/scripts/pullthrough-bench.sh path/to/berth.dll
set -euo pipefail
dll=${1:?path to berth.dll}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up=$(free_port); berth=$(free_port)
mkdir -p "$work/upstream"
cat > "$work/upstream/config.yml" <<YAML
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $work/upstream/storage }, cache: { blobdescriptor: inmemory } }
http: { addr: 127.0.0.1:$up }
YAML
docker-registry serve "$work/upstream/config.yml" & pids+=($!)
dotnet "$dll" serve --data-dir "$work/berth" --auth none --listen "http://127.0.0.1:$berth" > "$work/berth.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$up/v2/" >/dev/null && curl -sf "http://127.0.0.1:$berth/v2/" >/dev/null && break; sleep 0.2; done

python3 - "$work/layout" <<'PY'
import hashlib, json, os, sys
root = sys.argv[1]; blobs = os.path.join(root, "blobs", "sha256"); os.makedirs(blobs)
def put(data):
    d = hashlib.sha256(data).hexdigest(); open(os.path.join(blobs, d), "wb").write(data); return "sha256:" + d, len(data)
layers = [put(os.urandom(64 << 20)) for _ in range(4)]
config = put(json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [l[0] for l in layers]}}).encode())
manifest = put(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config[0], "size": config[1]},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": d, "size": s} for d, s in layers]}).encode())
open(os.path.join(root, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
open(os.path.join(root, "index.json"), "w").write(json.dumps({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
    "digest": manifest[0], "size": manifest[1], "annotations": {"org.opencontainers.image.ref.name": "v1"}}]}))
PY
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1
aws --endpoint-url "http://127.0.0.1:$berth" ecr create-repository --repository-name local/big >/dev/null
# As JSON: the aws CLI would fetch an http:// parameter value itself and send the page.
aws --endpoint-url "http://127.0.0.1:$berth" ecr create-pull-through-cache-rule --cli-input-json \
    "{\"ecrRepositoryPrefix\":\"up\",\"upstreamRegistryUrl\":\"http://127.0.0.1:$up\",\"upstreamRegistry\":\"generic\"}" >/dev/null
skopeo copy -q --dest-tls-verify=false "oci:$work/layout:v1" "docker://127.0.0.1:$up/bench/big:v1"
skopeo copy -q --dest-tls-verify=false "oci:$work/layout:v1" "docker://127.0.0.1:$berth/local/big:v1"
rm -rf "$work/layout"

pull() { # label, image
    local dest="$work/pulled-$RANDOM$RANDOM" start end
    start=$(date +%s.%N)
    skopeo copy -q --src-tls-verify=false "docker://$2" "dir:$dest"
    end=$(date +%s.%N)
    rm -rf "$dest"
    printf '%-28s %6.2f s\n' "$1" "$(echo "$end - $start" | bc)"
}
pull "upstream direct (warm-up)" "127.0.0.1:$up/bench/big:v1"
pull "upstream direct" "127.0.0.1:$up/bench/big:v1"
pull "cache, first pull" "127.0.0.1:$berth/up/bench/big:v1"
for _ in $(seq 100); do aws --endpoint-url "http://127.0.0.1:$berth" ecr describe-images --repository-name up/bench/big --image-ids imageTag=v1 >/dev/null 2>&1 && break; sleep 0.2; done
pull "cache, second pull" "127.0.0.1:$berth/up/bench/big:v1"
pull "berth local (pushed) pull" "127.0.0.1:$berth/local/big:v1"
pull "cache, third pull" "127.0.0.1:$berth/up/bench/big:v1"
pull "berth local, again" "127.0.0.1:$berth/local/big:v1"
pull "upstream direct, again" "127.0.0.1:$up/bench/big:v1"
