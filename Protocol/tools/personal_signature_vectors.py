#!/usr/bin/env python3
"""Test vectors of FundSync's personal signatures (release 2, PROTOCOL.md §14).

Written from Protocol/PROTOCOL.md alone (§2, §3.5, §5.2-§5.4, §14), not from the Swift code. It builds, with
Ed25519 keys made from fixed 32-byte seeds,

  * the signed bytes of §14.3 for a voucher signed by its preparer and its reviewer, a branch's transition
    (a withdrawal) signed by its actor, a hub transition (a release) signed by its actor and a branch's audit
    entry signed by its actor;
  * the signed bytes of §14.1 for a staff certificate (`staff_key`) signed by the hub's key, and its revocation;
  * negative cases a verifier must refuse: a field changed after signing, a signature moved to another role,
    another registry version, another origin, another document key, a certificate whose posts or validity
    were changed;
  * one passphrase-protected key file (§14.8, PKCS#8 PBES2) with a fixed salt and IV,

and writes them to Protocol/vectors/personal-signatures.json. Ed25519 signatures are deterministic (RFC 8032), so
running the script again gives the same file byte for byte.

Usage:
  python3 Protocol/tools/personal_signature_vectors.py            write the file
  python3 Protocol/tools/personal_signature_vectors.py --check    recompute, compare with the file on disk, and
                                                                  check every case of that file from its JSON alone
  --output PATH / --check PATH name another file.

Needs Python 3.8+ and the `cryptography` package (Ed25519, PBKDF2, AES-CBC); the rest is the standard library.
The `--check` mode prints one line per case and ends with "N passed, M failed"; it exits 1 if anything failed.
"""

import argparse
import base64
import hashlib
import json
import os
import sys
import unicodedata

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, padding, serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
except ImportError:  # pragma: no cover - reported at run time
    ed25519 = None


HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUTPUT = os.path.normpath(os.path.join(HERE, "..", "vectors", "personal-signatures.json"))

# --------------------------------------------------------------------------------------------------------------
# Field values and field maps (§5.2, §5.3, §5.4)
#
# A value is a tuple: ("null",), ("integer", int), ("text", str), ("bytes", bytes), ("list", [values]),
# ("record", {name: value}).

TAG_NULL, TAG_INTEGER, TAG_TEXT, TAG_BYTES, TAG_LIST, TAG_RECORD = range(6)
TEXT_BYTES_MAX = 65_536
DEPTH_MAX = 8
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1


def utf8(text):
    return text.encode("utf-8")  # refuses lone surrogates, so every string written is well-formed UTF-8


def str8(text):
    raw = utf8(text)
    if len(raw) > 0xFF:
        raise ValueError(f"{text!r} is longer than 255 bytes")
    return bytes([len(raw)]) + raw


def str32(text):
    raw = utf8(text)
    return len(raw).to_bytes(4, "big") + raw


def i64(number):
    if not INT64_MIN <= number <= INT64_MAX:
        raise ValueError(f"{number} does not fit a signed 64-bit integer")
    return number.to_bytes(8, "big", signed=True)


def encode_value(value, depth):
    """The bytes of one value at `depth` (§5.3): a tag, then its content."""
    if depth > DEPTH_MAX:
        raise ValueError(f"a value deeper than {DEPTH_MAX}")
    kind = value[0]
    if kind == "null":
        return bytes([TAG_NULL])
    if kind == "integer":
        return bytes([TAG_INTEGER]) + i64(value[1])
    if kind == "text":
        if len(utf8(value[1])) > TEXT_BYTES_MAX:
            raise ValueError(f"a text value longer than {TEXT_BYTES_MAX} bytes")
        return bytes([TAG_TEXT]) + str32(value[1])
    if kind == "bytes":
        return bytes([TAG_BYTES]) + len(value[1]).to_bytes(4, "big") + bytes(value[1])
    if kind == "list":
        return (bytes([TAG_LIST]) + len(value[1]).to_bytes(4, "big")
                + b"".join(encode_value(item, depth + 1) for item in value[1]))
    if kind == "record":
        return bytes([TAG_RECORD]) + encode_map(value[1], depth + 1)
    raise ValueError(f"unknown value kind {kind!r}")


