import Foundation

/// The built-in ``BankProfile``s, one per bank, as JSON in the same shape a county's own profile file has
/// (``BankProfile/load(_:)``), so a built-in one can be copied out, adjusted and loaded instead.
///
/// Each bank's layout is written from what is publicly known of its online banking's statement export; none was
/// checked against a real export file of that bank by this project, and each says so in its `verification`
/// (``BankProfile/verification``), so every statement read through one carries that warning. ``generic`` maps columns by their names alone,
/// with every bank's synonyms (and a few more), for local banks and for layouts the others miss.
///
/// ```swift
/// let profile = BankProfiles.profile(id: "ccb") ?? BankProfiles.generic
/// let statement = try BankExportParser.parse(data, profile: profile, account: "34050145860800001234")
/// ```
public enum BankProfiles {
    /// Every built-in profile, ``generic`` last.
    public static let all: [BankProfile] = [icbc, ccb, abc, boc, bocom, cmb, generic]

    /// The built-in profile with `id` (`icbc`, `ccb`, `abc`, `boc`, `bocom`, `cmb`, `generic`).
    public static func profile(id: String) -> BankProfile? { all.first { $0.id == id } }

    /// 中国工商银行 (icbc): ICBC's corporate online banking 账户明细查询 and personal 历史明细 CSV exports (GBK/GB18030): 交易时间
    /// holds the date and the time, 借方发生额/贷方发生额 in two columns beside a 借/贷 mark, 本方账号 repeated in
    /// each row (often as Excel's `="…"` text marker); the personal export has 记账金额(收入)/记账金额(支出).
    ///
    /// The layout is as we understand the bank's export; adjust by a profile file (``BankProfile/load(_:)``).
    public static let icbc = builtIn(icbcJSON)

    /// 中国建设银行 (ccb): CCB's corporate 账户交易明细 export: 交易时间 (date and time) and 记账日期 (the booking date, preferred),
    /// 借方发生额（支取）/贷方发生额（收入）, the currency in each row, the reference as 账户明细编号-交易流水号.
    ///
    /// The layout is as we understand the bank's export; adjust by a profile file (``BankProfile/load(_:)``).
    public static let ccb = builtIn(ccbJSON)

    /// 中国农业银行 (abc): ABC's 账户明细 export: 收入金额/支出金额, the balance as 本次余额, 交易用途 and 交易摘要 as the memo, and
    /// footer rows 收入合计/支出合计.
    ///
    /// The layout is as we understand the bank's export; adjust by a profile file (``BankProfile/load(_:)``).
    public static let abc = builtIn(abcJSON)

    /// 中国银行 (boc): BOC's 交易明细 export: one signed 交易金额 (negative: money out) and 交易后余额, payer and payee columns
    /// (the counterparty of a credit is the payer, of a debit the payee), newest rows first.
    ///
    /// The layout is as we understand the bank's export; adjust by a profile file (``BankProfile/load(_:)``).
    public static let boc = builtIn(bocJSON)

    /// 交通银行 (bocom): Bank of Communications' corporate 账户明细查询 export: 发生额 with a 借贷标志 column (借/贷), or
    /// 借方发生额/贷方发生额 in two columns.
    ///
    /// The layout is as we understand the bank's export; adjust by a profile file (``BankProfile/load(_:)``).
    public static let bocom = builtIn(bocomJSON)

    /// 招商银行 (cmb): China Merchants Bank's export as tab-separated TXT or CSV: 交易日 (`20261102`) and 交易时间 apart, 收入/支出
    /// or 借方金额/贷方金额, the counterparty as 收/付方名称 and 收/付方帐号.
    ///
    /// The layout is as we understand the bank's export; adjust by a profile file (``BankProfile/load(_:)``).
    public static let cmb = builtIn(cmbJSON)

    /// Columns found by their header names alone, with every built-in bank's synonyms and more: for local banks
    /// (农商银行, 城商银行) and for exports the bank profiles miss. It prefers the booking date (记账日期) to a
    /// date-and-time column, and separate debit and credit columns to one amount column.
    ///
    /// The layout is as we understand Chinese banks' exports in general; adjust by a profile file
    /// (``BankProfile/load(_:)``).
    public static let generic = builtIn(genericJSON)

    /// Decodes a built-in profile; one that does not decode is a defect of this file, caught by its tests.
    private static func builtIn(_ json: String) -> BankProfile {
        do {
            return try BankProfile.load(Data(json.utf8))
        } catch {
            preconditionFailure("a built-in bank profile is invalid: \(error)")
        }
    }
}

