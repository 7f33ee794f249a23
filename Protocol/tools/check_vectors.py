#!/usr/bin/env python3
"""Independent checker of the FundSync batch format test vectors (versions 1 and 2).

Written from Protocol/PROTOCOL.md alone (not from the Swift code). It opens every batch of
Protocol/vectors/batch-v1.json and batch-v2.json as the receiver named in the case, following the receiver
algorithm of PROTOCOL.md §7 (and §13.5 for encrypted batches), and then

  * invalid cases: checks that the batch is refused with exactly the listed error name;
  * valid cases:   checks the header fields, the inflated payload and every change against the JSON,
                   checks that canonical re-encoding gives each recordHex, checks the listed encryption secrets
                   (shared secret, HKDF output, decrypted compressed payload), and re-seals the batch from the
                   JSON description (zlib level 6, Ed25519, X25519/AES-256-GCM with the listed ephemeral key
                   and nonce) and compares it with batchHex.

Usage:  python3 Protocol/tools/check_vectors.py [path/to/vectors.json]   (default: both files)

Needs Python 3.8+ and the `cryptography` package (Ed25519, X25519, HKDF, AES-GCM); everything else is the
standard library. The `cryptography` package has no SM2 (nor SM4): a case that needs an SM2 signature or SM2
encryption is reported as "skip" with that reason, not as a failure (check those with `openssl`, PROTOCOL.md
§13.9). Prints one line per case and ends with "N passed, M failed" (and ", K skipped"); exits 1 if anything
failed.
"""

import base64
import hashlib
import json
import os
import struct
import sys
import unicodedata
import zlib

try:
    from cryptography.exceptions import InvalidSignature, InvalidTag
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ed25519, x25519
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from cryptography.hazmat.primitives.serialization import (Encoding, PrivateFormat, PublicFormat, NoEncryption,
                                                              load_pem_private_key)
except ImportError:  # pragma: no cover - reported at run time
    ed25519 = None


# --------------------------------------------------------------------------------------------------------------
# Constants of format version 1 (PROTOCOL.md §3, §9)

MAGIC = bytes.fromhex("894653420d0a1a0a")
FIXED = struct.Struct(">8s6BHQQQqIII32s")  # the 92-byte fixed part, §3.1
assert FIXED.size == 92

SIG_ED25519, SIG_SM2 = 1, 2
HASH_SHA256, HASH_SM3 = 1, 2
COMPRESSION_ZLIB = 1
ENCRYPTION_NONE = 0
FLAGS_KNOWN = 0x01  # header byte 13: bit 0 = resync requested (release 2, §3.1 and §8.8)
FORMAT_V1, FORMAT_V2 = 1, 2  # version 2: encrypted payload (§13)
ENC_X25519, ENC_SM2 = 1, 2  # encryption ids of version 2 (§13.3)
NONCE_BYTES = {ENC_X25519: 12, ENC_SM2: 16}
TAG_BYTES = {ENC_X25519: 16, ENC_SM2: 32}
ENC_NAMES = {ENC_X25519: "x25519-hkdf-sha256-aes-256-gcm", ENC_SM2: "sm2-sm4-ctr-hmac-sm3"}
ENCAPSULATED_KEY_BYTES_MAX = 512

HEADER_LENGTH_MIN = 97
SIGNATURE_BYTES_MAX = 512
CHANGE_COUNT_MAX = 250_000
PAYLOAD_BYTES_MAX = 256 * 1024 * 1024
PAYLOAD_COMPRESSED_BYTES_MAX = 128 * 1024 * 1024
FILE_BYTES_MAX = PAYLOAD_COMPRESSED_BYTES_MAX + 64 * 1024
RECORD_BYTES_MAX = 1024 * 1024
MIN_BYTES_PER_CHANGE = 31  # the smallest change record (27 bytes) plus its 4-byte length, §3.4
TEXT_BYTES_MAX = 64 * 1024  # bytes of one text value (tag 0x02), §5.3
DEPTH_MAX = 8
COUNTER_MAX = 2 ** 63 - 1
POSITION_MAX = COUNTER_MAX - CHANGE_COUNT_MAX  # batch sequence and stream positions, §3.4
PAIRED_ALGORITHMS = {(SIG_ED25519, HASH_SHA256), (SIG_SM2, HASH_SM3)}  # (signature, payload hash) ids, §3.3
ORG_CODE_BYTES = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._-")

OPERATIONS = {1: "insert", 2: "update", 3: "delete"}
OPERATION_IDS = {name: number for number, name in OPERATIONS.items()}

T_NULL, T_INT, T_TEXT, T_BYTES, T_LIST, T_RECORD = range(6)


class Refused(Exception):
    """The receiver refuses the batch; `name` is the error name of PROTOCOL.md Appendix A."""

    def __init__(self, name, detail=""):
        super().__init__(f"{name}: {detail}" if detail else name)
        self.name = name


class Skipped(Exception):
    """The case needs an algorithm this checker does not have (SM2, SM4): neither passed nor failed."""