def encode_map(fields, depth=1):
    """A canonical field map (§5.2, §5.4): u16 count, then the names in ascending byte order, each with its value."""
    names = sorted(fields, key=utf8)
    if len({unicodedata.normalize("NFC", name) for name in names}) != len(names):
        raise ValueError("two names of one field map are canonically equivalent")
    out = bytearray(len(names).to_bytes(2, "big"))
    for name in names:
        out += str8(name) + encode_value(fields[name], depth)
    return bytes(out)


# JSON form of values: exactly that of batch-v1.json (§12).

def value_to_json(value):
    kind = value[0]
    if kind == "null":
        return {"type": "null"}
    if kind == "integer":
        return {"type": "integer", "value": str(value[1])}
    if kind == "text":
        return {"type": "text", "value": value[1]}
    if kind == "bytes":
        return {"type": "bytes", "hex": bytes(value[1]).hex()}
    if kind == "list":
        return {"type": "list", "items": [value_to_json(item) for item in value[1]]}
    if kind == "record":
        return {"type": "record", "fields": fields_to_json(value[1])}
    raise ValueError(f"unknown value kind {kind!r}")


def fields_to_json(fields):
    return {name: value_to_json(fields[name]) for name in sorted(fields, key=utf8)}


def value_from_json(value):
    kind = value["type"]
    if kind == "null":
        return ("null",)
    if kind == "integer":
        return ("integer", int(value["value"]))
    if kind == "text":
        return ("text", value["value"])
    if kind == "bytes":
        return ("bytes", bytes.fromhex(value["hex"]))
    if kind == "list":
        return ("list", [value_from_json(item) for item in value["items"]])
    if kind == "record":
        return ("record", fields_from_json(value["fields"]))
    raise ValueError(f"unknown JSON value type {kind!r}")


def fields_from_json(fields):
    return {name: value_from_json(value) for name, value in fields.items()}


def text(value):
    return ("text", value)


def integer(value):
    return ("integer", value)


NULL = ("null",)

# --------------------------------------------------------------------------------------------------------------
# Keys (§3.3, §3.5)

ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")  # §3.5, RFC 8410


def staff_seed(staff):
    """The seed of a staff member's test key: SHA-256 of a fixed text (the seeded keys of the Swift tests)."""
    return hashlib.sha256(utf8("fundsync test staff key: " + staff)).digest()


# The hub's key is the `hub` key of batch-v1.json (Protocol/vectors/hub.private.pem, key id cf3f00bf9d68e03e).
HUB_SEED = bytes.fromhex("d5cfb3982b43fd33b23de2de5fe57527a50d39287fe0e492ed1c198b8c76b3d5")


class Key:
    def __init__(self, name, use, org, seed, staff=None):
        self.name, self.use, self.org, self.seed, self.staff = name, use, org, seed, staff
        self.private = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
        self.public = self.private.public_key()
        raw = self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.spki = self.public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        assert self.spki == ED25519_SPKI_PREFIX + raw, "an Ed25519 SubjectPublicKeyInfo is the prefix and the 32-byte key"
        self.key_id = hashlib.sha256(self.spki).digest()[:8].hex()  # §3.5

    def sign(self, message):
        return self.private.sign(message)

    def to_json(self):
        entry = {"name": self.name, "use": self.use}
        if self.staff is not None:
            entry["staff"] = self.staff
        entry.update({
            "org": self.org, "algorithm": "ed25519", "seedHex": self.seed.hex(), "publicKeyDERHex": self.spki.hex(),
            "keyID": self.key_id,
            "publicKeyPEM": self.public.public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii"),
            "privateKeyPEM": self.private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()).decode("ascii"),
        })
        return entry


def verifies(spki, signature, message):
    public = serialization.load_der_public_key(spki)
    try:
        public.verify(signature, message)
        return True
    except InvalidSignature:
        return False


