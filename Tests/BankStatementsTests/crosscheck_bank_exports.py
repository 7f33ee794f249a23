#!/usr/bin/env python3
"""Independent cross-check of the Chinese bank export reader (BankExportParser) over the hand-written fixtures.

The project's rule: each reader of outside files is checked against an independent one. This script reads every file
of Fixtures/dialects/china/ without the Swift code and without its bank profiles:

  * GB18030 files are turned into UTF-8 by the `iconv -f GB18030 -t UTF-8` command; UTF-8 files are decoded by
    Python (the byte-order mark stripped where the bank writes one);
  * CSV and TXT records are split by Python's `csv` module (the separator per file); the workbook is read by
    `openpyxl`;
  * what each file's columns mean (the header row, the date, debit, credit or amount and mark, balance columns, the
    title labels, the footer rows, the row order) is written below as a small table per file, from the fixtures'
    README, not taken from Sources/BankStatements/BankProfiles.swift;
  * amounts become integer fen through exact decimal arithmetic (no float): thousands separators, Excel's ="…" marker,
    spaces and tabs removed; a workbook's numeric cell through decimal.Decimal(str(value)), at most 2 decimals;
  * a workbook's date cells holding Excel 1900-system serial days (46357.38542824074) are read as the numbers in the
    file (openpyxl told to leave them unconverted) and turned into a date and time by this script's own arithmetic
    (day 0 is 1899-12-30 for every serial from 61, 1900-03-01, on; the fraction is the time of day), then compared
    with openpyxl's own conversion of the same cells through their date number format.

From the rows it works out the account, the currency (CNY when the file names none), the opening balance (the
first-in-time entry's balance less its signed amount), the closing balance (the last-in-time entry's balance), the
number of entries, the debit and credit sums and counts, and the period (the title's, else the entries' dates), and
it checks the running balance (余额) row by row. Then it runs

    FUNDSYNC statement check FILE --profile P --json

and compares every figure, and compares its own figures with the README's table (hard-coded below), so the README,
this reader and the Swift reader must all agree. A file the README says is refused must be refused by both readers at
the same line. Files the README says the generic profile reads are also checked with --profile generic.

Usage:  python3 Tests/BankStatementsTests/crosscheck_bank_exports.py .build/debug/fundsync
Needs Python 3.8+, the `iconv` command and the `openpyxl` package. Prints one line per check and exits 1 on any
mismatch (2 on a usage error).
"""

import csv
import datetime
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from decimal import ROUND_HALF_EVEN, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "Fixtures", "dialects", "china")

# The README's table (Fixtures/dialects/china/README.md), in fen; the workbook's figures are from its paragraph.
README = {
    "icbc.csv": dict(account="1202021109001234567", opening=100000000, closing=123674283, entries=4, debits=1334567,
                     credits=25008850),
    "ccb.csv": dict(account="34050145860800001234", opening=200000000, closing=247276550, entries=4, debits=3723450,
                    credits=51000000),
    "cmb.txt": dict(account="755912345610801", opening=50000000, closing=57000000, entries=3, debits=5000000,
                    credits=12000000),
    "boc-descending.csv": dict(account="178231234567", opening=10000000, closing=9780000, entries=4, debits=800000,
                               credits=580000),
    "abc.csv": dict(account="12-345601040001234", opening=5000000, closing=5100000, entries=2, debits=200000,
                    credits=300000),
    "ccb-export.xlsx": dict(account="34050145860800001234", opening=200000000, closing=246400000, entries=2,
                            debits=3600000, credits=50000000),
    "icbc-export.xlsx": dict(account="1202021109007654321", opening=345678910, closing=400984476, entries=4,
                             debits=4817890, credits=60123456),
    "boc-export.xlsx": dict(account="177245678901", opening=25630040, closing=36680050, entries=4, debits=999990,
                            credits=12050000),
}
# Files the README says are refused, with the line of the refusal.
README_REFUSED = {"bocom-broken-balance.csv": 8}

