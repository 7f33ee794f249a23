import Foundation

/// What a bank knows of an instruction, asked after a delivery whose outcome the sender did not record.
public enum BankKnowledge: String, Sendable, Codable {
    /// The bank has it: it must never be sent again.
    case knows
    /// The bank has certainly not received it: it may be sent again.
    case doesNotKnow
    /// The link cannot tell: the instruction waits for the bank's answer or a person's sign-off.
    case cannotTell
}

/// A file the bank sent: a status report, a notification, a statement.
public struct BankFile: Sendable, Equatable {
    public var name: String
    public var bytes: Data

    public init(name: String, bytes: Data) {
        self.name = name
        self.bytes = bytes
    }

    /// Bytes of the bank's files one pass reads into memory: the rest waits for the next pass (a bank, or a hostile
    /// front end, listing many large files cannot make the hub hold them all at once). One file alone may be larger.
    public static let passBytesMax = 256 * 1024 * 1024

    /// Whether `name` may name a message or a file on a link: letters, digits, `-`, `_`, `.`, 1–64 characters, not
    /// starting with a dot (no path, nothing hidden). Every link checks the names it is given and the names the bank
    /// sends, so a name can never reach outside the link's folder or URL path.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return (1...64).contains(bytes.count) && bytes.first != UInt8(ascii: ".")
            && bytes.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 || $0 == 46 }
    }
}

/// The way to one bank (7/7 item 3): folders for a bank reached through its front-end machine (前置机) or by hand
/// (``FolderBankLink``), or a host-to-host HTTPS link with mutual TLS (`HTTPBankLink`, HubClient). The sender and the
/// answer reader see only this.
///
/// Delivery is all or nothing per message: ``deliver(_:name:)`` returns only once the bank has the whole message, and
/// a message name is delivered at most once (the sender records the delivery, and after a crash asks
/// ``knowledge(of:messageName:)`` before it ever sends the instructions again).
public protocol BankLink: Sendable {
    /// Delivers a message's bytes under `name` (its message id); returns when the bank has them.
    func deliver(_ bytes: Data, name: String) throws
    /// What the bank knows of the instructions `endToEndIDs` of the message `messageName`, whose bytes the hub stored
    /// as `bytes`: a message the bank holds under that name with other bytes is not this one (`cannotTell`).
    func knowledge(of endToEndIDs: [String], messageName: String, bytes: Data) throws -> [String: BankKnowledge]
    /// The files the bank has sent that are not acknowledged yet, oldest first.
    func incoming() throws -> [BankFile]
    /// Marks a file processed (or set aside), so it is not read again.
    func acknowledge(_ file: BankFile, refusedBecause reason: String?) throws
}