class OutOfBytes(Exception):
    """A read ran past the end of the region being decoded (its meaning depends on the region)."""


class BadRecord(Exception):
    """A change record breaks a rule of PROTOCOL.md §5.5."""


# --------------------------------------------------------------------------------------------------------------
# Reading primitives (§2)

class Region:
    """A window [start, end) of a byte string, read front to back."""

    def __init__(self, data, start=0, end=None):
        self.data = data
        self.at = start
        self.end = len(data) if end is None else end

    def left(self):
        return self.end - self.at

    def take(self, count):
        if count > self.left():
            raise OutOfBytes(f"need {count} bytes at {self.at}, have {self.left()}")
        piece = self.data[self.at:self.at + count]
        self.at += count
        return piece

    def uint(self, width):
        return int.from_bytes(self.take(width), "big")

    def int64(self):
        return int.from_bytes(self.take(8), "big", signed=True)

    def text(self, length_width, what):
        raw = self.take(self.uint(length_width))
        try:
            return raw.decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            raise BadRecord(f"{what} is not well-formed UTF-8")


def is_org_code(text):
    raw = text.encode("utf-8")
    return 1 <= len(raw) <= 32 and all(byte in ORG_CODE_BYTES for byte in raw)


def byte_key(text):
    return text.encode("utf-8")


# --------------------------------------------------------------------------------------------------------------
# Field values and change records (§5)
#
# A value is a tuple: ("null",), ("integer", int), ("text", str), ("bytes", bytes), ("list", [values]),
# ("record", {name: value}). A change is a dict with the keys of the JSON vectors, in Python types.

def read_value(region, depth):
    if depth > DEPTH_MAX:
        raise BadRecord(f"value nested deeper than {DEPTH_MAX}")
    tag = region.uint(1)
    if tag == T_NULL:
        return ("null",)
    if tag == T_INT:
        return ("integer", region.int64())
    if tag == T_TEXT:
        length = region.uint(4)
        if length > TEXT_BYTES_MAX:  # checked on the declared length, before the bytes are read
            raise BadRecord(f"text value of {length} bytes exceeds {TEXT_BYTES_MAX}")
        try:
            return ("text", region.take(length).decode("utf-8", errors="strict"))
        except UnicodeDecodeError:
            raise BadRecord("text value is not well-formed UTF-8")
    if tag == T_BYTES:
        return ("bytes", region.take(region.uint(4)))
    if tag == T_LIST:
        count = region.uint(4)
        if count > region.left():  # every value takes at least one byte
            raise OutOfBytes("list count larger than the bytes left")
        return ("list", [read_value(region, depth + 1) for _ in range(count)])
    if tag == T_RECORD:
        return ("record", read_map(region, depth + 1))
    raise BadRecord(f"unknown value tag 0x{tag:02x}")


def read_map(region, depth):
    fields = {}
    previous = None
    seen = set()  # the NFC forms of the names read so far in this map (§5.2)
    for _ in range(region.uint(2)):
        name = region.text(1, "field name")
        if previous is not None and not byte_key(previous) < byte_key(name):
            raise BadRecord("field names are not strictly ascending")
        previous = name
        normal = unicodedata.normalize("NFC", name)
        if normal in seen:
            raise BadRecord(f"field name {name!r} is canonically equivalent to an earlier name of the map")
        seen.add(normal)
        fields[name] = read_value(region, depth)
    return fields


def read_vector_entries(region, on_bad):
    """A version vector (§2.6): org-code origins strictly ascending, counters 1 ... 2^63-1 (in `deps` and in the
    header's ackVector alike). Returns [(origin, counter)] in wire order."""
    entries = []
    for _ in range(region.uint(2)):
        origin = region.text(1, "vector origin")
        if not is_org_code(origin):
            raise on_bad("vector origin is not an org code")
        if entries and not byte_key(entries[-1][0]) < byte_key(origin):
            raise on_bad("vector origins are not strictly ascending")
        counter = region.uint(8)
        if not 1 <= counter <= COUNTER_MAX:
            raise on_bad(f"vector counter {counter} out of range")
        entries.append((origin, counter))
    return entries


def decode_record(record):
    """Decodes one change record occupying all of `record`. Raises BadRecord or OutOfBytes."""
    region = Region(record)
    origin = region.text(1, "origin")
    if not is_org_code(origin):
        raise BadRecord("origin is not an org code")
    counter = region.uint(8)
    if not 1 <= counter <= COUNTER_MAX:
        raise BadRecord(f"counter {counter} out of range")
    created = region.int64()
    table = region.text(1, "table")
    key = region.text(2, "key")
    operation = region.uint(1)
    if operation not in OPERATIONS:
        raise BadRecord(f"unknown operation {operation}")
    business_date = region.text(1, "business date")
    deps = read_vector_entries(region, BadRecord)
    fields = read_map(region, 1)
    if region.left():
        raise BadRecord(f"{region.left()} bytes after the fields")
    return {"origin": origin, "counter": counter, "createdAtMilliseconds": created, "table": table, "key": key,
            "operation": OPERATIONS[operation], "businessDate": business_date, "deps": dict(deps), "fields": fields}