# What each file holds, written from the README and the files themselves (not from the Swift profiles).
#   encoding      "gb18030" (converted by iconv), "utf-8-bom" (must start with a byte-order mark) or "utf-8"
#   header        the line (row of the workbook) of the column headers; the lines above it are the title
#   footer        the first text of each trailing row that is not an entry, in order
#   account       the title label of the account number; own_account: a column that repeats it in every row
#   currency      the title label of the currency (absent: CNY); row_currency: a column that repeats it
#   period        the title label(s) holding the period's first and last date (absent: the entries' dates)
#   date          the booking date column (its text may carry a time after the date)
#   serial_dates  a workbook whose date cells are Excel serial days (numbers with a date format), not text
#   amounts       ("debit/credit", debit column, credit column), ("marked", amount column, mark column) or
#                 ("signed", amount column); mark: a 借/贷 column beside debit/credit columns, checked against them
#   balance       the running balance column; order: "ascending" (oldest first) or "descending" (newest first)
#   controls      the footer's control figures: (figure, ("row", first text, column) | ("label", label))
#   generic       whether the README says the generic profile reads the file too
LAYOUTS = [
    dict(file="icbc.csv", profile="icbc", encoding="gb18030", delimiter=",", header=4,
         footer=["合计", "笔数", "打印时间"], account="账号", own_account="本方账号", currency="币种", period=["起止日期"],
         date="交易时间", amounts=("debit/credit", "借方发生额", "贷方发生额"), mark="借/贷", balance="余额",
         order="ascending",
         controls=[("debits", ("row", "合计", "借方发生额")), ("credits", ("row", "合计", "贷方发生额")),
                   ("entries", ("label", "笔数"))]),
    dict(file="ccb.csv", profile="ccb", encoding="utf-8-bom", delimiter=",", header=4, footer=[], account="账号",
         currency="币种", row_currency="币种", period=["起始日期", "截止日期"], date="记账日期",
         amounts=("debit/credit", "借方发生额（支取）", "贷方发生额（收入）"), balance="余额", order="ascending"),
    dict(file="cmb.txt", profile="cmb", encoding="utf-8", delimiter="\t", header=4, footer=[], account="账号",
         currency="币种", period=["查询日期"], date="交易日", amounts=("debit/credit", "支出", "收入"), balance="余额",
         order="ascending"),
    dict(file="boc-descending.csv", profile="boc", encoding="utf-8", delimiter=",", header=4, footer=[],
         account="账号", period=["起止日期"], date="交易日期", amounts=("signed", "交易金额"), balance="交易后余额",
         order="descending"),
    dict(file="bocom-broken-balance.csv", profile="bocom", encoding="utf-8", delimiter=",", header=5, footer=[],
         account="账号", currency="币种", date="交易日期", amounts=("marked", "发生额", "借贷标志"), balance="余额",
         order="ascending"),
    dict(file="abc.csv", profile="abc", encoding="gb18030", delimiter=",", header=3, footer=["收入合计", "收入笔数"],
         account="账户", date="交易日期", amounts=("debit/credit", "支出金额", "收入金额"), balance="本次余额",
         order="ascending",
         controls=[("credits", ("label", "收入合计")), ("debits", ("label", "支出合计")),
                   ("credit_count", ("label", "收入笔数")), ("debit_count", ("label", "支出笔数"))]),
    dict(file="ccb-export.xlsx", profile="ccb", encoding="xlsx", header=2, footer=[], account="账号", date="交易时间",
         amounts=("debit/credit", "借方发生额（支取）", "贷方发生额（收入）"), balance="余额", order="ascending",
         generic=True),
    dict(file="icbc-export.xlsx", profile="icbc", encoding="xlsx", header=4, footer=["合计", "笔数", "打印时间"],
         account="账号", own_account="本方账号", currency="币种", period=["起止日期"], date="交易时间", serial_dates=True,
         amounts=("debit/credit", "借方发生额", "贷方发生额"), mark="借/贷", balance="余额", order="ascending",
         controls=[("debits", ("row", "合计", "借方发生额")), ("credits", ("row", "合计", "贷方发生额")),
                   ("entries", ("label", "笔数"))],
         generic=True),
    dict(file="boc-export.xlsx", profile="boc", encoding="xlsx", header=4, footer=[], account="账号",
         row_currency="交易货币", period=["起止日期"], date="交易日期", amounts=("signed", "交易金额"),
         balance="交易后余额", order="descending", generic=True),
]

