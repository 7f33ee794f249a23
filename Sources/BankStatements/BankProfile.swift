import Foundation

/// How one bank lays out its statement export (CSV, TXT or xlsx from its online banking): which text encodings it
/// writes, what its column headers are called, how it writes dates, which rows above the column header name the
/// account, and which rows below the entries are totals. ``BankExportParser`` reads an export with a profile.
///
/// A profile is data, decoded from JSON (``load(_:)``), so a county can adjust one to its bank's export without a
/// new build: the built-in ones are in ``BankProfiles``. Every list of names is a list of *synonyms in order of
/// preference*: the first one found in the file wins. Names are compared after ``normalizedName(_:)`` (no spaces,
/// full-width brackets and colons as ASCII, 帐 as 账, Latin letters lower-case), first exactly, then with a
/// trailing bracketed note removed (`借方发生额（支取）` matches `借方发生额`, `余额(元)` matches `余额`).
///
/// ```json
/// {
///   "id": "mybank", "name": "某农商银行",
///   "encodings": ["utf-8", "gb18030"],
///   "columns": { "date": ["交易日期"], "debit": ["支出"], "credit": ["收入"], "balance": ["余额"],
///                "counterpartyName": ["对方户名"], "memo": ["摘要"] }
/// }
/// ```
///
/// Everything but `id`, `name` and `columns` may be left out; the defaults are ``Defaults``.
public struct BankProfile: Hashable, Sendable, Codable {
    /// A short stable id: `icbc`, `ccb`, `abc`, `boc`, `bocom`, `cmb`, `generic`, or a county's own.
    public var id: String
    /// The bank's name for people, in Chinese (`中国工商银行`).
    public var name: String
    /// The encodings the bank writes, tried as ``GB18030Text/decode(_:encodings:)`` does: UTF-8 when the bytes are
    /// UTF-8 (and `utf-8` is listed), else GB18030 when listed.
    public var encodings: [BankTextEncoding]
    /// Field separators of CSV and TXT exports, each one character; the one under which a column header row is
    /// found is used (`,` and tab by default).
    public var separators: [String]
    /// The column header synonyms per field.
    public var columns: Columns
    /// The words of a debit/credit direction column (`借`/`贷`), when ``Columns/direction`` is used.
    public var directionWords: DirectionWords
    /// The date patterns of the date columns and the title rows, tried in order: `yyyy` four digits, `MM`/`dd` two
    /// digits, `M`/`d` one or two digits, anything else literally (`yyyy年MM月dd日`). A cell holding a date and a
    /// time (`2026-11-02 09:15:01`) is read by its part before the first space.
    public var dateFormats: [String]
    /// A row below the column header whose date cell is not a date and whose first non-empty cell starts with one
    /// of these is a footer (totals, counts, print time), not an entry.
    public var footerPrefixes: [String]
    /// The labels of the facts in the title and footer rows (`账号：…`, `币种：人民币`, `期末余额：…`).
    public var titleLabels: TitleLabels
    /// Currency names as the bank writes them (`人民币`, `RMB`) to ISO 4217 codes; an ISO code is always accepted.
    public var currencyNames: [String: String]
    /// The currency of an export that names none and is read without one: `CNY` when a profile file leaves it
    /// out (the accounts a county reconciles are renminbi accounts), none when it is written `null`, which makes
    /// such a file be refused unless the caller passes the currency.
    public var defaultCurrency: String?
    /// How the layout was established, for the person relying on the figures: the built-in profiles say
    /// `unverified against a real export…` (they are written from the banks' published layouts, with no bank's real
    /// file to check against), and every statement read through such a profile carries a
    /// ``StatementWarning/Code/profileUnverified(profile:note:)`` warning; a county that has checked its profile
    /// against its bank's real export writes so here (or leaves it out: no warning).
    public var verification: String?

    /// Whether ``verification`` says the layout was not checked against a real export.
    public var isUnverified: Bool { verification?.lowercased().hasPrefix("unverified") ?? false }