def put_text(out, text, width):
    raw = text.encode("utf-8")
    if len(raw) >= 1 << (8 * width):
        raise ValueError(f"string of {len(raw)} bytes does not fit a {8 * width}-bit length")
    out += len(raw).to_bytes(width, "big") + raw


def put_vector(out, vector):
    entries = sorted(((origin, counter) for origin, counter in vector.items() if counter > 0),
                     key=lambda entry: byte_key(entry[0]))
    out += len(entries).to_bytes(2, "big")
    for origin, counter in entries:
        put_text(out, origin, 1)
        out += counter.to_bytes(8, "big")


def put_value(out, value):
    kind = value[0]
    if kind == "null":
        out.append(T_NULL)
    elif kind == "integer":
        out.append(T_INT)
        out += value[1].to_bytes(8, "big", signed=True)
    elif kind == "text":
        if len(value[1].encode("utf-8")) > TEXT_BYTES_MAX:
            raise ValueError(f"text value longer than {TEXT_BYTES_MAX} bytes")
        out.append(T_TEXT)
        put_text(out, value[1], 4)
    elif kind == "bytes":
        out.append(T_BYTES)
        out += len(value[1]).to_bytes(4, "big") + value[1]
    elif kind == "list":
        out.append(T_LIST)
        out += len(value[1]).to_bytes(4, "big")
        for item in value[1]:
            put_value(out, item)
    elif kind == "record":
        out.append(T_RECORD)
        put_map(out, value[1])
    else:
        raise ValueError(f"unknown value kind {kind}")


def put_map(out, fields):
    names = sorted(fields, key=byte_key)
    if len({unicodedata.normalize("NFC", name) for name in names}) != len(names):
        raise ValueError("two field names of one map are canonically equivalent")
    out += len(names).to_bytes(2, "big")
    for name in names:
        put_text(out, name, 1)
        put_value(out, fields[name])


def encode_record(change):
    """The canonical record bytes of a change (§5.1, §5.4)."""
    out = bytearray()
    put_text(out, change["origin"], 1)
    out += change["counter"].to_bytes(8, "big")
    out += change["createdAtMilliseconds"].to_bytes(8, "big", signed=True)
    put_text(out, change["table"], 1)
    put_text(out, change["key"], 2)
    out.append(OPERATION_IDS[change["operation"]])
    put_text(out, change["businessDate"], 1)
    put_vector(out, change["deps"])
    put_map(out, change["fields"])
    return bytes(out)


# --------------------------------------------------------------------------------------------------------------
# Keys (§3.3, §3.5, §7.1)

def pem_der(pem):
    """The DER bytes inside the first PEM block of `pem`."""
    body, inside = [], False
    for line in pem.splitlines():
        line = line.strip()
        if line.startswith("-----BEGIN "):
            inside = True
        elif line.startswith("-----END "):
            break
        elif inside and line:
            body.append(line)
    return base64.b64decode("".join(body), validate=True)


def key_id(public_pem):
    return hashlib.sha256(pem_der(public_pem)).digest()[:8].hex()


class PublicKey:
    def __init__(self, pem):
        der = pem_der(pem)
        # RFC 8410 Ed25519 SubjectPublicKeyInfo: fixed 12-byte prefix, then the 32-byte key.
        prefix = bytes.fromhex("302a300506032b6570032100")
        if len(der) == 44 and der.startswith(prefix):
            self.algorithm = SIG_ED25519
            self.ed25519 = ed25519.Ed25519PublicKey.from_public_bytes(der[12:])
        else:
            # SM2 (id-ecPublicKey + curve 1.2.156.10197.1.301) is specified but not supported by this checker:
            # the `cryptography` package has no SM2.
            self.algorithm = SIG_SM2 if bytes.fromhex("06082a811ccf5501822d") in der else None

    def verify(self, signature, message):
        if self.algorithm != SIG_ED25519:
            raise Skipped("SM2 signature: the cryptography package has no SM2 (check it with openssl, PROTOCOL.md §3.3)")
        try:
            self.ed25519.verify(signature, message)
            return True
        except InvalidSignature:
            return False
        except ValueError:
            return False


class KeyRegistry:
    """What a receiver knows about keys: key id -> (org, revoked?, public key PEM)."""

    def __init__(self):
        self.records = {}

    def add(self, public_pem, org, revoked=False):
        self.records[key_id(public_pem)] = (org, revoked, public_pem)

    def resolve(self, kid, sender):
        """PROTOCOL.md §7.1: unknown, then other org, then revoked, then an unusable key is unknown."""
        record = self.records.get(kid)
        if record is None:
            raise Refused("unknown-key", f"no key {kid}")
        org, revoked, pem = record
        if org != sender:
            raise Refused("key-of-other-org", f"key {kid} belongs to {org}, not {sender}")
        if revoked:
            raise Refused("revoked-key", f"key {kid} is revoked")
        try:
            key = PublicKey(pem)
        except Exception as error:  # an unusable key is as good as none
            raise Refused("unknown-key", f"key {kid} cannot be read: {error}")
        if key.algorithm is None:
            raise Refused("unknown-key", f"key {kid} has an unsupported type")
        return key


