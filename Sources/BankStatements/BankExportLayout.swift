/// Which column holds which field, found by the header row's names.
struct BankExportLayout {
    /// How a row's amount and direction are read (``BankProfile/Columns``).
    enum AmountColumns {
        case debitCredit(debit: Int, credit: Int)
        case directed(amount: Int, direction: Int)
        case signed(amount: Int)
    }

    enum Field: CaseIterable {
        case date, valueDate, time, debit, credit, amount, direction, balance, account, currency
        case counterpartyName, counterpartyAccount, counterpartyBank, payerName, payerAccount, payeeName, payeeAccount
        case serial, voucher, transactionType

        func synonyms(_ columns: BankProfile.Columns) -> [String] {
            switch self {
            case .date: columns.date
            case .valueDate: columns.valueDate
            case .time: columns.time
            case .debit: columns.debit
            case .credit: columns.credit
            case .amount: columns.amount
            case .direction: columns.direction
            case .balance: columns.balance
            case .account: columns.account
            case .currency: columns.currency
            case .counterpartyName: columns.counterpartyName
            case .counterpartyAccount: columns.counterpartyAccount
            case .counterpartyBank: columns.counterpartyBank
            case .payerName: columns.payerName
            case .payerAccount: columns.payerAccount
            case .payeeName: columns.payeeName
            case .payeeAccount: columns.payeeAccount
            case .serial: columns.serial
            case .voucher: columns.voucher
            case .transactionType: columns.transactionType
            }
        }
    }

    /// The header cells as written, to name columns in errors (a column name is the bank's word, not its data).
    let names: [String]
    /// The header cells normalized, to recognise a header row repeated on every page.
    let keys: [String]
    private var columns: [Field: Int] = [:]
    /// Fields whose name is in more than one header cell.
    private var repeated: Set<Field> = []
    let amountColumns: AmountColumns
    /// The memo columns in the profile's order.
    let memo: [Int]

    /// `nil` unless `header` names the date column and an amount column.
    init?(header: [String], profile: BankProfile) {
        let exact = header.map(BankProfile.normalizedName)
        let plain = exact.map { BankProfile.nameWithoutNote($0) ?? $0 }
        var taken = Set<Int>()
        var columns: [Field: Int] = [:]
        var repeated: Set<Field> = []
        for keys in [exact, plain] {
            for field in Field.allCases where columns[field] == nil {
                for synonym in field.synonyms(profile.columns).map(BankProfile.normalizedName) {
                    let hits = keys.indices.filter { !taken.contains($0) && keys[$0] == synonym }
                    guard let first = hits.first else { continue }
                    columns[field] = first
                    taken.insert(first)
                    if hits.count > 1 { repeated.insert(field) }
                    break
                }
            }
        }
        var memo: [Int] = []
        for keys in [exact, plain] {
            for synonym in profile.columns.memo.map(BankProfile.normalizedName) {
                for index in keys.indices where !taken.contains(index) && keys[index] == synonym {
                    memo.append(index)
                    taken.insert(index)
                }
            }
        }
        guard columns[.date] != nil else { return nil }
        if let debit = columns[.debit], let credit = columns[.credit] {
            amountColumns = .debitCredit(debit: debit, credit: credit)
        } else if let amount = columns[.amount], let direction = columns[.direction] {
            amountColumns = .directed(amount: amount, direction: direction)
        } else if let amount = columns[.amount] {
            amountColumns = .signed(amount: amount)
        } else {
            return nil
        }
        self.names = header
        self.keys = exact
        self.columns = columns
        self.repeated = repeated
        self.memo = memo
    }

    subscript(_ field: Field) -> Int? { columns[field] }

    var date: Int { columns[.date] ?? 0 }

    func name(_ index: Int) -> String { index < names.count ? names[index] : "column \(index + 1)" }

    /// The fields this export's amounts are read from, which must each be in one column only.
    var usedFields: [Field] {
        var fields: [Field] = [.date, .balance, .valueDate, .account, .currency]
        switch amountColumns {
        case .debitCredit: fields += [.debit, .credit]
        case .directed: fields += [.amount, .direction]
        case .signed: fields += [.amount]
        }
        return fields
    }

    /// The first used field whose name is in two header cells: reading either would be a guess.
    var ambiguousField: Field? { usedFields.first { repeated.contains($0) } }
}