    /// Creates a profile; every part but the id, the name and the columns has its ``Defaults``.
    public init(id: String, name: String, encodings: [BankTextEncoding] = Defaults.encodings,
                separators: [String] = Defaults.separators, columns: Columns,
                directionWords: DirectionWords = Defaults.directionWords, dateFormats: [String] = Defaults.dateFormats,
                footerPrefixes: [String] = Defaults.footerPrefixes, titleLabels: TitleLabels = TitleLabels(),
                currencyNames: [String: String] = Defaults.currencyNames, defaultCurrency: String? = "CNY",
                verification: String? = nil) {
        self.id = id
        self.name = name
        self.encodings = encodings
        self.separators = separators
        self.columns = columns
        self.directionWords = directionWords
        self.dateFormats = dateFormats
        self.footerPrefixes = footerPrefixes
        self.titleLabels = titleLabels
        self.currencyNames = currencyNames
        self.defaultCurrency = defaultCurrency
        self.verification = verification
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, encodings, separators, columns, directionWords, dateFormats, footerPrefixes, titleLabels
        case currencyNames, defaultCurrency, verification
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        columns = try container.decode(Columns.self, forKey: .columns)
        encodings = try container.decodeIfPresent([BankTextEncoding].self, forKey: .encodings) ?? Defaults.encodings
        separators = try container.decodeIfPresent([String].self, forKey: .separators) ?? Defaults.separators
        directionWords = try container.decodeIfPresent(DirectionWords.self, forKey: .directionWords)
            ?? Defaults.directionWords
        dateFormats = try container.decodeIfPresent([String].self, forKey: .dateFormats) ?? Defaults.dateFormats
        footerPrefixes = try container.decodeIfPresent([String].self, forKey: .footerPrefixes)
            ?? Defaults.footerPrefixes
        titleLabels = try container.decodeIfPresent(TitleLabels.self, forKey: .titleLabels) ?? TitleLabels()
        currencyNames = try container.decodeIfPresent([String: String].self, forKey: .currencyNames)
            ?? Defaults.currencyNames
        // Left out: CNY; written `null`: none, so an export that names no currency is refused.
        if container.contains(.defaultCurrency) {
            defaultCurrency = try container.decodeIfPresent(String.self, forKey: .defaultCurrency)
        } else {
            defaultCurrency = "CNY"
        }
        verification = try container.decodeIfPresent(String.self, forKey: .verification)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(encodings, forKey: .encodings)
        try container.encode(separators, forKey: .separators)
        try container.encode(columns, forKey: .columns)
        try container.encode(directionWords, forKey: .directionWords)
        try container.encode(dateFormats, forKey: .dateFormats)
        try container.encode(footerPrefixes, forKey: .footerPrefixes)
        try container.encode(titleLabels, forKey: .titleLabels)
        try container.encode(currencyNames, forKey: .currencyNames)
        try container.encode(defaultCurrency, forKey: .defaultCurrency)  // `null` when none, unlike leaving it out
        try container.encodeIfPresent(verification, forKey: .verification)
    }
}

extension BankProfile {
    /// The column header synonyms of each field an export may have. Only ``date``, an amount (``debit`` and
    /// ``credit``, or ``amount``) and a balance (``balance``, or the title labels of the opening and closing
    /// balances) are needed; the rest fill the entries when present.
    ///
    /// How the amount is read, in this order: separate ``debit`` and ``credit`` columns when both are found; else
    /// ``amount`` with a ``direction`` column (`借`/`贷`); else ``amount`` signed (negative = debit). In every form a
    /// negative figure is a reversal (冲正) of the column's direction.
    public struct Columns: Hashable, Sendable, Codable {
        /// The booking date (交易日期, 记账日期); a date-and-time column (交易时间) is read by its date.
        public var date: [String]
        /// The time of day, when apart from the date (kept in the entry's additional information).
        public var time: [String]
        /// The value date (起息日).
        public var valueDate: [String]
        /// Money out (借方发生额, 支出).
        public var debit: [String]
        /// Money in (贷方发生额, 收入).
        public var credit: [String]
        /// One amount column (交易金额, 发生额): signed, or with ``direction``.
        public var amount: [String]
        /// The debit/credit mark of ``amount`` (借贷标志).
        public var direction: [String]
        /// The running balance after the row (余额).
        public var balance: [String]
        /// The other party's name and account number, and its bank.
        public var counterpartyName: [String]
        public var counterpartyAccount: [String]
        public var counterpartyBank: [String]
        /// Payer and payee columns (付款人名称, 收款人名称) of exports that name both sides: the counterparty of a
        /// credit is the payer, of a debit the payee. Used only when ``counterpartyName`` is not found.
        public var payerName: [String]
        public var payerAccount: [String]
        public var payeeName: [String]
        public var payeeAccount: [String]
        /// Remittance text (摘要, 用途, 附言): *every* column found is kept, joined with `；` in this list's order.
        public var memo: [String]
        /// The bank's reference of the entry (交易流水号).
        public var serial: [String]
        /// The voucher or cheque number (凭证号), kept as the entry's customer reference.
        public var voucher: [String]
        /// The bank's transaction type (交易类型), kept as the entry's bank transaction code.
        public var transactionType: [String]
        /// The own account number repeated in each row (本方账号).
        public var account: [String]
        /// The currency repeated in each row (币种).
        public var currency: [String]