CURRENCY_NAMES = {"人民币": "CNY", "CNY": "CNY"}
FIGURES = ["account", "currency", "opening", "closing", "entries", "debit_count", "debits", "credit_count", "credits",
           "period_from", "period_through"]


class Mismatch(Exception):
    """A file this reader refuses, or a figure that differs; one sentence."""


# ---- reading the files ---------------------------------------------------------------------------------------------

def decoded_text(path, encoding):
    """The file as text: GB18030 through the iconv command, UTF-8 by Python (strict)."""
    data = open(path, "rb").read()
    if encoding == "gb18030":
        try:
            data.decode("utf-8")
            raise Mismatch("the README says GB18030, but the file is valid UTF-8")
        except UnicodeDecodeError:
            pass
        run = subprocess.run(["iconv", "-f", "GB18030", "-t", "UTF-8", path], capture_output=True)
        if run.returncode != 0:
            raise Mismatch("iconv refused the file: " + run.stderr.decode("utf-8", "replace").strip())
        return run.stdout.decode("utf-8")
    bom = b"\xef\xbb\xbf"
    if encoding == "utf-8-bom":
        if not data.startswith(bom):
            raise Mismatch("the README says UTF-8 with a byte-order mark, but the file has none")
        data = data[len(bom):]
    elif data.startswith(bom):
        raise Mismatch("the file has a byte-order mark the README does not mention")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Mismatch("not valid UTF-8: %s" % error)


def text_records(path, layout):
    """[(line, [cell text])]: csv's records, each with the line it starts on."""
    reader = csv.reader(io.StringIO(decoded_text(path, layout["encoding"]), newline=""), delimiter=layout["delimiter"])
    records, line = [], 1
    for record in reader:
        records.append((line, record))
        line = reader.line_num + 1
    return records


CONTENT_TYPES = {
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "xl/styles.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
    "xl/sharedStrings.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
}
NOTES = []


def workbook_source(path):
    """The workbook for openpyxl. A package without [Content_Types].xml (which Excel and openpyxl require) is handed
    over as an in-memory copy with the standard manifest added, and a note says so: the cells are read unchanged."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        if "[Content_Types].xml" in names:
            return path
        NOTES.append("%s has no [Content_Types].xml (an Office Open XML package must have one; Excel and openpyxl "
                     "refuse it without): read through an in-memory copy with the standard manifest added"
                     % os.path.basename(path))
        overrides = ""
        for name in names:
            kind = CONTENT_TYPES.get(name)
            if kind is None and re.fullmatch(r"xl/worksheets/[^/]+\.xml", name):
                kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
            if kind:
                overrides += '<Override PartName="/%s" ContentType="%s"/>' % (name, kind)
        manifest = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>' + overrides + "</Types>")
        copy = io.BytesIO()
        with zipfile.ZipFile(copy, "w") as out:
            for name in names:
                out.writestr(name, archive.read(name))
            out.writestr("[Content_Types].xml", manifest)
        copy.seek(0)
        return copy


def workbook_records(path, raw_numbers=False):
    """[(row number, [cell value])] of the first sheet, read by openpyxl; values as openpyxl gives them, or with
    raw_numbers the numbers in the file even where a date format would make openpyxl convert them to datetimes."""
    import openpyxl
    book = openpyxl.load_workbook(workbook_source(path), read_only=True, data_only=True)
    try:
        if raw_numbers:
            # openpyxl converts a number whose style is a date format while it parses the sheet, by the styles listed
            # here (openpyxl 3.x, read-only mode); with none listed it gives the number as written.
            if not isinstance(getattr(book, "_date_formats", None), set):
                raise Mismatch("this openpyxl (%s) cannot be told to leave date cells as numbers"
                               % openpyxl.__version__)
            book._date_formats = set()
            book._timedelta_formats = set()
        sheet = book.worksheets[0]
        records = []
        for cells in sheet.iter_rows():
            numbers = [cell.row for cell in cells if getattr(cell, "row", None) is not None]
            if not numbers:
                continue
            values = []
            for cell in cells:
                column = getattr(cell, "column", None)
                if column is None:
                    values.append(None)
                    continue
                while len(values) < column - 1:
                    values.append(None)
                values.append(cell.value)
            records.append((numbers[0], values))
        return records
    finally:
        book.close()


# ---- cells ---------------------------------------------------------------------------------------------------------

def cell_text(value):
    """A cell as stripped text, Excel's ="…" marker removed; a workbook's number as its exact decimal text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise Mismatch("a cell holds the boolean %r" % value)
    if isinstance(value, (int, float, Decimal)):
        return str(Decimal(str(value)))
    text = str(value).strip(" \t\u3000")
    marked = re.fullmatch(r'="(.*)"', text)
    if marked:
        text = marked.group(1).strip(" \t\u3000")
    return text