# --------------------------------------------------------------------------------------------------------------
# The signed bytes (§14.1, §14.3)

DOCUMENT_MAGIC = b"FundSync personal signature 1\x00"
CERTIFICATE_MAGIC = b"FundSync staff certificate 1\x00"
ROLES = ("preparer", "reviewer", "approver", "actor")  # in role order (§14.2)
CERTIFIED_FIELDS = ("staff", "org", "name", "roles", "algorithm", "public_key", "valid_until", "certified_in",
                    "issuer_key")


def document_message(table, key, origin, role, staff, key_id, version, fields):
    """§14.3: magic, six str32 strings, the version as i64, the document's field map without `signatures`."""
    content = {name: value for name, value in fields.items() if name != "signatures"}
    return (DOCUMENT_MAGIC + b"".join(str32(part) for part in (table, key, origin, role, staff, key_id))
            + i64(version) + encode_map(content))


def certificate_message(key_id, fields):
    """§14.1: magic, the key id as str32, the field map of exactly the nine certified fields."""
    return CERTIFICATE_MAGIC + str32(key_id) + encode_map({name: fields[name] for name in CERTIFIED_FIELDS})


def signature_record(role, staff, key_id, version, signature):
    """One item of a `signatures` list (§14.2)."""
    return ("record", {"role": text(role), "staff": text(staff), "key": text(key_id), "version": integer(version),
                       "signature": ("bytes", signature)})


# --------------------------------------------------------------------------------------------------------------
# A passphrase-protected key file (§14.8): PKCS#8 EncryptedPrivateKeyInfo with PBES2 (RFC 8018), built by hand
# so that its salt and IV are fixed and the file is reproducible. OpenSSL reads it like any file it writes.

def der(tag, content):
    length = len(content)
    if length < 0x80:
        head = bytes([length])
    else:
        size = (length.bit_length() + 7) // 8
        head = bytes([0x80 | size]) + length.to_bytes(size, "big")
    return bytes([tag]) + head + content


def der_oid(dotted):
    parts = [int(part) for part in dotted.split(".")]
    body = bytearray([40 * parts[0] + parts[1]])
    for part in parts[2:]:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.append(0x80 | (part & 0x7F))
            part >>= 7
        body += bytes(reversed(chunk))
    return der(0x06, bytes(body))


def der_integer(number):
    return der(0x02, number.to_bytes((number.bit_length() + 8) // 8, "big"))


def der_sequence(*items):
    return der(0x30, b"".join(items))


OID_PBES2, OID_PBKDF2 = "1.2.840.113549.1.5.13", "1.2.840.113549.1.5.12"
OID_HMAC_SHA256, OID_AES256_CBC = "1.2.840.113549.2.9", "2.16.840.1.101.3.4.1.42"


def encrypted_key_file(key, passphrase, salt, iv, iterations):
    plain = key.private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())
    secret = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations).derive(utf8(passphrase))
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(secret), modes.CBC(iv)).encryptor()
    sealed = encryptor.update(padded) + encryptor.finalize()
    info = der_sequence(
        der_sequence(der_oid(OID_PBES2), der_sequence(
            der_sequence(der_oid(OID_PBKDF2), der_sequence(
                der(0x04, salt), der_integer(iterations), der_sequence(der_oid(OID_HMAC_SHA256), der(0x05, b"")))),
            der_sequence(der_oid(OID_AES256_CBC), der(0x04, iv)))),
        der(0x04, sealed))
    body = base64.b64encode(info).decode("ascii")
    lines = [body[index:index + 64] for index in range(0, len(body), 64)]
    return "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END ENCRYPTED PRIVATE KEY-----\n"


# --------------------------------------------------------------------------------------------------------------
# The cases

COUNTY, HUB_ORG, OTHER_COUNTY = "340122", "340000", "340123"
PREPARER, REVIEWER, CLERK = "340122-wangfang", "340122-lijun", "340122-zhaolei"
HUB_MANAGER = "340000-chenjing"