# --------------------------------------------------------------------------------------------------------------
# Hashes and compression (§3.3, §3.6, §7.2)

def payload_digest(algorithm, data):
    if algorithm == HASH_SHA256:
        return hashlib.sha256(data).digest()
    if algorithm == HASH_SM3:
        return hashlib.new("sm3", data).digest()  # needs an OpenSSL with SM3
    raise ValueError(algorithm)


def inflate_bounded(stream, declared):
    """Inflates one zlib stream that must yield exactly `declared` bytes, never producing more than
    declared + 1 bytes (PROTOCOL.md §7.2). The zlib wrapper (header, Adler-32 trailer) is checked here; the
    deflate data by the zlib module in raw mode, so that the number of bytes produced is always known."""
    corrupt = "compressed-data-corrupt"
    if len(stream) < 2:
        raise Refused(corrupt, "the zlib stream ends inside its header")
    cmf, flg = stream[0], stream[1]
    if (cmf * 256 + flg) % 31:
        raise Refused(corrupt, "incorrect zlib header check")
    if cmf & 0x0F != 8:
        raise Refused(corrupt, "unknown compression method")
    if (cmf >> 4) > 7:
        raise Refused(corrupt, "invalid window size")
    if flg & 0x20:
        raise Refused(corrupt, "the stream needs a preset dictionary")
    raw = zlib.decompressobj(-15)
    try:
        out = raw.decompress(stream[2:], declared)  # up to `declared` bytes
    except zlib.error as error:
        # With at most `declared` bytes of room, inflation stops before producing byte declared + 1, so an
        # error seen here lies within the first `declared` bytes: the stream is corrupt.
        raise Refused(corrupt, str(error))
    if not raw.eof:
        if len(out) < declared:
            raise Refused(corrupt, "the zlib stream ends early")
        try:
            extra = raw.decompress(raw.unconsumed_tail, 1)
        except zlib.error as error:
            # zlib found an error right after producing byte `declared` (or while producing byte declared + 1);
            # Python's zlib API cannot tell which, so this corner is reported as corrupt (Protocol/README.md).
            raise Refused(corrupt, str(error))
        if extra:
            raise Refused("payload-larger-than-declared", f"more than {declared} bytes")
        if not raw.eof:
            raise Refused(corrupt, "the zlib stream ends early")
    trailer = raw.unused_data
    if len(trailer) < 4:
        raise Refused(corrupt, "the zlib stream ends inside its checksum")
    if int.from_bytes(trailer[:4], "big") != zlib.adler32(out):
        raise Refused(corrupt, "incorrect data check")
    if len(trailer) > 4:
        raise Refused(corrupt, f"{len(trailer) - 4} bytes follow the zlib stream")
    if len(out) != declared:
        raise Refused("payload-size-mismatch", f"{len(out)} bytes, {declared} declared")
    return out


# --------------------------------------------------------------------------------------------------------------
# The receiver (§7)

