#!/usr/bin/env python3
"""Writes the hand-made xlsx bank export fixtures of this folder: icbc-export.xlsx and boc-export.xlsx (see README.md).

Like make_china_fixtures.py, the rows below are the fixtures: written by hand for FundSync, not exports from any bank,
every account number, name and amount made up. This script lays them out as each workbook is described in the README
and packs them with Python's zipfile (fixed timestamps and order, so regenerating gives the same bytes), and it re-adds
every running balance in integer fen, failing if one was mistyped.

  icbc-export.xlsx  the icbc profile's layout with every text in the shared-strings table (t="s" cells, the title a
                    rich-text item), amounts and balances as numeric cells (88.5, not "88.50"), and 交易时间 as Excel
                    1900-system serial days (46357.38542824074 is 2026-12-01 09:15:01; the interest row a whole day),
                    styled with number formats as a spreadsheet program would write them; a merged title row; a 合计
                    row with numeric control sums, 笔数 and 打印时间 below the entries.
  boc-export.xlsx   the boc profile's layout as inline strings: one signed 交易金额 and 交易后余额 written as text with
                    thousands separators ("-8,765.40"), payer and payee columns, 交易货币 in every row, newest rows
                    first.

Run it from anywhere: python3 make_xlsx_fixtures.py
"""
import datetime
import io
import os
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))

# Every zip entry gets this time, so regeneration is byte-stable.
ZIP_TIME = (2027, 1, 4, 8, 0, 0)

# ---- the rows (hand-written; amounts in fen) -----------------------------------------------------------------------

ICBC_ACCOUNT = "1202021109007654321"
ICBC_OPENING = 345678910  # 3,456,789.10
ICBC_HEADER = ["凭证号", "本方账号", "对方账号", "交易时间", "借/贷", "借方发生额", "贷方发生额", "对方行号", "摘要", "用途",
               "对方单位名称", "余额", "个性化信息"]
# voucher, counterparty account, date and time (None: booked at the day's start), 借/贷, amount (fen), bank code,
# 摘要, 用途, counterparty, balance after the row (fen), 个性化信息
ICBC_ROWS = [
    ("", "1202020209000022222", (2026, 12, 1, 9, 15, 1), "贷", 60000000, "102361000021", "拨款", "12月预算指标下达",
     "合肥市某区财政局", 405678910, ""),
    ("00023456", "3400148600805009876", (2026, 12, 3, 10, 20, 30), "借", 4567890, "105361000023", "转账", "11月电费",
     "国网合肥供电公司", 401111020, "电费"),
    ("", "6222021202000054321", (2026, 12, 15, 14, 5, 0), "借", 250000, "102361000021", "代发", "培训费报销, 李四",
     "李四", 400861020, ""),
    ("", "", (2026, 12, 21, None, None, None), "贷", 123456, "", "结息", "第四季度利息", "", 400984476, ""),
]
ICBC_FIGURES = dict(account=ICBC_ACCOUNT, opening=ICBC_OPENING, closing=400984476, entries=4, debits=4817890,
                    credits=60123456, period=("2026-12-01", "2026-12-31"))

BOC_ACCOUNT = "177245678901"
BOC_OPENING = 25630040  # 256,300.40
BOC_HEADER = ["交易日期", "交易时间", "交易货币", "交易金额", "交易后余额", "付款人名称", "付款人账号", "收款人名称",
              "收款人账号", "交易流水号", "摘要", "用途"]
