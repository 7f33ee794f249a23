import CCrypto

/// Hash functions used on the wire, through libcrypto's EVP interface.
public enum PayloadHashAlgorithm: UInt8, Hashable, Sendable {
    /// SHA-256 (FIPS 180-4), 32 bytes. Used with Ed25519 keys.
    case sha256 = 1
    /// SM3 (GB/T 32905-2016), 32 bytes. Used with SM2 keys.
    case sm3 = 2

    public static let digestBytes = 32

    /// The digest of `bytes`.
    public func digest(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: EVP_MAX_MD_SIZE_VALUE)
        var length: UInt32 = 0
        let md = self == .sha256 ? EVP_sha256() : EVP_sm3()
        let ok = bytes.withUnsafeBufferPointer { raw in
            EVP_Digest(raw.baseAddress, raw.count, &output, &length, md, nil)
        }
        precondition(ok == 1 && Int(length) == Self.digestBytes, "EVP_Digest failed: \(CryptoError.drainOpenSSLErrors())")
        return Array(output.prefix(Int(length)))
    }

    /// The digest of `bytes`.
    public func digest(_ bytes: [UInt8]) -> [UInt8] { digest(bytes[...]) }
}

/// `EVP_MAX_MD_SIZE` is a macro; 64 is its value in OpenSSL 3.
let EVP_MAX_MD_SIZE_VALUE = 64

/// Lower-case hexadecimal, used for key ids and in reason files.
public func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}