def fen(value, where):
    """Integer fen of an amount cell ('1,234.56', '-3000.00', '="88.50"', a workbook number); None when empty."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = Decimal(str(value))
        if number.as_tuple().exponent < -2:
            raise Mismatch("%s: %s has more than 2 decimals" % (where, value))
    else:
        text = cell_text(value).replace(" ", "").replace("\t", "")
        if text == "":
            return None
        if "," in text and not re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
            raise Mismatch("%s: %r has misplaced thousands separators" % (where, text))
        text = text.replace(",", "")
        if not re.fullmatch(r"[+-]?\d+(\.\d{1,2})?", text):
            raise Mismatch("%s: %r is not an amount with at most 2 decimals" % (where, text))
        number = Decimal(text)
    minor = number.scaleb(2)
    if minor != minor.to_integral_value():
        raise Mismatch("%s: %s is not a whole number of fen" % (where, number))
    return int(minor)


def date_of(value, where):
    """'2026-11-02 09:15:01', '20261102', '2026/11/25' (a time may follow) -> '2026-11-02'."""
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        return "%04d-%02d-%02d" % (value.year, value.month, value.day)
    match = re.match(r"(\d{4})[-/]?(\d{2})[-/]?(\d{2})(?:[ T]\S+)?$", cell_text(value))
    if not match:
        raise Mismatch("%s: %r is not a date" % (where, cell_text(value)))
    year, month, day = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise Mismatch("%s: %r is not a calendar date" % (where, cell_text(value)))
    return "%04d-%02d-%02d" % (year, month, day)


EXCEL_DAY_ZERO = datetime.date(1899, 12, 30)


def serial_date(value, where):
    """An Excel 1900-system serial day (46357.38542824074) -> ('2026-12-01', seconds into the day), by this script's
    own arithmetic: day 0 is 1899-12-30 for every serial from 61 (1900-03-01) on, since Excel counts a 1900-02-29
    that never was; the fraction is the time of day, rounded to the second."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise Mismatch("%s: %r is not an Excel serial day (a number)" % (where, value))
    number = Decimal(str(value))
    if number < 61 or number >= 100000:
        raise Mismatch("%s: %s is outside the serial days this script converts (61 to 99999)" % (where, number))
    days = int(number)
    seconds = int(((number - days) * 86400).to_integral_value(ROUND_HALF_EVEN))
    if seconds == 86400:
        days, seconds = days + 1, 0
    return (EXCEL_DAY_ZERO + datetime.timedelta(days=days)).isoformat(), seconds