def parse_header(data):
    """Steps 2-10: the header. Returns (fields dict, header length)."""
    if not data:
        raise Refused("empty")
    if data[:8] != MAGIC:
        raise Refused("not-a-batch")
    # Steps 4-7: bytes 8..15, one at a time, so that a short file is "truncated" at the right point.
    checks = [
        (8, lambda b: b in (FORMAT_V1, FORMAT_V2), "unsupported-format-version"),
        (9, lambda b: b in (SIG_ED25519, SIG_SM2), "unsupported-algorithm"),
        (10, lambda b: b in (HASH_SHA256, HASH_SM3), "unsupported-algorithm"),
        (10, lambda b: (data[9], b) in PAIRED_ALGORITHMS, "unsupported-algorithm"),  # §3.3 pairing
        (11, lambda b: b == COMPRESSION_ZLIB, "unsupported-algorithm"),
        # Version 1 has only "none"; version 2 only the encryption ids 1 and 2, and a version 2 header that says
        # "not encrypted" is an unsupported version: plaintext batches are always version 1 (§13.1).
        (12, lambda b: not (data[8] == FORMAT_V2 and b == ENCRYPTION_NONE), "unsupported-format-version"),
        (12, lambda b: b == ENCRYPTION_NONE if data[8] == FORMAT_V1 else b in (ENC_X25519, ENC_SM2), "unsupported-algorithm"),
        # Byte 13, flags (§3.1): release 2 knows bit 0 (resync requested, §8.8); any other bit is refused.
        (13, lambda b: b & ~FLAGS_KNOWN == 0, "malformed-header"),
    ]
    for offset, accept, error in checks:
        if len(data) <= offset:
            raise Refused("truncated", f"no byte {offset}")
        if not accept(data[offset]):
            raise Refused(error, f"byte {offset} is {data[offset]} (with byte 9 = {data[9]})" if offset == 10
                          else f"byte {offset} is {data[offset]}")
    if len(data) < 16:
        raise Refused("truncated", "no header length")
    header_length = int.from_bytes(data[14:16], "big")
    if header_length > len(data):
        raise Refused("truncated", f"header of {header_length} bytes in a file of {len(data)}")
    if header_length < HEADER_LENGTH_MIN:
        raise Refused("malformed-header", f"header length {header_length}")

    (_, version, sig, hsh, _, _, _, h_len, sequence, first, ack, created, count, size, size_compressed,
     digest) = FIXED.unpack_from(data, 0)

    def bad(reason):
        return Refused("malformed-header", reason)

    region = Region(data, FIXED.size, header_length)
    try:
        sender = region.text(1, "sender")
        recipient = region.text(1, "recipient")
        kid_raw = region.take(region.uint(1))
        ack_entries = read_vector_entries(region, bad)
        encryption = read_encryption_fields(region, data[12], bad) if version == FORMAT_V2 else None
    except OutOfBytes as error:
        raise bad(f"the fields run past the header length: {error}")
    except BadRecord as error:
        raise bad(str(error))
    if not is_org_code(sender) or not is_org_code(recipient):
        raise bad("sender or recipient is not an org code")
    if not kid_raw or any(byte < 0x21 or byte > 0x7E for byte in kid_raw):
        raise bad("key id is empty or not printable ASCII")
    if sequence == 0:
        raise bad("batch sequence 0")
    if max(sequence, first, ack) > POSITION_MAX:
        raise bad(f"a batch sequence or stream position exceeds {POSITION_MAX}")
    if (count == 0) != (first == 0):
        raise bad("first stream position must be 0 exactly when the batch is empty")
    if region.left():
        raise bad(f"{region.left()} header bytes are not used by the fields")
    header = {
        "formatVersion": version, "signatureAlgorithm": sig, "payloadHashAlgorithm": hsh,
        "sender": sender, "recipient": recipient, "batchSequence": sequence, "firstStreamPosition": first,
        "ackStreamPosition": ack, "ackVector": dict(ack_entries),
        "createdAtMilliseconds": created, "changeCount": count, "payloadSizeBytes": size,
        "payloadSizeBytesCompressed": size_compressed, "payloadHashHex": digest.hex(),
        "keyID": kid_raw.decode("ascii"), "headerLength": h_len,
    }
    if encryption is not None:
        header["encryption"] = encryption
    return header, header_length


def read_encryption_fields(region, algorithm, bad):
    """The encryption fields at the end of a version 2 header (§13.2)."""
    kid_raw = region.take(region.uint(1))
    if not kid_raw or any(byte < 0x21 or byte > 0x7E for byte in kid_raw):
        raise bad("recipient key id is empty or not printable ASCII")
    length = region.uint(2)
    if (length != 32) if algorithm == ENC_X25519 else not 1 <= length <= ENCAPSULATED_KEY_BYTES_MAX:
        raise bad(f"encapsulated key of {length} bytes for encryption id {algorithm}")
    encapsulated = region.take(length)
    nonce = region.take(NONCE_BYTES[algorithm])
    tag = region.take(TAG_BYTES[algorithm])
    return {"encryptionAlgorithm": algorithm, "recipientKeyID": kid_raw.decode("ascii"),
            "encapsulatedKeyHex": encapsulated.hex(), "nonceHex": nonce.hex(), "tagHex": tag.hex()}


def split_file(data):
    """Steps 1-13: structure and limits. Returns (header, header bytes, compressed payload, signature)."""
    if len(data) > FILE_BYTES_MAX:
        raise Refused("file-too-large")
    header, h = parse_header(data)
    if header["payloadSizeBytes"] > PAYLOAD_BYTES_MAX or header["payloadSizeBytesCompressed"] > PAYLOAD_COMPRESSED_BYTES_MAX:
        raise Refused("payload-too-large")
    count = header["changeCount"]
    if count > CHANGE_COUNT_MAX or count * MIN_BYTES_PER_CHANGE > header["payloadSizeBytes"]:
        raise Refused("malformed-header", f"{count} changes")
    payload_end = h + header["payloadSizeBytesCompressed"]
    if payload_end + 2 > len(data):
        raise Refused("truncated", "the file ends inside the payload or the signature length")
    signature_length = int.from_bytes(data[payload_end:payload_end + 2], "big")
    if not 1 <= signature_length <= SIGNATURE_BYTES_MAX:
        raise Refused("malformed-header", f"signature length {signature_length}")
    signature_end = payload_end + 2 + signature_length
    if signature_end > len(data):
        raise Refused("truncated", "the file ends inside the signature")
    if signature_end < len(data):
        raise Refused("trailing-bytes", f"{len(data) - signature_end} bytes after the signature")
    header["signatureHex"] = data[payload_end + 2:signature_end].hex()
    return header, data[:h], data[h:payload_end], data[payload_end + 2:signature_end]


