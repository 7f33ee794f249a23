import CCrypto

/// A failure inside libcrypto or while reading a key file, with OpenSSL's own error text when it gave one.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    public var operation: String
    public var detail: String

    public init(_ operation: String, detail: String = CryptoError.drainOpenSSLErrors()) {
        self.operation = operation
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? operation : "\(operation): \(detail)" }

    /// Empties OpenSSL's thread-local error queue and returns its messages, so one failure never leaks into the
    /// next call's report.
    public static func drainOpenSSLErrors() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.joined(separator: "; ")
    }
}
