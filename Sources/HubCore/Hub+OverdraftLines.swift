import LedgerCore
import ReplicaStore

/// A unit's overdraft position on a day, as `hub overdrafts` lists it.
public struct OverdraftPosition: Equatable, Sendable, Codable {
    public var org: String
    public var limitMinorUnits: Int64
    public var termDays: Int
    public var suspended: Bool
    /// The overdrafts of its basic and general accounts in the window looked at (each is its own record, D3).
    public var occurrences: [OverdraftOccurrence]
    /// True when this run wrote the suspension into the registry (pushed down with the next export).
    public var suspendedNow: Bool
}

extension Hub {
    /// Sets the group's comprehensive credit line and the share of it all units' overdraft lines may use together
    /// (DECISIONS.md: 30 % is a cap on all lines together). Refused if the lines already granted exceed the new cap.
    /// Only the fund-centre manager or the deputy general manager may.
    public func setGroupCreditLine(_ amount: AmountMinorUnits, share: AnnualRate = OverdraftLine.defaultShare, from: BusinessDate,
                                   by staff: String) throws {
        guard amount.value >= 0, (0...1_000_000).contains(share.partsPerMillion) else {
            throw RegistryError(.invalidValue, "a credit line is zero or more, and its share at most 100%")
        }
        try write { transaction, _ in
            try requireRegistryAuthority(staff, [.fundCentreManager, .deputyGeneralManager], to: "set the group's credit line", in: transaction)
            let cap = OverdraftLine.cap(creditLine: amount, share: share)
            let granted = try grantedLines(on: from, except: nil, in: transaction)
            guard granted.value <= cap.value else {
                throw RegistryError(.notPermitted, "the units' overdraft lines already total \(granted), above \(share) of \(amount) (\(cap)): reduce them first")
            }
            try writeParameter("group_credit_line", amount.description, from: from, in: transaction)
            try writeParameter("overdraft_line_share", share.description, from: from, in: transaction)
        }
    }

    /// Grants (or changes) a unit's overdraft line and term from `from`, within the cap on all lines together. A grant
    /// also lifts a suspension: the fund-centre manager decided the unit may overdraw again.
    public func setOverdraftLine(_ branch: OrgCode, limit: AmountMinorUnits, termDays: Int, from: BusinessDate, by staff: String) throws {
        guard limit.value >= 0, (1...365).contains(termDays) else {
            throw RegistryError(.invalidValue, "a line is zero or more, and its term 1 to 365 days")
        }
        guard branch != org else { throw RegistryError(.notPermitted, "the group's primary accounts never overdraw (D3): the hub has no line") }
        try write { transaction, _ in
            try requireRegistryAuthority(staff, [.fundCentreManager, .deputyGeneralManager], to: "grant overdraft lines", in: transaction)
            guard try transaction.orgUnit(branch) != nil else { throw RegistryError(.notFound, "org \(branch) is not in the registry") }
            guard let creditText = try transaction.parameter("group_credit_line", asOf: from) else {
                throw RegistryError(.notPermitted, "no group credit line is registered on \(from) ('hub credit-line'): lines are a share of it")
            }
            let credit = try AmountMinorUnits.parsing(creditText, scale: 2)
            let share = try transaction.parameter("overdraft_line_share", asOf: from).flatMap { AnnualRate(percent: $0) } ?? OverdraftLine.defaultShare
            let cap = OverdraftLine.cap(creditLine: credit, share: share)
            let total = try grantedLines(on: from, except: branch, in: transaction).adding(limit)
            guard total.value <= cap.value else {
                throw RegistryError(.notPermitted, "all units' lines would total \(total), above \(share) of the group's credit line \(credit) (\(cap))")
            }
            try writeParameter("overdraft_line.\(branch)", limit.description, from: from, in: transaction)
            try writeParameter("overdraft_term_days.\(branch)", String(termDays), from: from, in: transaction)
            try writeParameter("overdraft_suspended.\(branch)", "no", from: from, in: transaction)
        }
    }

    /// Every unit's overdrafts over the `window` days through `date`, and suspends at once (from `date`, pushed down as
    /// a registry change) the line of any unit with an overdraft past its term. Run daily by the treasury officer; the
    /// payment controls already treat such a line as suspended before this writes it.
    @discardableResult
    public func reviewOverdrafts(asOf date: BusinessDate, window: Int = 31, suspend: Bool) throws -> [OverdraftPosition] {
        guard (1...366).contains(window) else { throw RegistryError(.invalidValue, "look back 1 to 366 days, not \(window)") }
        return try write { transaction, _ in
            let from = BusinessDate.fromDaysSinceEpoch(date.daysSinceEpoch - max(1, window) + 1)
            var positions: [OverdraftPosition] = []
            for unit in try transaction.orgUnits() where unit.code != org {
                let line = try transaction.overdraftLine(unit.code, on: date)
                let occurrences = try transaction.overdraftOccurrences(unit.code, from: from, through: date, termDays: line.termDays)
                let written = try transaction.parameter("overdraft_suspended.\(unit.code)", asOf: date) == "yes"
                guard line.limit.value > 0 || !occurrences.isEmpty else { continue }
                let pastTerm = occurrences.contains { $0.pastTerm && $0.end == nil }
                var position = OverdraftPosition(org: unit.code.rawValue, limitMinorUnits: line.limit.value, termDays: line.termDays,
                                                 suspended: line.suspended, occurrences: occurrences, suspendedNow: false)
                if suspend, pastTerm, line.limit.value > 0, !written {
                    try writeParameter("overdraft_suspended.\(unit.code)", "yes", from: date, in: transaction)
                    position.suspendedNow = true
                }
                positions.append(position)
            }
            return positions
        }
    }

    /// The lines granted to every unit but `except`, in force on `date`.
    func grantedLines(on date: BusinessDate, except: OrgCode?, in transaction: ReplicaTransaction) throws -> AmountMinorUnits {
        var total = AmountMinorUnits.zero
        for unit in try transaction.orgUnits() where unit.code != except {
            guard let text = try transaction.parameter("overdraft_line.\(unit.code)", asOf: date) else { continue }
            total = try total.adding(try AmountMinorUnits.parsing(text, scale: 2))
        }
        return total
    }

    func writeParameter(_ name: String, _ value: String, from: BusinessDate, in transaction: ReplicaTransaction) throws {
        try transaction.appendLocal(table: .parameter, key: "\(name):\(from)", operation: .insert, fields: [
            "name": .text(name), "value": .text(value), "effective_from": .text(from.description),
        ])
    }
}