def split_payload(payload, count):
    """Step 19: the records of the payload (§7.3). Returns [(change, record bytes)]."""
    region = Region(payload)
    changes = []
    while region.left():
        if len(changes) == count:
            raise Refused("change-count-mismatch", f"more than {count} records")
        try:
            length = region.uint(4)
            if length > RECORD_BYTES_MAX:
                raise BadRecord(f"record of {length} bytes")
            record = region.take(length)
            changes.append((decode_record(record), record))
        except (OutOfBytes, BadRecord) as error:
            raise Refused("malformed-payload", f"record {len(changes) + 1}: {error}")
    if len(changes) != count:
        raise Refused("change-count-mismatch", f"{len(changes)} records, {count} declared")
    return changes


def open_batch(data, me, registry, decryption_key=None):
    """The whole receiver algorithm of PROTOCOL.md §7 (with §13.5 for version 2).
    Returns (header, payload, [(change, record)], the compressed payload after decryption)."""
    header, header_bytes, compressed, signature = split_file(data)
    if header["recipient"] != me:
        raise Refused("wrong-recipient", f"addressed to {header['recipient']}")
    key = registry.resolve(header["keyID"], header["sender"])
    if key.algorithm != header["signatureAlgorithm"] or not key.verify(signature, header_bytes):
        raise Refused("bad-signature")
    if payload_digest(header["payloadHashAlgorithm"], compressed).hex() != header["payloadHashHex"]:
        raise Refused("payload-hash-mismatch")
    if "encryption" in header:
        compressed = decrypt_payload(compressed, header, decryption_key)
    payload = inflate_bounded(compressed, header["payloadSizeBytes"])
    return header, payload, split_payload(payload, header["changeCount"]), compressed


# --------------------------------------------------------------------------------------------------------------
# Payload encryption, version 2 (§13)

class DecryptionKey:
    """The receiver's own encryption key, from its PKCS#8 PEM."""

    def __init__(self, private_pem, public_pem):
        self.key_id = key_id(public_pem)
        der = pem_der(public_pem)
        # RFC 8410 X25519 SubjectPublicKeyInfo: fixed 12-byte prefix, then the 32-byte key.
        if len(der) == 44 and der.startswith(bytes.fromhex("302a300506032b656e032100")):
            self.algorithm = ENC_X25519
            self.private = load_pem_private_key(private_pem.encode(), password=None)
            self.public_raw = der[12:]
        else:
            self.algorithm = ENC_SM2  # the cryptography package cannot load SM2 keys
            self.private = None


def hkdf(digest, ikm, salt, info, length):
    return HKDF(algorithm=digest, length=length, salt=salt or None, info=info).derive(ikm)


def encryption_info(algorithm, sender, recipient):
    """The HKDF info of §13.4: ASCII `fundsync/batch-v2/<scheme>/<sender>/<recipient>`."""
    return f"fundsync/batch-v2/{ENC_NAMES[algorithm]}/{sender}/{recipient}".encode("ascii")


def x25519_payload_key(shared, ephemeral_public, recipient_public, info):
    return hkdf(hashes.SHA256(), shared, ephemeral_public + recipient_public, info, 32)


def decrypt_payload(ciphertext, header, key):
    """§13.5 steps 17a-17b: the right key, then key agreement and authenticated decryption."""
    fields = header["encryption"]
    if key is None or key.key_id != fields["recipientKeyID"]:
        raise Refused("encrypted-for-another-key", f"encrypted for {fields['recipientKeyID']}")
    if key.algorithm != fields["encryptionAlgorithm"]:
        raise Refused("decryption-failed", "the scheme does not fit the receiver's key")
    if fields["encryptionAlgorithm"] != ENC_X25519:
        raise Skipped("SM2 encryption: the cryptography package has no SM2 or SM4 (check it with openssl, PROTOCOL.md §13.9)")
    ephemeral = bytes.fromhex(fields["encapsulatedKeyHex"])
    try:
        shared = key.private.exchange(x25519.X25519PublicKey.from_public_bytes(ephemeral))
    except ValueError as error:  # an all-zero shared secret (low-order point)
        raise Refused("decryption-failed", f"key agreement: {error}")
    payload_key = x25519_payload_key(shared, ephemeral, key.public_raw,
                                     encryption_info(ENC_X25519, header["sender"], header["recipient"]))
    try:
        return AESGCM(payload_key).decrypt(bytes.fromhex(fields["nonceHex"]), ciphertext + bytes.fromhex(fields["tagHex"]), None)
    except InvalidTag:
        raise Refused("decryption-failed", "the GCM tag does not authenticate the ciphertext")


# --------------------------------------------------------------------------------------------------------------
# The sender (§3.8), for re-sealing valid vectors