        /// Creates the synonyms; a field left out is not looked for.
        public init(date: [String], time: [String] = [], valueDate: [String] = [], debit: [String] = [],
                    credit: [String] = [], amount: [String] = [], direction: [String] = [], balance: [String] = [],
                    counterpartyName: [String] = [], counterpartyAccount: [String] = [],
                    counterpartyBank: [String] = [], payerName: [String] = [], payerAccount: [String] = [],
                    payeeName: [String] = [], payeeAccount: [String] = [], memo: [String] = [],
                    serial: [String] = [], voucher: [String] = [], transactionType: [String] = [],
                    account: [String] = [], currency: [String] = []) {
            self.date = date
            self.time = time
            self.valueDate = valueDate
            self.debit = debit
            self.credit = credit
            self.amount = amount
            self.direction = direction
            self.balance = balance
            self.counterpartyName = counterpartyName
            self.counterpartyAccount = counterpartyAccount
            self.counterpartyBank = counterpartyBank
            self.payerName = payerName
            self.payerAccount = payerAccount
            self.payeeName = payeeName
            self.payeeAccount = payeeAccount
            self.memo = memo
            self.serial = serial
            self.voucher = voucher
            self.transactionType = transactionType
            self.account = account
            self.currency = currency
        }

        private enum CodingKeys: String, CodingKey {
            case date, time, valueDate, debit, credit, amount, direction, balance, counterpartyName
            case counterpartyAccount, counterpartyBank, payerName, payerAccount, payeeName, payeeAccount, memo, serial
            case voucher, transactionType, account, currency
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func list(_ key: CodingKeys) throws -> [String] {
                try container.decodeIfPresent([String].self, forKey: key) ?? []
            }
            self.init(date: try list(.date), time: try list(.time), valueDate: try list(.valueDate),
                      debit: try list(.debit), credit: try list(.credit), amount: try list(.amount),
                      direction: try list(.direction), balance: try list(.balance),
                      counterpartyName: try list(.counterpartyName),
                      counterpartyAccount: try list(.counterpartyAccount),
                      counterpartyBank: try list(.counterpartyBank), payerName: try list(.payerName),
                      payerAccount: try list(.payerAccount), payeeName: try list(.payeeName),
                      payeeAccount: try list(.payeeAccount), memo: try list(.memo), serial: try list(.serial),
                      voucher: try list(.voucher), transactionType: try list(.transactionType),
                      account: try list(.account), currency: try list(.currency))
        }

        /// Every list, named as in JSON, for checks and for merging profiles.
        var all: [(name: String, synonyms: [String])] {
            [("date", date), ("time", time), ("valueDate", valueDate), ("debit", debit), ("credit", credit),
             ("amount", amount), ("direction", direction), ("balance", balance), ("counterpartyName", counterpartyName),
             ("counterpartyAccount", counterpartyAccount), ("counterpartyBank", counterpartyBank),
             ("payerName", payerName), ("payerAccount", payerAccount), ("payeeName", payeeName),
             ("payeeAccount", payeeAccount), ("memo", memo), ("serial", serial), ("voucher", voucher),
             ("transactionType", transactionType), ("account", account), ("currency", currency)]
        }
    }

