#!/usr/bin/env python3
"""Derive Berth's compact ECR service-model table from a botocore ECR model.

Usage:
    tools/gen-ecr-model.py [SERVICE_JSON] [--botocore-version X.Y.Z] [--output PATH]

SERVICE_JSON is botocore's ``ecr/2015-09-21/service-2.json`` (or ``.json.gz``).
Without it the script uses the model of the installed botocore package.

The table keeps what the server needs at run time and nothing else: operation
names with their input, output and error shapes, and every shape with its type
and constraints (min, max, pattern, enum, required, member order). Member and
shape order follow the source file, and the request validator reports the first
failure in that order, so generate from botocore's own file: copies written with
sorted keys (such as the documentation-stripped reference copy) change the order.

Regeneration check (run from the repository root; no output means the committed
table matches the installed botocore):
    python3 tools/gen-ecr-model.py --output /tmp/ecr-model.json \
        && diff src/Berth/Ecr/Model/ecr-model.json /tmp/ecr-model.json

Only the Python standard library is used; botocore is imported solely to find
its data directory and version.
"""

import argparse
import gzip
import json
import os
import sys

DEFAULT_OUTPUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "src", "Berth", "Ecr", "Model", "ecr-model.json"
)
MODEL_RELATIVE = os.path.join("data", "ecr", "2015-09-21", "service-2.json")

# Shape keys copied into the table, per shape type.
KEPT = {
    "structure": ("required", "exception", "fault"),
    "list": ("min", "max"),
    "map": ("min", "max"),
    "string": ("min", "max", "pattern", "enum"),
    "integer": ("min", "max"),
    "long": ("min", "max"),
    "float": ("min", "max"),
    "double": ("min", "max"),
    "blob": ("min", "max"),
    "boolean": (),
    "timestamp": (),
}

# Keys that carry no wire constraint. Anything else stops the script, so a new
# botocore trait is looked at before the table silently loses it.
IGNORED = {
    "documentation",
    "documentationUrl",
    "deprecated",
    "deprecatedMessage",
    "sensitive",
    "box",
    "timestampFormat",
    "error",
    "synthetic",
    "wrapper",
}
# Berth's extensions to the model, applied after conversion: values Berth accepts beyond ECR's own.
# "generic" upstream registries: any OCI registry URL as a pull-through cache upstream.
ENUM_EXTENSIONS = {"UpstreamRegistry": ["generic"]}

STRUCTURAL = {"type", "members", "member", "key", "value"}
MEMBER_IGNORED = {"documentation", "deprecated", "deprecatedMessage", "box", "idempotencyToken"}


def fail(message):
    sys.stderr.write("gen-ecr-model: " + message + "\n")
    sys.exit(1)


def installed_botocore():
    """Return (package directory, version) of the installed botocore, or (None, None)."""
    try:
        import botocore  # noqa: PLC0415  (optional dependency, used only for its data files)
    except ImportError:
        return None, None
    return os.path.dirname(os.path.abspath(botocore.__file__)), botocore.__version__


def read_model(path):
    if os.path.exists(path):
        opener = gzip.open if path.endswith(".gz") else open
    elif os.path.exists(path + ".gz"):
        path, opener = path + ".gz", gzip.open
    else:
        fail("model not found: " + path)
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def shape_ref(owner, ref, shapes):
    name = ref["shape"]
    if name not in shapes:
        fail("%s refers to unknown shape %s" % (owner, name))
    return name