def seal(addressing, records, private_pem, encrypt_for=None):
    """§3.8, and §13.4 when `encrypt_for` = (recipient public PEM, ephemeral private key bytes, nonce)."""
    private_key = load_pem_private_key(private_pem.encode(), password=None)
    if not isinstance(private_key, ed25519.Ed25519PrivateKey):
        raise Skipped("this checker seals with Ed25519 keys only")
    payload = b"".join(len(record).to_bytes(4, "big") + record for record in records)
    compressed = zlib.compress(payload, 6)
    spki = private_key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    variable = bytearray()
    put_text(variable, addressing["sender"], 1)
    put_text(variable, addressing["recipient"], 1)
    put_text(variable, hashlib.sha256(spki).digest()[:8].hex(), 1)
    put_vector(variable, addressing["ackVector"])
    version, encryption = FORMAT_V1, ENCRYPTION_NONE
    if encrypt_for is not None:
        recipient_pem, ephemeral_raw, nonce = encrypt_for
        recipient_der = pem_der(recipient_pem)
        ephemeral = x25519.X25519PrivateKey.from_private_bytes(ephemeral_raw)
        ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        shared = ephemeral.exchange(x25519.X25519PublicKey.from_public_bytes(recipient_der[12:]))
        payload_key = x25519_payload_key(shared, ephemeral_public, recipient_der[12:],
                                         encryption_info(ENC_X25519, addressing["sender"], addressing["recipient"]))
        sealed = AESGCM(payload_key).encrypt(nonce, compressed, None)
        compressed, tag = sealed[:-16], sealed[-16:]
        put_text(variable, hashlib.sha256(recipient_der).digest()[:8].hex(), 1)
        variable += len(ephemeral_public).to_bytes(2, "big") + ephemeral_public + nonce + tag
        version, encryption = FORMAT_V2, ENC_X25519
    header_length = FIXED.size + len(variable)
    fixed = FIXED.pack(MAGIC, version, SIG_ED25519, HASH_SHA256, COMPRESSION_ZLIB, encryption, 0, header_length,
                       addressing["batchSequence"], addressing["firstStreamPosition"], addressing["ackStreamPosition"],
                       addressing["createdAtMilliseconds"], len(records), len(payload), len(compressed),
                       hashlib.sha256(compressed).digest())
    header = fixed + bytes(variable)
    signature = private_key.sign(header)
    return header + compressed + len(signature).to_bytes(2, "big") + signature


# --------------------------------------------------------------------------------------------------------------
# The vector file (PROTOCOL.md §12)

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
        return ("record", {name: value_from_json(item) for name, item in value["fields"].items()})
    raise ValueError(f"unknown JSON value type {kind}")


def change_from_json(vector):
    return {
        "origin": vector["origin"], "counter": int(vector["counter"]),
        "createdAtMilliseconds": int(vector["createdAtMilliseconds"]), "table": vector["table"],
        "key": vector["key"], "operation": vector["operation"], "businessDate": vector["businessDate"],
        "deps": {origin: int(counter) for origin, counter in vector["deps"].items()},
        "fields": {name: value_from_json(value) for name, value in vector["fields"].items()},
    }


def header_from_json(vector):
    header = dict(vector)
    for name in ("batchSequence", "firstStreamPosition", "ackStreamPosition", "createdAtMilliseconds"):
        header[name] = int(header[name])
    header["ackVector"] = {origin: int(counter) for origin, counter in header["ackVector"].items()}
    return header


def check_valid(case, keys, registry):
    problems = []
    data = bytes.fromhex(case["batchHex"])
    decryption_key = decryption_key_for(case, keys)
    header, payload, changes, compressed = open_batch(data, case["recipient"], registry, decryption_key)
    expected = header_from_json(case["header"])
    for name in sorted(set(expected) | set(header)):
        if header.get(name) != expected.get(name):
            problems.append(f"header {name}: got {header.get(name)!r}, expected {expected.get(name)!r}")
    if payload.hex() != case["payloadHex"]:
        problems.append("payload differs from payloadHex")
    listed = case["changes"]
    if len(changes) != len(listed):
        problems.append(f"{len(changes)} changes, {len(listed)} listed")
    records = []
    for index, ((change, record), vector) in enumerate(zip(changes, listed), start=1):
        described = change_from_json(vector)
        if change != described:
            problems.append(f"change {index}: decoded {change} != listed {described}")
        if record.hex() != vector["recordHex"]:
            problems.append(f"change {index}: record bytes differ from recordHex")
        if encode_record(change).hex() != vector["recordHex"]:
            problems.append(f"change {index}: canonical re-encoding of the decoded change differs from recordHex")
        encoded = encode_record(described)
        if encoded.hex() != vector["recordHex"]:
            problems.append(f"change {index}: encoding the JSON description differs from recordHex")
        records.append(encoded)
    encrypt_for = None
    secrets = case.get("encryption")
    if secrets is not None:
        problems += check_secrets(secrets, header, compressed, decryption_key)
        encrypt_for = (next(key for key in keys if key["name"] == case["decryptionKey"])["publicKeyPEM"],
                       bytes.fromhex(secrets["ephemeralPrivateKeyHex"]), bytes.fromhex(header["encryption"]["nonceHex"]))
    signer = next((key for key in keys if key["name"] == case["signer"]), None)
    if signer is None:
        problems.append(f"signer {case['signer']!r} is not in the key list")
    else:
        resealed = seal(expected, records, signer["privateKeyPEM"], encrypt_for)
        if resealed != data:
            problems.append("re-sealing the JSON description does not give batchHex")
    return problems