    /// The words of a direction column, compared after trimming (Latin letters in any case).
    public struct DirectionWords: Hashable, Sendable, Codable {
        public var debit: [String]
        public var credit: [String]

        public init(debit: [String], credit: [String]) {
            self.debit = debit
            self.credit = credit
        }
    }

    /// The labels of facts in the rows above the column header and below the entries. A fact is written
    /// `标签：值` or `标签:值` in one cell (several in one cell are told apart by their labels), or as a cell holding
    /// only the label followed by a cell holding the value.
    public struct TitleLabels: Hashable, Sendable, Codable {
        /// The account number (账号). A value that is not an account number (a name, a masked `6214****1234`) is
        /// passed over.
        public var account: [String]
        /// The account holder (户名), kept in the statement's additional information.
        public var holder: [String]
        /// The currency (币种), read through ``BankProfile/currencyNames``.
        public var currency: [String]
        /// The first and last day of the export (起始日期, 截止日期).
        public var periodStart: [String]
        public var periodEnd: [String]
        /// Both days in one value (`起止日期：2026-11-01 至 2026-11-30`); a single date under such a label (the day
        /// the query was made) is not a period and is passed over.
        public var period: [String]
        /// The balance before the first entry and after the last (期初余额, 期末余额).
        public var openingBalance: [String]
        public var closingBalance: [String]
        /// Control totals the bank states (借方合计, 贷方合计, 笔数): checked by
        /// ``BankStatement/validateBalances()``.
        public var debitTotal: [String]
        public var creditTotal: [String]
        public var debitCount: [String]
        public var creditCount: [String]
        public var entryCount: [String]

        /// Creates labels; a list left out gets its default from ``BankProfile/Defaults``.
        public init(account: [String] = Defaults.accountLabels, holder: [String] = Defaults.holderLabels,
                    currency: [String] = Defaults.currencyLabels, periodStart: [String] = Defaults.periodStartLabels,
                    periodEnd: [String] = Defaults.periodEndLabels, period: [String] = Defaults.periodLabels,
                    openingBalance: [String] = Defaults.openingBalanceLabels,
                    closingBalance: [String] = Defaults.closingBalanceLabels,
                    debitTotal: [String] = Defaults.debitTotalLabels,
                    creditTotal: [String] = Defaults.creditTotalLabels,
                    debitCount: [String] = Defaults.debitCountLabels,
                    creditCount: [String] = Defaults.creditCountLabels,
                    entryCount: [String] = Defaults.entryCountLabels) {
            self.account = account
            self.holder = holder
            self.currency = currency
            self.periodStart = periodStart
            self.periodEnd = periodEnd
            self.period = period
            self.openingBalance = openingBalance
            self.closingBalance = closingBalance
            self.debitTotal = debitTotal
            self.creditTotal = creditTotal
            self.debitCount = debitCount
            self.creditCount = creditCount
            self.entryCount = entryCount
        }

        private enum CodingKeys: String, CodingKey {
            case account, holder, currency, periodStart, periodEnd, period, openingBalance, closingBalance
            case debitTotal, creditTotal, debitCount, creditCount, entryCount
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func list(_ key: CodingKeys, _ fallback: [String]) throws -> [String] {
                try container.decodeIfPresent([String].self, forKey: key) ?? fallback
            }
            self.init(account: try list(.account, Defaults.accountLabels),
                      holder: try list(.holder, Defaults.holderLabels),
                      currency: try list(.currency, Defaults.currencyLabels),
                      periodStart: try list(.periodStart, Defaults.periodStartLabels),
                      periodEnd: try list(.periodEnd, Defaults.periodEndLabels),
                      period: try list(.period, Defaults.periodLabels),
                      openingBalance: try list(.openingBalance, Defaults.openingBalanceLabels),
                      closingBalance: try list(.closingBalance, Defaults.closingBalanceLabels),
                      debitTotal: try list(.debitTotal, Defaults.debitTotalLabels),
                      creditTotal: try list(.creditTotal, Defaults.creditTotalLabels),
                      debitCount: try list(.debitCount, Defaults.debitCountLabels),
                      creditCount: try list(.creditCount, Defaults.creditCountLabels),
                      entryCount: try list(.entryCount, Defaults.entryCountLabels))
        }