def hms(seconds):
    return "%02d:%02d:%02d" % (seconds // 3600, seconds // 60 % 60, seconds % 60)


def labelled(cell):
    """'账号：1202 …' or '账号:…' -> ('账号', '1202 …'); None for a cell without a label."""
    match = re.fullmatch(r"([^:：]+)[:：](.*)", cell_text(cell), re.S)
    return (match.group(1).strip(), match.group(2).strip()) if match else None


def labels_of(records):
    facts = {}
    for _, cells in records:
        for cell in cells:
            pair = labelled(cell)
            if pair:
                if pair[0] in facts and facts[pair[0]] != pair[1]:
                    raise Mismatch("the label %s is given twice: %r and %r" % (pair[0], facts[pair[0]], pair[1]))
                facts[pair[0]] = pair[1]
    return facts


# ---- the independent reader ----------------------------------------------------------------------------------------

def read_independently(layout):
    """The file's figures by this reader: a dict of FIGURES, and 'broken_line' when the running balance breaks."""
    path = os.path.join(FIXTURES, layout["file"])
    serials = layout.get("serial_dates", False)
    if layout["encoding"] == "xlsx":
        records = workbook_records(path, raw_numbers=serials)
        typed = dict(workbook_records(path)) if serials else {}
    else:
        records = text_records(path, layout)
    title = [record for record in records if record[0] < layout["header"]]
    headers = [record for record in records if record[0] == layout["header"]]
    if len(headers) != 1:
        raise Mismatch("no record starts at the header line %d" % layout["header"])
    header = [cell_text(cell) for cell in headers[0][1]]
    body = [record for record in records if record[0] > layout["header"] and any(cell_text(c) for c in record[1])]
    footer_count = len(layout["footer"])
    rows, footer = (body[:-footer_count], body[-footer_count:]) if footer_count else (body, [])
    for (line, cells), first in zip(footer, layout["footer"]):
        if not cell_text(cells[0]).startswith(first):
            raise Mismatch("line %d: footer row expected to start with %s, found %r"
                           % (line, first, cell_text(cells[0])))

    def column(name):
        if header.count(name) != 1:
            raise Mismatch("the header row has %d columns named %s (expected 1): %s"
                           % (header.count(name), name, header))
        return header.index(name)

    def cell(cells, name):
        index = column(name)
        return cells[index] if index < len(cells) else None

    # Account, currency and period from the title.
    facts = labels_of(title)
    account = facts.get(layout["account"])
    if account is None:
        raise Mismatch("no %s label in the title rows" % layout["account"])
    account = re.sub(r"\s", "", account)
    if not re.fullmatch(r"[0-9][0-9-]*", account):
        raise Mismatch("the account %r is not digits (and hyphens)" % account)
    currency = "CNY"
    if "currency" in layout:
        name = facts.get(layout["currency"])
        if name not in CURRENCY_NAMES:
            raise Mismatch("the %s label holds %r, not a known currency name" % (layout["currency"], name))
        currency = CURRENCY_NAMES[name]
    period = None
    if "period" in layout:
        dates = []
        for label in layout["period"]:
            if label not in facts:
                raise Mismatch("no %s label in the title rows" % label)
            dates += re.findall(r"\d{4}[-/]?\d{2}[-/]?\d{2}", facts[label])
        if len(dates) != 2:
            raise Mismatch("the period labels %s hold %d dates, not 2" % (layout["period"], len(dates)))
        period = [date_of(text, "period") for text in dates]

    # The entries, in file order.
    entries, serial_dates = [], []
    for line, cells in rows:
        where = "line %d" % line
        kind = layout["amounts"][0]
        if kind == "debit/credit":
            debit = fen(cell(cells, layout["amounts"][1]), where + " debit") or 0
            credit = fen(cell(cells, layout["amounts"][2]), where + " credit") or 0
            if debit < 0 or credit < 0 or (debit != 0) == (credit != 0):
                raise Mismatch("%s: expected exactly one of debit %d and credit %d" % (where, debit, credit))
            amount = credit - debit
            if "mark" in layout:
                mark = cell_text(cell(cells, layout["mark"]))
                if mark != ("贷" if amount > 0 else "借"):
                    raise Mismatch("%s: the mark %s contradicts the amount %d" % (where, mark, amount))
        elif kind == "marked":
            magnitude = fen(cell(cells, layout["amounts"][1]), where + " amount")
            mark = cell_text(cell(cells, layout["amounts"][2]))
            if magnitude is None or magnitude <= 0 or mark not in ("借", "贷"):
                raise Mismatch("%s: amount %r with mark %r" % (where, magnitude, mark))
            amount = magnitude if mark == "贷" else -magnitude
        else:
            amount = fen(cell(cells, layout["amounts"][1]), where + " amount")
            if not amount:
                raise Mismatch("%s: no amount" % where)
        balance = fen(cell(cells, layout["balance"]), where + " balance")
        if balance is None:
            raise Mismatch("%s: no balance" % where)
        if "own_account" in layout:
            own = cell_text(cell(cells, layout["own_account"]))
            if own != account:
                raise Mismatch("%s: the %s column says %r, the title %r" % (where, layout["own_account"], own, account))
        if "row_currency" in layout:
            named = cell_text(cell(cells, layout["row_currency"]))
            if CURRENCY_NAMES.get(named) != currency:
                raise Mismatch("%s: the row's currency is %r, the title's %s" % (where, named, currency))
        if serials:
            # The serial day converted here, and openpyxl's datetime of the same cell: they must agree to the second.
            raw = cell(cells, layout["date"])
            date, seconds = serial_date(raw, where + " date")
            index = column(layout["date"])
            converted = typed.get(line, [])
            theirs = converted[index] if index < len(converted) else None
            if not isinstance(theirs, datetime.datetime):
                raise Mismatch("%s: openpyxl gives %r for the date cell %r (a number with a date format expected)"
                               % (where, theirs, raw))
            their_seconds = round((theirs - datetime.datetime(theirs.year, theirs.month, theirs.day)).total_seconds())
            if (theirs.date().isoformat(), their_seconds) != (date, seconds):
                raise Mismatch("%s: the serial day %r is %s %s here, %s by openpyxl"
                               % (where, raw, date, hms(seconds), theirs.isoformat(sep=" ")))
            serial_dates.append("%s = %s %s" % (raw, date, hms(seconds)))
        else:
            date = date_of(cell(cells, layout["date"]), where + " date")
        entries.append(dict(line=line, date=date, amount=amount, balance=balance))
    if not entries:
        raise Mismatch("no entries")
    if layout["order"] == "descending":
        entries.reverse()
    for previous, entry in zip(entries, entries[1:]):
        if entry["date"] < previous["date"]:
            raise Mismatch("line %d: the date %s is before the previous entry's %s in the %s order the README states"
                           % (entry["line"], entry["date"], previous["date"], layout["order"]))

    result = dict(account=account, currency=currency, entries=len(entries),
                  opening=entries[0]["balance"] - entries[0]["amount"], closing=entries[-1]["balance"],
                  debit_count=sum(1 for e in entries if e["amount"] < 0),
                  debits=sum(-e["amount"] for e in entries if e["amount"] < 0),
                  credit_count=sum(1 for e in entries if e["amount"] > 0),
                  credits=sum(e["amount"] for e in entries if e["amount"] > 0),
                  period_from=period[0] if period else entries[0]["date"],
                  period_through=period[1] if period else entries[-1]["date"], broken_line=None,
                  serial_dates=serial_dates)
    for previous, entry in zip(entries, entries[1:]):
        if previous["balance"] + entry["amount"] != entry["balance"]:
            result["broken_line"] = entry["line"]
            result["broken_expected"] = previous["balance"] + entry["amount"]
            result["broken_stated"] = entry["balance"]
            break

    # The footer's control figures must agree with the rows.
    footer_facts = labels_of(footer)
    for figure, (kind, *source) in layout.get("controls", []):
        if kind == "row":
            found = [cells for _, cells in footer if cell_text(cells[0]) == source[0]]
            if len(found) != 1:
                raise Mismatch("no single footer row %s" % source[0])
            stated = fen(cell(found[0], source[1]), "footer %s %s" % tuple(source))
        else:
            if source[0] not in footer_facts:
                raise Mismatch("no footer label %s" % source[0])
            text = footer_facts[source[0]]
            stated = int(text) if figure.endswith("count") or figure == "entries" else fen(text, "footer " + source[0])
        if stated != result[figure]:
            raise Mismatch("the footer's %s says %s = %s, the rows give %s"
                           % (source[-1], figure, stated, result[figure]))
    return result


# ---- the Swift reader ----------------------------------------------------------------------------------------------

def swift_fen(text, name):
    if not isinstance(text, str) or not re.fullmatch(r"-?\d+\.\d{2}", text):
        raise Mismatch("fundsync's %s is %r, not an amount with 2 decimals" % (name, text))
    return int(Decimal(text).scaleb(2))


def run_swift(binary, path, profile):
    """(exit status, stdout, stderr) of `statement check --profile P --json`."""
    run = subprocess.run([binary, "statement", "check", path, "--profile", profile, "--json"], capture_output=True,
                         timeout=300)
    return run.returncode, run.stdout.decode("utf-8", "replace"), run.stderr.decode("utf-8", "replace")


def swift_figures(binary, path, profile):
    status, out, err = run_swift(binary, path, profile)
    if status != 0:
        raise Mismatch("fundsync exited %d: %s%s" % (status, err.strip(), (" " + out.strip()) if out.strip() else ""))
    try:
        summaries = json.loads(out)
    except ValueError as error:
        raise Mismatch("fundsync's output is not JSON (%s): %r" % (error, out[:200]))
    if not isinstance(summaries, list) or len(summaries) != 1:
        count = len(summaries) if isinstance(summaries, list) else "no list of"
        raise Mismatch("fundsync printed %s statements, expected 1" % count)
    summary = summaries[0]
    if summary.get("format") != "bank export (%s)" % profile:
        raise Mismatch("fundsync's format is %r, expected 'bank export (%s)'" % (summary.get("format"), profile))
    if summary.get("balanced") is not True:
        raise Mismatch("fundsync says the statement does not add up: %s" % summary.get("warnings"))
    figures = dict(account=summary.get("account"), currency=summary.get("currency"),
                   opening=swift_fen(summary.get("openingBalance"), "openingBalance"),
                   closing=swift_fen(summary.get("closingBalance"), "closingBalance"),
                   entries=summary.get("entryCount"), debit_count=summary.get("debitCount"),
                   debits=swift_fen(summary.get("debitSum"), "debitSum"), credit_count=summary.get("creditCount"),
                   credits=swift_fen(summary.get("creditSum"), "creditSum"), period_from=summary.get("periodFrom"),
                   period_through=summary.get("periodThrough"))
    return figures, summary.get("warnings") or []


# ---- the comparison ------------------------------------------------------------------------------------------------

def yuan(minor):
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    return "%s%s.%02d" % (sign, "{:,}".format(whole), cents)


def differences(ours, theirs, names, label):
    return ["%s: Python %r, %s %r" % (name, ours[name], label, theirs[name])
            for name in names if ours[name] != theirs[name]]


def check(binary, layout):
    """The lines to print for one file; raises Mismatch with every difference."""
    name, profile = layout["file"], layout["profile"]
    path = os.path.join(FIXTURES, name)
    ours = read_independently(layout)
    if name in README_REFUSED:
        line = README_REFUSED[name]
        if ours["broken_line"] != line:
            raise Mismatch("the README says the running balance breaks at line %d, this reader finds %s"
                           % (line, ours["broken_line"] or "no break"))
        status, out, err = run_swift(binary, path, profile)
        problems = []
        if status == 0:
            problems.append("fundsync exited 0 (expected a refusal)")
        if not re.search(r"\bline %d\b" % line, err):
            problems.append("fundsync's message does not name line %d" % line)
        if "running balance" not in err:
            problems.append("fundsync's message does not mention the running balance")
        if out.strip():
            problems.append("fundsync printed figures for a refused file: %r" % out.strip()[:200])
        if problems:
            raise Mismatch("; ".join(problems) + " — fundsync said (exit %d): %s" % (status, err.strip()))
        return ["ok %s %s: refused at line %d (running balance %s, expected %s; README, Python and fundsync agree): %s"
                % (name, profile, line, yuan(ours["broken_stated"]), yuan(ours["broken_expected"]), err.strip())]
    if ours["broken_line"] is not None:
        raise Mismatch("this reader finds the running balance broken at line %d (stated %s, expected %s)"
                       % (ours["broken_line"], yuan(ours["broken_stated"]), yuan(ours["broken_expected"])))
    expected = README[name]
    problems = differences(ours, expected, expected.keys(), "README")
    lines = []
    for run_profile in [profile] + (["generic"] if layout.get("generic") else []):
        try:
            theirs, warnings = swift_figures(binary, path, run_profile)
        except Mismatch as error:
            problems.append("--profile %s: %s" % (run_profile, error))
            continue
        found = differences(ours, theirs, FIGURES, "fundsync")
        problems += ["--profile %s: %s" % (run_profile, difference) for difference in found]
        if not found:
            lines.append("ok %s %s: %d entries, opening %s, closing %s, debits %s (%d), credits %s (%d); "
                         "account %s, %s, %s … %s; README, Python and fundsync agree"
                         % (name, run_profile, ours["entries"], yuan(ours["opening"]), yuan(ours["closing"]),
                            yuan(ours["debits"]), ours["debit_count"], yuan(ours["credits"]), ours["credit_count"],
                            ours["account"], ours["currency"], ours["period_from"], ours["period_through"]))
            lines += ["   fundsync warning (%s): %s" % (run_profile, warning) for warning in warnings]
    if ours["serial_dates"]:
        lines.append("   serial days (converted here, openpyxl agrees): " + ", ".join(ours["serial_dates"]))
    if problems:
        raise Mismatch("; ".join(problems))
    return lines


def main():
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        print("usage: crosscheck_bank_exports.py FUNDSYNC_BINARY", file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    if not os.access(binary, os.X_OK):
        print("crosscheck_bank_exports: %s is not an executable (build it first)" % binary, file=sys.stderr)
        return 2
    # Every fixture of the folder must be checked, and every file of the tables must exist.
    present = sorted(f for f in os.listdir(FIXTURES) if f.endswith((".csv", ".txt", ".xlsx")))
    listed = sorted(layout["file"] for layout in LAYOUTS)
    failures = []
    if present != listed:
        failures.append("the fixtures folder holds %s, the table lists %s" % (present, listed))
    named = sorted(list(README) + list(README_REFUSED))
    if named != listed:
        failures.append("the README tables name %s, the layouts %s" % (named, listed))
    for layout in LAYOUTS:
        try:
            for line in check(binary, layout):
                print(line)
        except Mismatch as error:
            failures.append("%s (%s): %s" % (layout["file"], layout["profile"], error))
            print("MISMATCH %s %s: %s" % (layout["file"], layout["profile"], error))
        except (OSError, subprocess.SubprocessError, zipfile.BadZipFile, KeyError) as error:
            failures.append("%s (%s): %s: %s" % (layout["file"], layout["profile"], type(error).__name__, error))
            print("MISMATCH %s %s: %s: %s" % (layout["file"], layout["profile"], type(error).__name__, error))
    for note in NOTES:
        print("note: " + note)
    if failures:
        print("crosscheck_bank_exports: %d of %d files disagree:" % (len(failures), len(LAYOUTS)), file=sys.stderr)
        for failure in failures:
            print("  " + failure, file=sys.stderr)
        return 1
    print("crosscheck_bank_exports: %d files, README, Python (iconv, csv, openpyxl) and fundsync agree" % len(LAYOUTS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
