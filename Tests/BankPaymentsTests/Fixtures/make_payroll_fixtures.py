#!/usr/bin/env python3
"""Writes the batch payment (代发) list fixtures of RecipientListReaderTests, with tools independent of FundSync:
openpyxl for the workbooks, iconv (called by the test itself) for GB18030. Run once; the outputs are committed.

payroll.xlsx         header row, account column formatted as text, a 合计 row, an ignored 身份证号 column
payroll-lost.xlsx    the account column typed as numbers: Excel keeps 15 significant digits, the list must be refused
"""
import os
from openpyxl import Workbook

HERE = os.path.dirname(os.path.abspath(__file__))

def payroll(path, accounts_as_numbers=False):
    book = Workbook()
    sheet = book.active
    sheet.title = "11月工资"
    sheet.append(["序号", "姓名", "身份证号", "银行卡号", "实发金额", "备注"])
    rows = [("王芳", "6222021302001234567", 6850.00, "11月工资"),
            ("刘洋", "6217000012345678901", 7325.50, "11月工资"),
            ("陈静", "6228480000000000002", 12000.00, "11月工资及补发")]
    for number, (name, account, amount, memo) in enumerate(rows, start=1):
        sheet.append([number, name, "34012219800101" + str(1000 + number), int(account) if accounts_as_numbers else account, amount, memo])
        cell = sheet.cell(row=number + 1, column=4)
        cell.number_format = "0" if accounts_as_numbers else "@"
    sheet.append([None, "合计", None, None, 26175.50, None])
    book.save(path)

payroll(os.path.join(HERE, "payroll.xlsx"))
payroll(os.path.join(HERE, "payroll-lost.xlsx"), accounts_as_numbers=True)