        /// Every list with its kind, in the order labels are matched.
        var all: [(kind: TitleFactKind, labels: [String])] {
            [(.account, account), (.holder, holder), (.currency, currency), (.periodStart, periodStart),
             (.periodEnd, periodEnd), (.period, period), (.openingBalance, openingBalance),
             (.closingBalance, closingBalance), (.debitTotal, debitTotal), (.creditTotal, creditTotal),
             (.debitCount, debitCount), (.creditCount, creditCount), (.entryCount, entryCount)]
        }
    }

    /// What a profile file leaves out. Shared by the built-in profiles, so a change here changes them all.
    public enum Defaults {
        public static let encodings: [BankTextEncoding] = [.utf8, .gb18030]
        public static let separators = [",", "\t"]
        public static let directionWords = DirectionWords(
            debit: ["借", "借方", "借记", "支出", "支", "付", "出", "D", "DR", "Debit"],
            credit: ["贷", "贷方", "贷记", "收入", "收", "存", "进", "C", "CR", "Credit"])
        public static let dateFormats = ["yyyy-MM-dd", "yyyyMMdd", "yyyy/MM/dd", "yyyy年MM月dd日", "yyyy.MM.dd",
                                         "yyyy-M-d", "yyyy/M/d", "yyyy年M月d日"]
        public static let footerPrefixes = ["合计", "总计", "小计", "本页", "共计", "笔数", "总笔数", "借方", "贷方",
                                            "收入合计", "支出合计", "打印", "制表", "经办", "复核", "说明", "注：",
                                            "注:", "温馨提示", "以上", "期末余额", "期初余额", "查询", "导出"]
        public static let currencyNames = ["人民币": "CNY", "人民币元": "CNY", "RMB": "CNY", "156": "CNY",
                                           "美元": "USD", "港币": "HKD", "港元": "HKD", "欧元": "EUR", "日元": "JPY",
                                           "英镑": "GBP"]
        public static let accountLabels = ["账号", "账户", "账户号", "账户号码", "查询账号", "单位账号", "客户账号",
                                           "本方账号", "卡号"]
        public static let holderLabels = ["户名", "账户名称", "账户名", "单位名称", "客户名称"]
        public static let currencyLabels = ["币种", "币别", "货币"]
        public static let periodStartLabels = ["起始日期", "开始日期", "查询起始日期", "起始日"]
        public static let periodEndLabels = ["截止日期", "终止日期", "结束日期", "查询截止日期", "截止日"]
        public static let periodLabels = ["起止日期", "查询日期", "查询期间", "查询区间", "交易日期", "日期范围",
                                          "交易期间"]
        public static let openingBalanceLabels = ["期初余额", "上日余额", "上期余额", "承前余额"]
        public static let closingBalanceLabels = ["期末余额", "本期余额", "截止余额"]
        public static let debitTotalLabels = ["借方合计", "支出合计", "借方发生额合计", "借方发生总额", "支出总额"]
        public static let creditTotalLabels = ["贷方合计", "收入合计", "贷方发生额合计", "贷方发生总额", "收入总额"]
        public static let debitCountLabels = ["借方笔数", "支出笔数"]
        public static let creditCountLabels = ["贷方笔数", "收入笔数"]
        public static let entryCountLabels = ["笔数", "总笔数", "合计笔数", "交易笔数", "记录数", "总记录数"]
    }
}

/// The kinds of fact in the title and footer rows.
enum TitleFactKind: String, Hashable, Sendable {
    case account, holder, currency, periodStart, periodEnd, period, openingBalance, closingBalance
    case debitTotal, creditTotal, debitCount, creditCount, entryCount
}

// MARK: - Loading and checking

extension BankProfile {
    /// Bytes of a profile file: a profile is a page of synonyms, never megabytes.
    public static let fileBytesMax = 1024 * 1024