# Oldest first here; the workbook lists them newest first, as the bank does.
# date, time, signed amount (fen), balance after (fen), payer, payer account, payee, payee account, serial, 摘要, 用途
BOC_ROWS = [
    ("2026/12/02", "08:45:00", 12000000, 37630040, "某县财政局", "177240000001", "某县农业农村局", BOC_ACCOUNT,
     "BOC2026120200017", "拨款", "农机购置补贴"),
    ("2026/12/09", "10:10:10", -876540, 36753500, "某县农业农村局", BOC_ACCOUNT, "某县自来水公司", "177245550002",
     "BOC2026120900023", "代扣", "水费"),
    ("2026/12/16", "15:30:00", -123450, 36630050, "某县农业农村局", BOC_ACCOUNT, "某县印刷厂", "177246660003",
     "BOC2026121600005", "转账", "宣传资料印制"),
    ("2026/12/30", "11:00:00", 50000, 36680050, "某县物资公司", "177247770004", "某县农业农村局", BOC_ACCOUNT,
     "BOC2026123000031", "退款", "多付货款退回"),
]
BOC_FIGURES = dict(account=BOC_ACCOUNT, opening=BOC_OPENING, closing=36680050, entries=4, debits=999990,
                   credits=12050000, period=("2026-12-01", "2026-12-31"))


# ---- amounts and dates ---------------------------------------------------------------------------------------------

def number_text(fen):
    """A numeric cell's <v> as a program writing the shortest form gives it: 60000000 -> '600000', 4567890 ->
    '45678.9', 123456 -> '1234.56' (integer arithmetic, no float)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    if cents == 0:
        return "%s%d" % (sign, whole)
    return ("%s%d.%02d" % (sign, whole, cents)).rstrip("0")


def grouped_text(fen):
    """'-8,765.40': the amount as text with thousands separators."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return "%s%s.%02d" % (sign, "{:,}".format(whole), cents)


def excel_serial(parts):
    """(2026, 12, 1, 9, 15, 1) -> '46357.38542824074': Excel's 1900-system serial day (1899-12-30 is day 0 for every
    date from 1900-03-01 on) plus the time as a fraction of the day, as the shortest float text; a date without a
    time is the whole day number."""
    year, month, day, hour, minute, second = parts
    days = (datetime.date(year, month, day) - datetime.date(1899, 12, 30)).days
    if hour is None:
        return str(days)
    seconds = hour * 3600 + minute * 60 + second
    return repr(days + seconds / 86400)


def check_running_balance(name, opening, amounts_and_balances):
    """Each balance must be the previous one plus the row's signed amount (rows oldest first)."""
    balance = opening
    for amount, stated in amounts_and_balances:
        balance += amount
        assert balance == stated, "%s: %d + %d gives %d, the row says %d" % (name, balance - amount, amount, balance,
                                                                              stated)
    return balance


def check_figures(name, opening, signed_amounts, closing, figures):
    debits = sum(-amount for amount in signed_amounts if amount < 0)
    credits = sum(amount for amount in signed_amounts if amount > 0)
    found = dict(account=figures["account"], opening=opening, closing=closing, entries=len(signed_amounts),
                 debits=debits, credits=credits, period=figures["period"])
    assert found == figures, "%s: the rows give %s, the README figures are %s" % (name, found, figures)
    assert opening + credits - debits == closing, name


# ---- the package ---------------------------------------------------------------------------------------------------

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class SharedStrings:
    """The shared-strings table: each distinct text once, in order of first use."""

    def __init__(self):
        self.items = []  # the <si> bodies
        self.index = {}
        self.uses = 0

    def add(self, text, body=None):
        self.uses += 1
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(body or "<t%s>%s</t>" % (' xml:space="preserve"' if text != text.strip() else "",
                                                        escape(text)))
        return self.index[text]

    def xml(self):
        return (XML + '<sst xmlns="%s" count="%d" uniqueCount="%d">' % (MAIN, self.uses, len(self.items))
                + "".join("<si>%s</si>" % body for body in self.items) + "</sst>")


def cell(reference, value, strings, style=None):
    """A cell: ('s', text) shared string, ('inline', text) inline string, ('n', text) number, ('rich', text, body)."""
    s = ' s="%d"' % style if style else ""
    kind = value[0]
    if kind == "s":
        return '<c r="%s"%s t="s"><v>%d</v></c>' % (reference, s, strings.add(value[1]))
    if kind == "rich":
        return '<c r="%s"%s t="s"><v>%d</v></c>' % (reference, s, strings.add(value[1], value[2]))
    if kind == "inline":
        return '<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>' % (reference, s, escape(value[1]))
    if kind == "n":
        return '<c r="%s"%s><v>%s</v></c>' % (reference, s, value[1])
    raise ValueError(kind)