def build():
    keys = {
        PREPARER: Key(PREPARER, "staff", COUNTY, staff_seed(PREPARER), PREPARER),
        REVIEWER: Key(REVIEWER, "staff", COUNTY, staff_seed(REVIEWER), REVIEWER),
        CLERK: Key(CLERK, "staff", COUNTY, staff_seed(CLERK), CLERK),
        HUB_MANAGER: Key(HUB_MANAGER, "staff", HUB_ORG, staff_seed(HUB_MANAGER), HUB_MANAGER),
        "hub": Key("hub", "hub", HUB_ORG, HUB_SEED),
    }
    tests = []

    def add(case):
        case = {"tcId": len(tests) + 1, **case}
        tests.append(case)
        return case

    def document_case(comment, flags, table, key, origin, role, signer, version, fields, signature=None,
                      staff=None, key_id=None, signed_by=None):
        staff = signer.staff if staff is None else staff
        key_id = signer.key_id if key_id is None else key_id
        message = document_message(table, key, origin, role, staff, key_id, version, fields)
        result = "valid" if signature is None else "invalid"
        if signature is None:
            signature = signer.sign(message)
        assert verifies(signer.spki, signature, message) == (result == "valid"), comment
        case = {"comment": comment, "flags": flags, "kind": "document", "result": result, "table": table, "key": key,
                "origin": origin, "role": role, "staff": staff, "keyID": key_id, "signer": signer.name,
                "version": str(version), "fields": fields_to_json(fields), "messageHex": message.hex(),
                "signatureHex": signature.hex()}
        if signed_by is not None:
            case["signatureFrom"] = signed_by
        return add(case), message, signature

    # (i) A county's voucher, signed by its preparer and its reviewer against registry version 57.
    voucher_key, version = "340122-V000007", 57
    voucher = {
        "org": text(COUNTY), "date": text("2026-11-02"), "currency": text("CNY"), "memo": text("办公用品 office supplies"),
        "preparer": text(PREPARER), "reviewer": text(REVIEWER),
        "lines": ("list", [
            ("record", {"account": text("340122:6602"), "side": text("debit"), "amount": integer(123456)}),
            ("record", {"account": text("180536214790352861"), "side": text("credit"), "amount": integer(123456)}),
        ]),
    }
    messages = {}
    for role, staff in (("preparer", PREPARER), ("reviewer", REVIEWER)):
        key = keys[staff]
        messages[role] = document_message("voucher", voucher_key, COUNTY, role, staff, key.key_id, version, voucher)
    signatures = {role: keys[staff].sign(messages[role]) for role, staff in (("preparer", PREPARER), ("reviewer", REVIEWER))}
    signed_voucher = dict(voucher)
    signed_voucher["signatures"] = ("list", [
        signature_record("preparer", PREPARER, keys[PREPARER].key_id, version, signatures["preparer"]),
        signature_record("reviewer", REVIEWER, keys[REVIEWER].key_id, version, signatures["reviewer"]),
    ])
    preparer_case, _, _ = document_case(
        "voucher of 340122, the preparer's signature (the fields as received, with `signatures`, which the message leaves out)",
        ["Voucher"], "voucher", voucher_key, COUNTY, "preparer", keys[PREPARER], version, signed_voucher)
    reviewer_case, _, _ = document_case(
        "voucher of 340122, the reviewer's signature", ["Voucher"],
        "voucher", voucher_key, COUNTY, "reviewer", keys[REVIEWER], version, signed_voucher)
    assert preparer_case["signatureHex"] == signatures["preparer"].hex()
    assert reviewer_case["signatureHex"] == signatures["reviewer"].hex()
    document_case("the same voucher without its `signatures` field: the same message and signature (the field is not "
                  "covered)", ["SignaturesNotCovered"],
                  "voucher", voucher_key, COUNTY, "preparer", keys[PREPARER], version, voucher)

    # Negative cases built from the voucher: each presents a signature above with one input changed.
    tampered = dict(signed_voucher, memo=text("办公用品 office supplies, 2 boxes"))
    document_case("the voucher's memo changed after signing", ["Tampered"],
                  "voucher", voucher_key, COUNTY, "preparer", keys[PREPARER], version, tampered,
                  signature=signatures["preparer"], signed_by=preparer_case["tcId"])
    lines = signed_voucher["lines"][1]
    tampered = dict(signed_voucher, lines=("list", [
        ("record", dict(lines[0][1], amount=integer(1234560))),
        ("record", dict(lines[1][1], amount=integer(1234560))),
    ]))
    document_case("the voucher's line amounts changed after signing (still balanced)", ["Tampered"],
                  "voucher", voucher_key, COUNTY, "reviewer", keys[REVIEWER], version, tampered,
                  signature=signatures["reviewer"], signed_by=reviewer_case["tcId"])
    document_case("the preparer's signature presented in the role reviewer (same person, key and version)", ["OtherRole"],
                  "voucher", voucher_key, COUNTY, "reviewer", keys[PREPARER], version, signed_voucher,
                  signature=signatures["preparer"], signed_by=preparer_case["tcId"])
    document_case("the reviewer's signature presented as made against registry version 58", ["OtherVersion"],
                  "voucher", voucher_key, COUNTY, "reviewer", keys[REVIEWER], version + 1, signed_voucher,
                  signature=signatures["reviewer"], signed_by=reviewer_case["tcId"])
    document_case("the voucher lifted into another office's stream (origin 340123)", ["OtherOrigin"],
                  "voucher", voucher_key, OTHER_COUNTY, "preparer", keys[PREPARER], version, signed_voucher,
                  signature=signatures["preparer"], signed_by=preparer_case["tcId"])
    document_case("the signature presented for another voucher with the same fields (key 340122-V000008)", ["OtherKey"],
                  "voucher", "340122-V000008", COUNTY, "preparer", keys[PREPARER], version, signed_voucher,
                  signature=signatures["preparer"], signed_by=preparer_case["tcId"])
    document_case("the reviewer's signature presented as the preparer's (another person's signature in the role)",
                  ["OtherSigner"], "voucher", voucher_key, COUNTY, "preparer", keys[REVIEWER], version, signed_voucher,
                  signature=signatures["reviewer"], staff=PREPARER, key_id=keys[REVIEWER].key_id,
                  signed_by=reviewer_case["tcId"])

    # (ii) A county's transition (it withdraws its payment), signed by its actor against registry version 61.
    withdrawal_key, version = "340122:15", 61
    withdrawal = {
        "doc_table": text("payment"), "doc_id": text("340122-P000003"), "from_state": text("entered"),
        "to_state": text("withdrawn"), "actor": text(CLERK), "reason": text("duplicate"), "by_hub": integer(0),
        "based_on": ("record", {}),
    }
    message = document_message("transition", withdrawal_key, COUNTY, "actor", CLERK, keys[CLERK].key_id, version,
                               withdrawal)
    actor_signature = keys[CLERK].sign(message)
    signed_withdrawal = dict(withdrawal, signatures=("list", [
        signature_record("actor", CLERK, keys[CLERK].key_id, version, actor_signature)]))
    withdrawal_case, _, _ = document_case(
        "transition of 340122: a payment withdrawn, signed by its actor", ["Transition"],
        "transition", withdrawal_key, COUNTY, "actor", keys[CLERK], version, signed_withdrawal)
    assert withdrawal_case["signatureHex"] == actor_signature.hex()
    document_case("the withdrawal's reason changed after signing", ["Tampered"],
                  "transition", withdrawal_key, COUNTY, "actor", keys[CLERK], version,
                  dict(signed_withdrawal, reason=text("paid twice")),
                  signature=actor_signature, signed_by=withdrawal_case["tcId"])
    document_case("the actor's signature on the withdrawal presented for a payment record with the transition's key",
                  ["OtherTable"], "payment", withdrawal_key, COUNTY, "actor", keys[CLERK], version, signed_withdrawal,
                  signature=actor_signature, signed_by=withdrawal_case["tcId"])

    # The hub's own transition (a payment released), signed by its actor against the hub's own counter, 204.
    release_key, version = "340000:205", 204
    release = {
        "doc_table": text("payment"), "doc_id": text("340122-P000004"), "from_state": text("entered"),
        "to_state": text("released"), "actor": text(HUB_MANAGER), "reason": NULL, "by_hub": integer(1),
        "based_on": ("record", {"340122": integer(14)}), "date": text("2026-11-03"),
    }
    message = document_message("transition", release_key, HUB_ORG, "actor", HUB_MANAGER, keys[HUB_MANAGER].key_id,
                               version, release)
    signed_release = dict(release, signatures=("list", [
        signature_record("actor", HUB_MANAGER, keys[HUB_MANAGER].key_id, version, keys[HUB_MANAGER].sign(message))]))
    document_case("transition of the hub: a payment released, signed by its actor at the hub's own counter",
                  ["Transition", "Hub"], "transition", release_key, HUB_ORG, "actor", keys[HUB_MANAGER], version,
                  signed_release)

    # An audit entry of the county (optionally signed, §14.4), signed by its actor.
    audit_key, version = "340122-L88", 61
    audit = {
        "org": text(COUNTY), "at_ms": integer(1793664000123), "actor": text(CLERK), "action": text("withdraw"),
        "detail": text("fundsync withdraw payment 340122-P000003 --by 340122-zhaolei --reason duplicate"),
    }
    document_case("audit entry of 340122 (optionally signed), signed by its actor", ["Audit"],
                  "audit", audit_key, COUNTY, "actor", keys[CLERK], version, audit)

    # (iii) The hub's certificate of the preparer's key, issued in registry version 42, and its revocation.
    hub = keys["hub"]
    subject = keys[PREPARER]
    certified = {
        "staff": text(PREPARER), "org": text(COUNTY), "name": text("王芳"), "roles": text("cashier"),
        "algorithm": text("ed25519"), "public_key": ("bytes", subject.spki), "valid_until": text("2027-12-31"),
        "certified_in": integer(42), "issuer_key": text(hub.key_id),
    }
    certificate_bytes = certificate_message(subject.key_id, certified)
    certificate_signature = hub.sign(certificate_bytes)
    issued = dict(certified, certificate_signature=("bytes", certificate_signature), revoked_in=NULL,
                  revoked_reason=NULL, revoked_on=NULL, revoked_by=NULL)

    def certificate_case(comment, flags, fields, signature=None, signed_by=None):
        message = certificate_message(subject.key_id, fields)
        result = "valid" if signature is None else "invalid"
        if signature is None:
            signature = hub.sign(message)
        assert verifies(hub.spki, signature, message) == (result == "valid"), comment
        case = {"comment": comment, "flags": flags, "kind": "certificate", "result": result, "table": "staff_key",
                "key": subject.key_id, "signer": hub.name, "fields": fields_to_json(fields), "messageHex": message.hex(),
                "signatureHex": signature.hex()}
        if signed_by is not None:
            case["signatureFrom"] = signed_by
        return add(case)

    issued_case = certificate_case("staff_key record issued by the hub (operation insert, hub counter 42)",
                                   ["Certificate"], issued)
    assert issued_case["signatureHex"] == certificate_signature.hex()
    certificate_case("the same record revoked (operation update, hub counter 97): the revocation is not covered, the "
                     "signature still verifies", ["Certificate", "Revoked"],
                     dict(issued, revoked_in=integer(97), revoked_reason=text("UKEY lost"), revoked_on=text("2027-03-15"),
                          revoked_by=text(HUB_MANAGER)))
    certificate_case("the certificate's posts changed to give an approving post", ["Tampered"],
                     dict(issued, roles=text("cashier,unit_head")), signature=certificate_signature,
                     signed_by=issued_case["tcId"])
    certificate_case("the certificate's valid_until moved a year later", ["Tampered"],
                     dict(issued, valid_until=text("2028-12-31")), signature=certificate_signature,
                     signed_by=issued_case["tcId"])
    certificate_case("the certificate's certified_in moved back to 40", ["Tampered"],
                     dict(issued, certified_in=integer(40)), signature=certificate_signature,
                     signed_by=issued_case["tcId"])

    # A key file of the preparer's key, protected by a passphrase, with a fixed salt and IV.
    passphrase, iterations = "correct horse battery", 200_000
    salt = hashlib.sha256(b"fundsync personal key file vector: salt").digest()[:16]
    iv = hashlib.sha256(b"fundsync personal key file vector: iv").digest()[:16]
    key_file = {
        "comment": "the preparer's key as a passphrase-protected PKCS#8 file (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC)",
        "key": subject.name, "keyID": subject.key_id, "passphrase": passphrase, "wrongPassphrase": "correct horse battery!",
        "iterations": iterations, "saltHex": salt.hex(), "ivHex": iv.hex(),
        "pem": encrypted_key_file(subject, passphrase, salt, iv, iterations),
    }

    return {
        "format": "FundSync personal signatures, release 2",
        "specification": "Protocol/PROTOCOL.md §14",
        "generator": "python3 Protocol/tools/personal_signature_vectors.py (--check to verify this file)",
        "notes": [
            "Field values are written as in batch-v1.json (§12): {\"type\": \"null\"}, {\"type\": \"integer\", "
            "\"value\": \"-42\"} (decimal string), {\"type\": \"text\", \"value\": \"…\"}, {\"type\": \"bytes\", "
            "\"hex\": \"00ff\"}, {\"type\": \"list\", \"items\": […]}, {\"type\": \"record\", \"fields\": {…}}. "
            "`version` is a decimal string too.",
            "Keys are Ed25519 from 32-byte seeds: a staff key's seed is SHA-256 of the UTF-8 text "
            "'fundsync test staff key: ' followed by the staff id; the hub's is the `hub` key of batch-v1.json.",
            "kind document: messageHex is the message of §14.3 built from table, key, origin, role, staff, keyID, "
            "version and fields (fields as received, with `signatures` where the document has it; the message leaves "
            "it out). kind certificate: messageHex is the signed bytes of §14.1 built from key (the certified key's "
            "id) and the nine certified fields of fields.",
            "valid: the Ed25519 signature of messageHex with the signer's key is signatureHex (RFC 8032 signatures are "
            "deterministic), and it verifies; for a certificate, fields.certificate_signature equals it. invalid: "
            "signatureHex (the signature of case signatureFrom) does not verify over messageHex with the key of "
            "`signer`, which is the key whose id is keyID.",
            "keyFiles: `pem` decrypted with `passphrase` gives the key `key` (id keyID); with wrongPassphrase it "
            "does not open. openssl pkey -in FILE -passin pass:PASSPHRASE reads it.",
        ],
        "keys": [keys[name].to_json() for name in (PREPARER, REVIEWER, CLERK, HUB_MANAGER, "hub")],
        "tests": tests,
        "keyFiles": [key_file],
    }


