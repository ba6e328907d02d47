"""An independent check of a Notary Project JWS signature, written against the specification with Python's cryptography.

Usage: notary_verify.py ENVELOPE_FILE ROOT_PEM_FILE MANIFEST_FILE MANIFEST_MEDIA_TYPE
Exits 0 and prints "verified" only when: the envelope is flattened JWS JSON with the Notary Project protected header,
the x5c chain (leaf first) chains by signature up to exactly the given root and meets the leaf and CA requirements, the
certificates were valid at the signing time, the signature over ASCII(protected "." payload) verifies with the leaf key
under the algorithm the key dictates, and the payload's targetArtifact describes exactly the given manifest bytes.
"""
import base64
import datetime
import hashlib
import json
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.x509.oid import ExtendedKeyUsageOID


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


def check_ca(cert):
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca, "a CA certificate lacks a critical basicConstraints cA"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.key_cert_sign, "a CA certificate lacks a critical keyUsage keyCertSign"


def check_leaf(cert):
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
        assert not constraints.value.ca, "the signing certificate is a CA"
    except x509.ExtensionNotFound:
        pass
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature, "the signing certificate lacks a critical keyUsage digitalSignature"
    assert not (usage.value.key_cert_sign or usage.value.crl_sign or usage.value.key_encipherment
                or usage.value.data_encipherment or usage.value.key_agreement), "the signing certificate has a forbidden key usage"
    ekus = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.CODE_SIGNING in ekus, "the signing certificate lacks codeSigning"
    for forbidden in (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH,
                      ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.TIME_STAMPING):
        assert forbidden not in ekus, "the signing certificate has a forbidden extended key usage"


def verify_signature(leaf, alg, signature, signing_input):
    key = leaf.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        expected, hash_type = {256: ("ES256", hashes.SHA256), 384: ("ES384", hashes.SHA384), 521: ("ES512", hashes.SHA512)}[key.curve.key_size]
        assert alg == expected, f"alg {alg} does not match the key ({expected})"
        half = len(signature) // 2
        assert len(signature) == 2 * ((key.curve.key_size + 7) // 8), "an ES signature is r||s of the curve's size"
        encoded = utils.encode_dss_signature(int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big"))
        key.verify(encoded, signing_input, ec.ECDSA(hash_type()))
    elif isinstance(key, rsa.RSAPublicKey):
        expected, hash_type = {2048: ("PS256", hashes.SHA256), 3072: ("PS384", hashes.SHA384), 4096: ("PS512", hashes.SHA512)}[key.key_size]
        assert alg == expected, f"alg {alg} does not match the key ({expected})"
        key.verify(signature, signing_input, padding.PSS(mgf=padding.MGF1(hash_type()), salt_length=hash_type.digest_size), hash_type())
    else:
        raise AssertionError("unsupported key type")


def main(envelope_file, root_file, manifest_file, media_type):
    envelope = json.load(open(envelope_file, "rb"))
    assert set(envelope) == {"payload", "protected", "header", "signature"}, f"not a flattened JWS: {sorted(envelope)}"
    header = json.loads(b64url(envelope["protected"]))
    assert header["cty"] == "application/vnd.cncf.notary.payload.v1+json", header
    assert header["io.cncf.notary.signingScheme"] == "notary.x509", header
    assert "io.cncf.notary.signingScheme" in header["crit"], header
    for critical in header["crit"]:
        assert critical in header, f"critical header {critical} is missing"
    signed_at = datetime.datetime.fromisoformat(header["io.cncf.notary.signingTime"].replace("Z", "+00:00"))

    chain = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in envelope["header"]["x5c"]]
    root = x509.load_pem_x509_certificate(open(root_file, "rb").read())
    assert len(chain) >= 2, "the chain holds a leaf and a root"
    assert der(chain[-1]) == der(root), "the chain does not end at the trusted root"
    for child, parent in zip(chain, chain[1:]):
        child.verify_directly_issued_by(parent)
    root.verify_directly_issued_by(root)
    for ca in chain[1:]:
        check_ca(ca)
    check_leaf(chain[0])
    for cert in chain:
        assert cert.not_valid_before_utc <= signed_at <= cert.not_valid_after_utc, "a certificate was not valid at signing time"

    signing_input = (envelope["protected"] + "." + envelope["payload"]).encode("ascii")
    verify_signature(chain[0], header["alg"], b64url(envelope["signature"]), signing_input)

    manifest = open(manifest_file, "rb").read()
    target = json.loads(b64url(envelope["payload"]))["targetArtifact"]
    assert target["digest"] == "sha256:" + hashlib.sha256(manifest).hexdigest(), "the signature is for another manifest"
    assert target["size"] == len(manifest), "the signed size differs"
    assert target["mediaType"] == media_type, "the signed media type differs"
    print("verified")


if __name__ == "__main__":
    try:
        main(*sys.argv[1:5])
    except Exception as error:  # every failure is a refusal, reported with its reason
        print(f"refused: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