def sheet_xml(rows, strings, widths, merges=(), styles=None):
    """rows: [[value or None]] from row 1; styles: {column index: style} applied to numeric cells."""
    styles = styles or {}
    last_column = max(len(row) for row in rows) - 1
    body = []
    for number, values in enumerate(rows, start=1):
        cells = []
        for index, value in enumerate(values):
            if value is None or (value[0] != "n" and value[1] == ""):
                continue
            style = styles.get(index) if value[0] == "n" else None
            cells.append(cell("%s%d" % (column_letter(index), number), value, strings, style))
        if cells:
            body.append('<row r="%d" spans="1:%d">%s</row>' % (number, last_column + 1, "".join(cells)))
    cols = "".join('<col min="%d" max="%d" width="%s" customWidth="1"/>' % (i + 1, i + 1, w)
                   for i, w in enumerate(widths))
    merge = ("<mergeCells count=\"%d\">%s</mergeCells>" % (len(merges), "".join('<mergeCell ref="%s"/>' % m
                                                                                   for m in merges))
             if merges else "")
    return (XML + '<worksheet xmlns="%s" xmlns:r="%s">' % (MAIN, DOC_RELS)
            + '<dimension ref="A1:%s%d"/>' % (column_letter(last_column), len(rows))
            + '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
            + '<sheetFormatPr defaultRowHeight="15"/><cols>%s</cols>' % cols
            + "<sheetData>%s</sheetData>" % "".join(body) + merge
            + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')


# Number formats: 1 a date and time (custom format 164), 2 an amount (built-in 4, #,##0.00).
STYLES = (XML + '<styleSheet xmlns="%s">' % MAIN
          + '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>'
          + '<fonts count="2"><font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
          + '<font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font></fonts>'
          + '<fills count="2"><fill><patternFill patternType="none"/></fill>'
          + '<fill><patternFill patternType="gray125"/></fill></fills>'
          + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          + '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          + '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
          + '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          + '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def package(sheet_name, sheet, shared_strings=None, styles=None):
    """The workbook's bytes: the manifest, the package and workbook relationships, the workbook, its one sheet, and
    the shared strings and styles when given."""
    overrides = [("/xl/workbook.xml", SHEET_TYPE + ".sheet.main+xml"),
                 ("/xl/worksheets/sheet1.xml", SHEET_TYPE + ".worksheet+xml")]
    relationships = [("worksheet", "worksheets/sheet1.xml")]
    if styles:
        overrides.append(("/xl/styles.xml", SHEET_TYPE + ".styles+xml"))
        relationships.append(("styles", "styles.xml"))
    if shared_strings:
        overrides.append(("/xl/sharedStrings.xml", SHEET_TYPE + ".sharedStrings+xml"))
        relationships.append(("sharedStrings", "sharedStrings.xml"))
    parts = [
        ("[Content_Types].xml",
         XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         + '<Default Extension="xml" ContentType="application/xml"/>'
         + "".join('<Override PartName="%s" ContentType="%s"/>' % o for o in overrides) + "</Types>"),
        ("_rels/.rels",
         XML + '<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
         % (RELS, DOC_RELS) + "</Relationships>"),
        ("xl/workbook.xml",
         XML + '<workbook xmlns="%s" xmlns:r="%s"><bookViews><workbookView/></bookViews>' % (MAIN, DOC_RELS)
         + '<sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>' % escape(sheet_name)),
        ("xl/_rels/workbook.xml.rels",
         XML + '<Relationships xmlns="%s">' % RELS
         + "".join('<Relationship Id="rId%d" Type="%s/%s" Target="%s"/>' % (i + 1, DOC_RELS, kind, target)
                   for i, (kind, target) in enumerate(relationships)) + "</Relationships>"),
        ("xl/worksheets/sheet1.xml", sheet),
    ]
    if styles:
        parts.append(("xl/styles.xml", styles))
    if shared_strings:
        parts.append(("xl/sharedStrings.xml", shared_strings))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, text.encode("utf-8"), compresslevel=9)
    return out.getvalue()


# ---- the two workbooks ---------------------------------------------------------------------------------------------

def icbc_workbook():
    amounts = [amount if mark == "贷" else -amount for _, _, _, mark, amount, *_ in ICBC_ROWS]
    balances = [row[9] for row in ICBC_ROWS]
    closing = check_running_balance("icbc-export.xlsx", ICBC_OPENING, zip(amounts, balances))
    check_figures("icbc-export.xlsx", ICBC_OPENING, amounts, closing, ICBC_FIGURES)
    s = lambda text: ("s", text)
    n = lambda fen: ("n", number_text(fen))
    title = "中国工商银行明细查询结果"
    rows = [
        [("rich", title, '<r><rPr><b/><sz val="14"/><rFont val="宋体"/><family val="3"/><charset val="134"/></rPr>'
                         '<t>中国工商银行</t></r><r><rPr><b/><sz val="14"/><rFont val="宋体"/><family val="3"/>'
                         '<charset val="134"/></rPr><t>明细查询结果</t></r>')],
        [s("账号：1202 0211 0900 7654 321"), None, None, s("户名：合肥市某区教育局"), None, None, s("币种：人民币")],
        [s("起止日期：2026-12-01 至 2026-12-31")],
        [s(name) for name in ICBC_HEADER],
    ]
    debits = credits = 0
    for voucher, other, when, mark, amount, bank, summary, purpose, name, balance, note in ICBC_ROWS:
        debit, credit = (amount, None) if mark == "借" else (None, amount)
        debits += debit or 0
        credits += credit or 0
        rows.append([s(voucher), s(ICBC_ACCOUNT), s(other), ("n", excel_serial(when)), s(mark),
                     n(debit) if debit else None, n(credit) if credit else None, s(bank), s(summary), s(purpose),
                     s(name), n(balance), s(note)])
    rows.append([s("合计"), None, None, None, None, n(debits), n(credits)])
    rows.append([s("笔数：%d" % len(ICBC_ROWS))])
    rows.append([s("打印时间：2027-01-04 08:00:00")])
    strings = SharedStrings()
    sheet = sheet_xml(rows, strings, widths=[10, 22, 22, 20, 6, 14, 14, 14, 8, 22, 20, 16, 12],
                      merges=["A1:M1"], styles={3: 1, 5: 2, 6: 2, 11: 2})
    return package("明细查询", sheet, strings.xml(), STYLES)


def boc_workbook():
    amounts = [row[2] for row in BOC_ROWS]
    closing = check_running_balance("boc-export.xlsx", BOC_OPENING, [(row[2], row[3]) for row in BOC_ROWS])
    check_figures("boc-export.xlsx", BOC_OPENING, amounts, closing, BOC_FIGURES)
    t = lambda text: ("inline", text)
    rows = [
        [t("中国银行交易流水明细")],
        [t("账号：%s" % BOC_ACCOUNT), None, None, t("户名：某县农业农村局")],
        [t("起止日期：2026/12/01-2026/12/31")],
        [t(name) for name in BOC_HEADER],
    ]
    for date, time, amount, balance, payer, payer_account, payee, payee_account, serial, summary, purpose in \
            reversed(BOC_ROWS):
        rows.append([t(date), t(time), t("人民币"), t(grouped_text(amount)), t(grouped_text(balance)), t(payer),
                     t(payer_account), t(payee), t(payee_account), t(serial), t(summary), t(purpose)])
    sheet = sheet_xml(rows, SharedStrings(), widths=[12, 10, 10, 14, 14, 18, 16, 18, 16, 20, 8, 16])
    return package("交易明细", sheet)


FILES = [("icbc-export.xlsx", icbc_workbook), ("boc-export.xlsx", boc_workbook)]


def main():
    for name, build in FILES:
        with open(os.path.join(HERE, name), "wb") as file:
            file.write(build())
    print("wrote", ", ".join(name for name, _ in FILES))


if __name__ == "__main__":
    main()