def convert_shape(name, shape, shapes):
    kind = shape.get("type")
    if kind not in KEPT:
        fail("shape %s has unsupported type %r" % (name, kind))
    unknown = set(shape) - STRUCTURAL - IGNORED - set(KEPT[kind])
    if unknown:
        fail("shape %s has unhandled keys %s" % (name, sorted(unknown)))

    out = {"type": kind}
    if kind == "structure":
        members = {}
        for member_name, member in shape.get("members", {}).items():
            extra = set(member) - {"shape"} - MEMBER_IGNORED
            if extra:
                fail("member %s.%s has unhandled keys %s" % (name, member_name, sorted(extra)))
            members[member_name] = shape_ref(name + "." + member_name, member, shapes)
        out["members"] = members
        required = shape.get("required", [])
        for r in required:
            if r not in members:
                fail("shape %s requires unknown member %s" % (name, r))
        if required:
            out["required"] = list(required)
        if shape.get("exception"):
            out["exception"] = True
        if shape.get("fault"):
            out["fault"] = True
    elif kind == "list":
        out["member"] = shape_ref(name, shape["member"], shapes)
    elif kind == "map":
        out["key"] = shape_ref(name + ".key", shape["key"], shapes)
        out["value"] = shape_ref(name + ".value", shape["value"], shapes)

    for key in ("min", "max", "pattern", "enum"):
        if key in shape and key in KEPT[kind]:
            out[key] = shape[key]
    return out


def convert(model, botocore_version):
    metadata = model["metadata"]
    shapes = model["shapes"]
    if metadata.get("protocol") != "json":
        fail("expected the AWS JSON protocol, got %r" % metadata.get("protocol"))

    operations = []
    for name, op in model["operations"].items():
        if op.get("name", name) != name:
            fail("operation key %s names %s" % (name, op.get("name")))
        entry = {"name": name}
        entry["input"] = shape_ref(name, op["input"], shapes) if "input" in op else None
        entry["output"] = shape_ref(name, op["output"], shapes) if "output" in op else None
        entry["errors"] = [shape_ref(name, e, shapes) for e in op.get("errors", [])]
        operations.append(entry)

    return {
        "metadata": {
            "generatedBy": "tools/gen-ecr-model.py",
            "botocoreVersion": botocore_version,
            "apiVersion": metadata["apiVersion"],
            "targetPrefix": metadata["targetPrefix"],
            "protocol": metadata["protocol"],
            "jsonVersion": metadata["jsonVersion"],
            "signingName": metadata["signingName"],
            "endpointPrefix": metadata["endpointPrefix"],
            "serviceId": metadata["serviceId"],
        },
        "operations": operations,
        "shapes": extend({name: convert_shape(name, shape, shapes) for name, shape in shapes.items()}),
    }


def extend(table):
    for name, values in ENUM_EXTENSIONS.items():
        table[name]["enum"] = table[name]["enum"] + [v for v in values if v not in table[name]["enum"]]
    return table


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def render(table):
    """One operation or shape per line: small, and readable in a diff."""
    lines = ["{", '  "metadata": ' + compact(table["metadata"]) + ","]
    lines.append('  "operations": [')
    ops = table["operations"]
    for i, op in enumerate(ops):
        lines.append("    " + compact(op) + ("," if i < len(ops) - 1 else ""))
    lines.append("  ],")
    lines.append('  "shapes": {')
    names = list(table["shapes"])
    for i, name in enumerate(names):
        comma = "," if i < len(names) - 1 else ""
        lines.append("    " + compact(name) + ": " + compact(table["shapes"][name]) + comma)
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", nargs="?", help="botocore ECR service-2.json (default: installed botocore)")
    parser.add_argument("--botocore-version", help="botocore version the model file comes from")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help="where to write the table")
    args = parser.parse_args()

    package_dir, installed_version = installed_botocore()
    path = args.model
    version = args.botocore_version
    if path is None:
        if package_dir is None:
            fail("botocore is not importable; pass the path of ecr/2015-09-21/service-2.json")
        path = os.path.join(package_dir, MODEL_RELATIVE)
        version = version or installed_version
    elif version is None:
        inside = package_dir is not None and os.path.abspath(path).startswith(package_dir + os.sep)
        if not inside:
            fail("--botocore-version is required when the model is not the installed botocore's")
        version = installed_version

    table = convert(read_model(path), version)
    text = render(table)
    json.loads(text)  # the hand-rolled layout must still be valid JSON
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    sys.stderr.write(
        "gen-ecr-model: wrote %s (botocore %s, %d operations, %d shapes)\n"
        % (os.path.normpath(args.output), version, len(table["operations"]), len(table["shapes"]))
    )


if __name__ == "__main__":
    main()