    /// Decodes a profile from JSON (a county's file beside the built-in ``BankProfiles``) and checks it
    /// (``validate()``).
    /// - Throws: ``BankProfileError`` naming what is wrong.
    public static func load(_ data: Data) throws(BankProfileError) -> BankProfile {
        guard data.count <= fileBytesMax else {
            throw BankProfileError(profileID: nil, reason: "the file is \(data.count) bytes, over the limit of "
                                   + "\(fileBytesMax) bytes")
        }
        let profile: BankProfile
        do {
            profile = try JSONDecoder().decode(BankProfile.self, from: data)
        } catch let error as DecodingError {
            throw BankProfileError(profileID: nil, reason: Self.sentence(for: error))
        } catch {
            throw BankProfileError(profileID: nil, reason: "the file is not JSON of a bank profile")
        }
        try profile.validate()
        return profile
    }

    /// Checks what JSON decoding cannot: names present, patterns valid, codes real.
    /// - Throws: the first problem as ``BankProfileError``.
    public func validate() throws(BankProfileError) {
        func fail(_ reason: String) -> BankProfileError { BankProfileError(profileID: id, reason: reason) }
        guard !id.isEmpty, id.utf8.count <= 40,
              id.unicodeScalars.allSatisfy({ $0.isASCII && ($0 == "-" || $0 == "_" || $0.properties.isAlphabetic
                                                            || ("0"..."9").contains($0)) }) else {
            throw fail("the id must be 1 to 40 ASCII letters, digits, '-' or '_'")
        }
        guard !name.isEmpty else { throw fail("the name is empty") }
        guard !encodings.isEmpty else { throw fail("encodings lists no encoding") }
        guard !separators.isEmpty, separators.allSatisfy({ $0.count == 1 && $0 != "\"" && $0 != "\n" && $0 != "\r" })
        else { throw fail("separators must be single characters other than a quote or a line break") }
        for (field, synonyms) in columns.all where synonyms.contains(where: { Self.normalizedName($0).isEmpty }) {
            throw fail("columns.\(field) holds an empty name")
        }
        guard !columns.date.isEmpty else { throw fail("columns.date is empty: the date column must be named") }
        guard (!columns.debit.isEmpty && !columns.credit.isEmpty) || !columns.amount.isEmpty else {
            throw fail("name either columns.debit and columns.credit, or columns.amount")
        }
        guard !columns.balance.isEmpty
            || (!titleLabels.openingBalance.isEmpty && !titleLabels.closingBalance.isEmpty) else {
            throw fail("name columns.balance, or the opening and closing balance labels")
        }
        if !columns.direction.isEmpty {
            let debit = Set(directionWords.debit.map(Self.normalizedWord))
            let credit = Set(directionWords.credit.map(Self.normalizedWord))
            guard !debit.isEmpty, !credit.isEmpty, !debit.contains(""), !credit.contains("") else {
                throw fail("directionWords needs debit and credit words when columns.direction is named")
            }
            guard debit.isDisjoint(with: credit) else { throw fail("a direction word is both debit and credit") }
        }
        guard !dateFormats.isEmpty else { throw fail("dateFormats lists no pattern") }
        for format in dateFormats where DatePattern(format) == nil {
            throw fail("the date pattern \(format) must hold yyyy, MM or M, and dd or d once each")
        }
        for (name, code) in currencyNames where CurrencyCodeText.isValid(code) == false || name.isEmpty {
            throw fail("currencyNames maps \(name) to \(code), which is not a three-letter ISO 4217 code")
        }
        if let defaultCurrency, !CurrencyCodeText.isValid(defaultCurrency) {
            throw fail("defaultCurrency \(defaultCurrency) is not a three-letter ISO 4217 code")
        }
    }

    private static func sentence(for error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let place = path(context)
            return "\(key.stringValue) is missing" + (place == "the top level" ? "" : " in \(place)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) has the wrong type: \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "the file is not valid JSON of a bank profile at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "the file is not JSON of a bank profile"
        }
    }
}

/// Why a bank profile file was refused.
public struct BankProfileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The profile's id when it was read that far.
    public var profileID: String?
    /// One sentence for the person who wrote the profile.
    public var reason: String

    public init(profileID: String?, reason: String) {
        self.profileID = profileID
        self.reason = reason
    }

    public var description: String { "bank profile" + (profileID.map { " \($0)" } ?? "") + ": \(reason)" }
}