// The profiles' JSON. Left out of each: the defaults of `BankProfile.Defaults` (date formats, footer prefixes,
// title labels, direction words, currency names, CNY as the default currency).
extension BankProfiles {
    static let icbcJSON = #"""
{
  "id": "icbc",
  "name": "中国工商银行",
  "verification": "unverified against a real export: written from the bank's published export layout",
  "encodings": ["utf-8", "gb18030"],
  "columns": {
    "date": ["交易日期", "入账日期", "交易时间"],
    "time": ["交易时间"],
    "valueDate": ["起息日"],
    "debit": ["借方发生额", "记账金额(支出)", "支出"],
    "credit": ["贷方发生额", "记账金额(收入)", "收入"],
    "amount": ["发生额", "交易金额"],
    "direction": ["借/贷", "借贷标志"],
    "balance": ["余额", "账户余额"],
    "counterpartyName": ["对方单位名称", "对方户名", "对方账户名称"],
    "counterpartyAccount": ["对方账号", "对方账户"],
    "counterpartyBank": ["对方行名", "对方开户行", "对方行号"],
    "memo": ["摘要", "用途", "附言", "个性化信息"],
    "serial": ["交易流水号", "流水号"],
    "voucher": ["凭证号"],
    "transactionType": ["交易类型"],
    "account": ["本方账号"],
    "currency": ["币种", "记账币种"]
  }
}
"""#

    static let ccbJSON = #"""
{
  "id": "ccb",
  "name": "中国建设银行",
  "verification": "unverified against a real export: written from the bank's published export layout",
  "encodings": ["utf-8", "gb18030"],
  "columns": {
    "date": ["记账日期", "交易日期", "交易时间"],
    "time": ["交易时间"],
    "valueDate": ["起息日期", "起息日"],
    "debit": ["借方发生额", "借方发生额(支取)", "支出金额"],
    "credit": ["贷方发生额", "贷方发生额(收入)", "收入金额"],
    "amount": ["交易金额"],
    "balance": ["余额", "账户余额"],
    "counterpartyName": ["对方户名", "对方账户名称"],
    "counterpartyAccount": ["对方账号"],
    "counterpartyBank": ["对方开户机构", "对方开户行"],
    "memo": ["摘要", "备注", "用途"],
    "serial": ["账户明细编号-交易流水号", "交易流水号", "流水号"],
    "voucher": ["凭证号"],
    "transactionType": ["交易类型"],
    "account": ["账号"],
    "currency": ["币种"]
  }
}
"""#

    static let abcJSON = #"""
{
  "id": "abc",
  "name": "中国农业银行",
  "verification": "unverified against a real export: written from the bank's published export layout",
  "encodings": ["utf-8", "gb18030"],
  "columns": {
    "date": ["交易日期", "交易时间"],
    "time": ["交易时间"],
    "debit": ["支出金额", "支出"],
    "credit": ["收入金额", "收入"],
    "amount": ["交易金额"],
    "balance": ["本次余额", "账户余额", "余额"],
    "counterpartyName": ["对方户名", "对方账户名称"],
    "counterpartyAccount": ["对方账号"],
    "counterpartyBank": ["对方开户行"],
    "memo": ["交易用途", "交易摘要", "交易附言", "摘要", "用途"],
    "serial": ["交易流水号", "流水号"],
    "voucher": ["凭证号"],
    "transactionType": ["交易类型", "交易方式"],
    "currency": ["币种"]
  }
}
"""#

    static let bocJSON = #"""
{
  "id": "boc",
  "name": "中国银行",
  "verification": "unverified against a real export: written from the bank's published export layout",
  "encodings": ["utf-8", "gb18030"],
  "columns": {
    "date": ["交易日期", "交易时间"],
    "time": ["交易时间"],
    "valueDate": ["起息日期", "起息日"],
    "debit": ["借方金额", "支出金额"],
    "credit": ["贷方金额", "收入金额"],
    "amount": ["交易金额"],
    "direction": ["借贷标识", "借贷标志"],
    "balance": ["交易后余额", "余额", "账户余额"],
    "counterpartyName": ["对方户名", "对方账户名称"],
    "counterpartyAccount": ["对方账号"],
    "counterpartyBank": ["对方开户行名"],
    "payerName": ["付款人名称"],
    "payerAccount": ["付款人账号"],
    "payeeName": ["收款人名称"],
    "payeeAccount": ["收款人账号"],
    "memo": ["摘要", "用途", "交易附言", "备注"],
    "serial": ["交易流水号", "记录标识号"],
    "voucher": ["凭证号码", "凭证号"],
    "transactionType": ["交易类型", "业务类型"],
    "currency": ["交易货币", "币种"]
  }
}
"""#

    static let bocomJSON = #"""
{
  "id": "bocom",
  "name": "交通银行",
  "verification": "unverified against a real export: written from the bank's published export layout",
  "encodings": ["utf-8", "gb18030"],
  "columns": {
    "date": ["交易日期", "记账日期", "交易时间"],
    "time": ["交易时间"],
    "debit": ["借方发生额", "借方金额"],
    "credit": ["贷方发生额", "贷方金额"],
    "amount": ["发生额", "交易金额"],
    "direction": ["借贷标志", "借贷方向"],
    "balance": ["余额", "账户余额"],
    "counterpartyName": ["对方户名"],
    "counterpartyAccount": ["对方账号"],
    "counterpartyBank": ["对方开户行", "对方行名"],
    "memo": ["摘要", "附言", "用途", "备注"],
    "serial": ["交易流水号", "流水号"],
    "voucher": ["凭证号"],
    "transactionType": ["交易类型"],
    "currency": ["币种"]
  }
}
"""#

    static let cmbJSON = #"""
{
  "id": "cmb",
  "name": "招商银行",
  "verification": "unverified against a real export: written from the bank's published export layout",
  "encodings": ["utf-8", "gb18030"],
  "separators": ["\t", ","],
  "columns": {
    "date": ["交易日", "交易日期", "记账日期"],
    "time": ["交易时间"],
    "valueDate": ["起息日"],
    "debit": ["借方金额", "支出"],
    "credit": ["贷方金额", "收入"],
    "amount": ["交易金额"],
    "balance": ["余额", "联机余额"],
    "counterpartyName": ["收/付方名称", "对方户名"],
    "counterpartyAccount": ["收/付方账号", "对方账号"],
    "counterpartyBank": ["收/付方开户行名", "收/付方分行名"],
    "memo": ["摘要", "用途", "业务摘要", "其它摘要", "交易备注"],
    "serial": ["流水号", "业务参考号"],
    "voucher": ["凭证号"],
    "transactionType": ["交易类型", "业务名称"],
    "currency": ["币种"]
  }
}
"""#

    static let genericJSON = #"""
{
  "id": "generic",
  "name": "通用（按表头名称）",
  "verification": "unverified against a real export: column names gathered from the banks' published export layouts",
  "encodings": ["utf-8", "gb18030"],
  "columns": {
    "date": ["交易日期", "记账日期", "入账日期", "交易日", "日期", "交易时间"],
    "time": ["交易时间", "时间", "记账时间"],
    "valueDate": ["起息日", "起息日期", "计息日"],
    "debit": ["借方发生额", "借方金额", "支出金额", "支出", "记账金额(支出)", "借方发生额(支取)", "付款金额"],
    "credit": ["贷方发生额", "贷方金额", "收入金额", "收入", "记账金额(收入)", "贷方发生额(收入)", "收款金额"],
    "amount": ["交易金额", "发生额", "金额"],
    "direction": ["借贷标志", "借/贷", "借贷方向", "借贷标识", "借贷", "收支标志"],
    "balance": ["余额", "账户余额", "交易后余额", "本次余额", "联机余额"],
    "counterpartyName": ["对方户名", "对方账户名称", "对方单位名称", "对方名称", "收/付方名称"],
    "counterpartyAccount": ["对方账号", "对方账户", "收/付方账号", "对方卡号"],
    "counterpartyBank": ["对方开户行", "对方开户机构", "对方行名", "对方开户行名", "收/付方开户行名", "收/付方分行名", "对方行号"],
    "payerName": ["付款人名称", "付款人户名"],
    "payerAccount": ["付款人账号"],
    "payeeName": ["收款人名称", "收款人户名"],
    "payeeAccount": ["收款人账号"],
    "memo": ["摘要", "用途", "附言", "交易用途", "交易摘要", "交易附言", "备注", "交易备注", "业务摘要", "其它摘要", "个性化信息"],
    "serial": ["交易流水号", "流水号", "账户明细编号-交易流水号", "业务参考号", "记录标识号", "交易参考号"],
    "voucher": ["凭证号", "凭证号码", "票据号", "支票号"],
    "transactionType": ["交易类型", "业务类型", "交易方式", "业务名称"],
    "account": ["本方账号", "账号"],
    "currency": ["币种", "记账币种", "交易货币", "货币"]
  }
}
"""#
}