def render(vectors):
    return json.dumps(vectors, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------------------------
# --check: every case from its JSON alone, as a second implementation would read it

def check_case(case, keys):
    signer = keys[case["signer"]]
    spki = bytes.fromhex(signer["publicKeyDERHex"])
    fields = fields_from_json(case["fields"])
    problems = []
    if case["kind"] == "document":
        if signer["keyID"] != case["keyID"]:
            problems.append("keyID is not the signer's key id")
        message = document_message(case["table"], case["key"], case["origin"], case["role"], case["staff"],
                                   case["keyID"], int(case["version"]), fields)
    else:
        message = certificate_message(case["key"], fields)
        if case["result"] == "valid" and fields["certificate_signature"] != ("bytes", bytes.fromhex(case["signatureHex"])):
            problems.append("certificate_signature is not signatureHex")
        if fields["issuer_key"] != text(signer["keyID"]):
            problems.append("issuer_key is not the hub key's id")
        if hashlib.sha256(fields["public_key"][1]).digest()[:8].hex() != case["key"]:
            problems.append("the key is not the key id of public_key")
    if message.hex() != case["messageHex"]:
        problems.append("messageHex differs from the message built from the case's inputs")
    signature = bytes.fromhex(case["signatureHex"])
    ok = verifies(spki, signature, message)
    if case["result"] == "valid":
        private = ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(signer["seedHex"]))
        if private.sign(message) != signature:
            problems.append("signing messageHex does not give signatureHex")
        if not ok:
            problems.append("the signature does not verify")
        listed = fields.get("signatures")
        if case["kind"] == "document" and listed not in (None, NULL):
            mine = [item for item in listed[1] if item[1]["role"] == text(case["role"])]
            if mine != [signature_record(case["role"], case["staff"], case["keyID"], int(case["version"]), signature)]:
                problems.append("the `signatures` field does not hold this signature")
            order = [ROLES.index(item[1]["role"][1]) for item in listed[1]]
            if order != sorted(order):
                problems.append("the `signatures` list is not in role order")
    elif ok:
        problems.append("the signature verifies, but the case is invalid")
    return problems