// MARK: - Names and patterns

extension BankProfile {
    /// A column header or label as compared: no white space (U+3000 included), full-width `（）：` as `():`, `帐`
    /// as `账` (banks write both), no trailing colon or `*`, ASCII letters lower-case.
    public static func normalizedName(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "（": result.append("(")
            case "）": result.append(")")
            case "：": result.append(":")
            case "帐": result.append("账")
            case "【": result.append("[")
            case "】": result.append("]")
            default:
                if character.isWhitespace || character == "\u{FEFF}" { continue }
                result.append(character.isASCII ? Character(character.lowercased()) : character)
            }
        }
        while let last = result.last, last == ":" || last == "*" { result.removeLast() }
        while let first = result.first, first == "*" { result.removeFirst() }
        return result
    }

    /// ``normalizedName(_:)`` without a trailing bracketed note: `借方发生额(支取)` → `借方发生额`; `nil` when
    /// there is none (or nothing would be left).
    static func nameWithoutNote(_ normalized: String) -> String? {
        guard normalized.hasSuffix(")"), let open = normalized.lastIndex(of: "("),
              open > normalized.startIndex else { return nil }
        return String(normalized[..<open])
    }

    /// A direction word as compared: trimmed, ASCII letters lower-case.
    static func normalizedWord(_ text: String) -> String {
        normalizedName(text)
    }
}

/// A compiled date pattern of ``BankProfile/dateFormats``.
struct DatePattern: Hashable, Sendable {
    enum Token: Hashable, Sendable {
        case year
        case month(exact: Bool)
        case day(exact: Bool)
        case literal(Character)
    }

    let tokens: [Token]

    /// `nil` unless the pattern holds exactly one year (`yyyy`), one month (`MM`, `M`) and one day (`dd`, `d`).
    init?(_ pattern: String) {
        var tokens: [Token] = []
        var rest = Substring(pattern)
        while let first = rest.first {
            if rest.hasPrefix("yyyy") { tokens.append(.year); rest = rest.dropFirst(4) }
            else if rest.hasPrefix("MM") { tokens.append(.month(exact: true)); rest = rest.dropFirst(2) }
            else if rest.hasPrefix("dd") { tokens.append(.day(exact: true)); rest = rest.dropFirst(2) }
            else if first == "M" { tokens.append(.month(exact: false)); rest = rest.dropFirst() }
            else if first == "d" { tokens.append(.day(exact: false)); rest = rest.dropFirst() }
            else if first == "y" { return nil }
            else { tokens.append(.literal(first)); rest = rest.dropFirst() }
        }
        let years = tokens.filter { $0 == .year }.count
        let months = tokens.filter { if case .month = $0 { true } else { false } }.count
        let days = tokens.filter { if case .day = $0 { true } else { false } }.count
        guard years == 1, months == 1, days == 1 else { return nil }
        self.tokens = tokens
    }

    /// The `YYYY-MM-DD` text of `text` when it matches the whole pattern (the calendar check is the caller's).
    func match(_ text: Substring) -> (year: Int, month: Int, day: Int)? {
        var rest = text
        var year = 0, month = 0, day = 0
        func digits(_ minimum: Int, _ maximum: Int) -> Int? {
            let run = rest.prefix(maximum).prefix { $0.isASCIIDigitCharacter }
            guard run.count >= minimum else { return nil }
            rest = rest.dropFirst(run.count)
            return Int(run)
        }
        for token in tokens {
            switch token {
            case .year: guard let value = digits(4, 4) else { return nil }; year = value
            case .month(let exact): guard let value = digits(exact ? 2 : 1, 2) else { return nil }; month = value
            case .day(let exact): guard let value = digits(exact ? 2 : 1, 2) else { return nil }; day = value
            case .literal(let character): guard rest.first == character else { return nil }; rest = rest.dropFirst()
            }
        }
        return rest.isEmpty ? (year, month, day) : nil
    }
}

/// ISO 4217 code text checks without `LedgerCore.CurrencyCode`'s failable init at every call site.
enum CurrencyCodeText {
    static func isValid(_ text: String) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }
    }
}