def check_secrets(secrets, header, compressed, key):
    """The intermediate values listed for a valid X25519 case follow from its keys (§13.4)."""
    problems = []
    if compressed.hex() != secrets["compressedPayloadHex"]:
        problems.append("the decrypted compressed payload differs from compressedPayloadHex")
    fields = header["encryption"]
    ephemeral = x25519.X25519PrivateKey.from_private_bytes(bytes.fromhex(secrets["ephemeralPrivateKeyHex"]))
    if ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex() != fields["encapsulatedKeyHex"]:
        problems.append("the ephemeral private key does not give the header's ephemeral public key")
    shared = key.private.exchange(ephemeral.public_key())
    if shared.hex() != secrets["sharedSecretHex"]:
        problems.append("the shared secret differs from sharedSecretHex")
    info = encryption_info(ENC_X25519, header["sender"], header["recipient"])
    if secrets["hkdfInfo"].encode("ascii") != info or secrets["hkdfSaltHex"] != fields["encapsulatedKeyHex"] + key.public_raw.hex():
        problems.append("hkdfInfo or hkdfSaltHex differs from §13.4")
    if hkdf(hashes.SHA256(), shared, bytes.fromhex(secrets["hkdfSaltHex"]), info, 32).hex() != secrets["derivedKeyHex"]:
        problems.append("HKDF-SHA256 does not give derivedKeyHex")
    return problems


def decryption_key_for(case, keys):
    """The receiver's encryption key named by the case (PROTOCOL.md §13.8), or None."""
    name = case.get("decryptionKey")
    if name is None:
        return None
    key = next(key for key in keys if key["name"] == name)
    return DecryptionKey(key["privateKeyPEM"], key["publicKeyPEM"])


def check_invalid(case, keys, registry):
    try:
        open_batch(bytes.fromhex(case["batchHex"]), case["recipient"], registry, decryption_key_for(case, keys))
    except Refused as refusal:
        if refusal.name == case["error"]:
            return [], refusal
        return [f"refused with {refusal.name} ({refusal}), expected {case['error']}"], refusal
    return [f"accepted, expected {case['error']}"], None


def registry_for(case, keys):
    registry = KeyRegistry()
    for key in keys:
        if key["name"] == "stranger" or key.get("use") == "encryption":  # unknown to the receiver; not a signing key
            continue
        registry.add(key["publicKeyPEM"], key["org"], revoked=key_id(key["publicKeyPEM"]) in case["revokedKeyIDs"])
    return registry


def check_keys(keys, folder):
    """The listed key ids must be those computed from the PEMs (§3.5), and the PEM files beside must agree."""
    problems = []
    for key in keys:
        computed = key_id(key["publicKeyPEM"])
        if computed != key["keyID"]:
            problems.append(f"key {key['name']}: keyID {key['keyID']} but the public key's id is {computed}")
        path = os.path.join(folder, f"{key['name']}.public.pem")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                if key_id(handle.read()) != computed:
                    problems.append(f"key {key['name']}: {path} is a different key")
    return problems


def check_file(path):
    """Checks one vector file; returns (passed, failed, skipped)."""
    with open(path, encoding="utf-8") as handle:
        vectors = json.load(handle)
    keys = vectors["keys"]
    passed = failed = skipped = 0
    for problem in check_keys(keys, os.path.dirname(os.path.abspath(path))):
        print(f"FAIL keys: {problem}")
        failed += 1
    for case in vectors["tests"]:
        label = f"tcId {case['tcId']:>3} {case['result']:<7}"
        try:
            registry = registry_for(case, keys)
            if case["result"] == "valid":
                problems = check_valid(case, keys, registry)
                outcome = "accepted, header, payload, changes and re-seal match"
            else:
                problems, refusal = check_invalid(case, keys, registry)
                outcome = f"refused: {refusal}" if refusal else ""
        except Skipped as reason:
            skipped += 1
            print(f"skip {label} {case['comment']} -- {reason}")
            continue
        except Refused as refusal:
            problems = [f"refused: {refusal}"]
        except Exception as error:  # a bug in the checker or an unsupported case: report, keep going
            problems = [f"checker error: {type(error).__name__}: {error}"]
        if problems:
            failed += 1
            print(f"FAIL {label} {case['comment']}")
            for problem in problems:
                print(f"       {problem}")
        else:
            passed += 1
            print(f"ok   {label} {case['comment']} -- {outcome}")
    return passed, failed, skipped


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    if len(argv) > 1:
        paths = argv[1:]
    else:
        paths = [os.path.join(here, "..", "vectors", name) for name in ("batch-v1.json", "batch-v2.json")]
    if ed25519 is None:
        print("the `cryptography` package is required (pip install cryptography)")
        return 2
    passed = failed = skipped = 0
    for path in paths:
        if len(paths) > 1:
            print(f"== {os.path.relpath(path)}")
        counts = check_file(path)
        passed, failed, skipped = passed + counts[0], failed + counts[1], skipped + counts[2]
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