def check_key_file(entry, keys):
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    problems = []
    key = load_pem_private_key(entry["pem"].encode("ascii"), password=utf8(entry["passphrase"]))
    spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if hashlib.sha256(spki).digest()[:8].hex() != entry["keyID"] or keys[entry["key"]]["keyID"] != entry["keyID"]:
        problems.append("the file does not hold the listed key")
    try:
        load_pem_private_key(entry["pem"].encode("ascii"), password=utf8(entry["wrongPassphrase"]))
        problems.append("the file opens with the wrong passphrase")
    except ValueError:
        pass
    return problems


def check(path):
    with open(path, encoding="utf-8") as handle:
        on_disk = handle.read()
    passed = failed = 0
    if render(build()) == on_disk:
        print(f"ok   regenerated file is identical to {os.path.relpath(path)}")
        passed += 1
    else:
        print(f"FAIL regenerated file differs from {os.path.relpath(path)}")
        failed += 1
    vectors = json.loads(on_disk)
    keys = {entry["name"]: entry for entry in vectors["keys"]}
    for entry in vectors["keys"]:
        private = ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(entry["seedHex"]))
        spki = private.public_key().public_bytes(serialization.Encoding.DER,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)
        good = spki.hex() == entry["publicKeyDERHex"] and hashlib.sha256(spki).digest()[:8].hex() == entry["keyID"]
        print(f"{'ok  ' if good else 'FAIL'} key {entry['name']} {entry['keyID']}")
        passed, failed = (passed + 1, failed) if good else (passed, failed + 1)
    for case in vectors["tests"]:
        label = f"tcId {case['tcId']:>3} {case['result']:<7} {case['kind']:<11}"
        try:
            problems = check_case(case, keys)
        except Exception as error:  # a bug in the checker or a damaged case: report, keep going
            problems = [f"checker error: {type(error).__name__}: {error}"]
        if problems:
            failed += 1
            print(f"FAIL {label} {case['comment']}")
            for problem in problems:
                print(f"       {problem}")
        else:
            passed += 1
            print(f"ok   {label} {case['comment']}")
    for entry in vectors.get("keyFiles", []):
        problems = check_key_file(entry, keys)
        print(f"{'FAIL' if problems else 'ok  '} key file of {entry['key']}" + "".join(f"\n       {p}" for p in problems))
        passed, failed = (passed, failed + 1) if problems else (passed + 1, failed)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", nargs="?", const=DEFAULT_OUTPUT, metavar="PATH",
                        help="recompute the vectors, compare them with PATH and check its cases")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, metavar="PATH", help="where to write the vectors")
    arguments = parser.parse_args(argv[1:])
    if ed25519 is None:
        print("the `cryptography` package is required (pip install cryptography)")
        return 2
    if arguments.check:
        return check(arguments.check)
    with open(arguments.output, "w", encoding="utf-8") as handle:
        handle.write(render(build()))
    print(f"wrote {os.path.relpath(arguments.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
