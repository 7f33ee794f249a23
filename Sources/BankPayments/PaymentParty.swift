/// A bank account as ISO 20022 names it: an IBAN where the bank uses IBANs, else the bank's own number (China's
/// account numbers, `Othr/Id`).
public enum PaymentAccount: Hashable, Sendable {
    case iban(String)
    case other(String)

    /// An IBAN when `number` looks like one (two letters, two digits, then letters and digits; 15–34 in all),
    /// else the bank's own number as written.
    public init(_ number: String) {
        let bytes = Array(number.utf8)
        let looksLikeIBAN = (15...34).contains(bytes.count)
            && bytes.prefix(2).allSatisfy { $0 >= 65 && $0 <= 90 } && bytes.dropFirst(2).prefix(2).allSatisfy { $0 >= 48 && $0 <= 57 }
            && bytes.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) }
        self = looksLikeIBAN ? .iban(number) : .other(number)
    }

    /// The number as written.
    public var number: String {
        switch self {
        case .iban(let number), .other(let number): number
        }
    }
}

/// A bank (the debtor's or the creditor's agent): by its BIC, by its CNAPS clearing number (中国现代化支付系统行号, 12
/// digits, the way Chinese banks route a domestic transfer), or not known.
public enum PaymentAgent: Hashable, Sendable {
    case bic(String)
    case cnaps(String)
    case notProvided
}

/// A party (debtor or creditor): its name, account and bank.
public struct PaymentParty: Hashable, Sendable {
    public var name: String
    public var account: PaymentAccount
    public var agent: PaymentAgent

    public init(name: String, account: PaymentAccount, agent: PaymentAgent = .notProvided) {
        self.name = name
        self.account = account
        self.agent = agent
    }
}
