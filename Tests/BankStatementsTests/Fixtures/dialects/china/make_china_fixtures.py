#!/usr/bin/env python3
"""Writes the hand-written Chinese bank export fixtures of this folder (see README.md).

The rows below are the fixtures: written by hand for FundSync, their balances worked out by hand. This script only
writes each one in the encoding and line ends its bank uses (GB18030 for icbc and abc, UTF-8 with a byte-order mark
for ccb, plain UTF-8 for the others) and re-adds every running balance with integer arithmetic in fen, failing if a
balance was mistyped (except in bocom-broken-balance.csv, whose third row is wrong on purpose).

Run it from anywhere: python3 make_china_fixtures.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

ICBC = """明细查询结果
账号：1202 0211 0900 1234 567,户名：合肥市某区财政局,币种：人民币
起止日期：2026-11-01 至 2026-11-30
凭证号,本方账号,对方账号,交易时间,借/贷,借方发生额,贷方发生额,对方行号,摘要,用途,对方单位名称,余额,个性化信息
,="1202021109001234567",="1202020209000011111",2026-11-02 09:15:01,贷,,"250,000.00",102361000021,拨款,预算指标下达,合肥市财政局,"1,250,000.00",
00012345,="1202021109001234567",="3400148600805001234",2026-11-03 10:20:00,借,"12,345.67",,105361000023,转账,10月水费,合肥供水集团有限公司,"1,237,654.33",
,="1202021109001234567",="6222021202000098765",2026-11-05 14:00:00\t,借,"1,000.00",,102361000021,代发,"差旅费报销, 张三",张三,"1,236,654.33",
,="1202021109001234567",,2026-11-10 16:30:30,贷,,88.50,,结息,第四季度利息,,"1,236,742.83",
合计,,,,,"13,345.67","250,088.50",,,,,,
笔数：4
打印时间：2026-12-01 08:00:00
"""

CCB = """中国建设银行单位客户账户交易明细
账号:34050145860800001234,,户名:某县财政局国库集中支付专户
币种:人民币,,起始日期:20261101,截止日期:20261130
交易时间,借方发生额（支取）,贷方发生额（收入）,余额,币种,对方户名,对方账号,对方开户机构,记账日期,摘要,备注,账户明细编号-交易流水号,凭证种类,凭证号
20261102 09:01:02,,"500,000.00","2,500,000.00",人民币,安徽省财政厅,34001486008050012345,建行合肥分行营业部,20261102,拨款,,3405014586080000123-0001,,
20261104 11:22:33,"36,000.00",,"2,464,000.00",人民币,某县第一中学,34050145860800005678,建行某县支行,20261104,转账,11月经费,3405014586080000123-0002,转账支票,10230045
20261104 15:00:00,"1,234.50",,"2,462,765.50",人民币,某县电力公司,34050145860800009999,建行某县支行,20261104,代扣,电费,3405014586080000123-0003,,
20261120 10:00:00,0.00,"10,000.00","2,472,765.50",人民币,某县税务局,34050145860800007777,建行某县支行,20261120,退库,,3405014586080000123-0004,,
"""

CMB = """招商银行账务明细
账号：755912345610801\t户名：某县财政局
币种：人民币\t查询日期：2026-11-01 至 2026-11-30
交易日\t交易时间\t起息日\t交易类型\t收入\t支出\t余额\t摘要\t流水号\t收/付方名称\t收/付方帐号
20261102\t093000\t20261102\t转账\t120,000.00\t\t620,000.00\t专项资金\tK2026110200001\t安徽省财政厅\t571234567890123
20261103\t101500\t20261103\t代发\t\t45,600.00\t574,400.00\t工资\tK2026110300002\t某县某单位职工\t
20261115\t140000\t20261116\t转账\t\t4,400.00\t570,000.00\t设备款\tK2026111500003\t深圳某科技有限公司\t755987654321001
"""

BOC = """中国银行交易流水明细
账号：178231234567,户名：某县财政局
起止日期：2026/11/01-2026/11/30
交易日期,交易时间,交易金额,交易后余额,付款人名称,付款人账号,收款人名称,收款人账号,交易流水号,摘要,用途
2026/11/25,16:00:00,-3000.00,97800.00,某县财政局,178231234567,某县环卫所,178239876543,BOC0004,转账,环卫经费
2026/11/18,10:30:00,800.00,100800.00,某县自然资源局,178235555555,某县财政局,178231234567,BOC0003,退款,多付退回
2026/11/09,09:00:00,-5000.00,100000.00,某县财政局,178231234567,某县供电公司,178236666666,BOC0002,代扣,电费
2026/11/02,08:30:00,"5,000.00","105,000.00",某省财政厅,178230000001,某县财政局,178231234567,BOC0001,拨款,转移支付
"""

BOCOM = """交通银行账户明细查询
账号：341341000018010012345
户名：某县财政局
币种：CNY
交易日期,交易时间,借贷标志,发生额,余额,对方账号,对方户名,摘要,交易流水号,凭证号
2026-11-02,09:00:00,贷,"20,000.00","120,000.00",341341000018010099999,某市财政局,拨款,JT001,
2026-11-05,10:00:00,借,"1,500.00","118,500.00",341341000018010088888,某县医院,付款,JT002,V001
2026-11-06,11:00:00,借,500.00,"118,100.00",341341000018010077777,某县学校,付款,JT003,V002
2026-11-07,12:00:00,贷,100.00,"118,200.00",,,利息,JT004,
"""

ABC = """中国农业银行账户明细
账户：12-345601040001234,户名：某县财政局
交易日期,交易时间,收入金额,支出金额,本次余额,对方户名,对方账号,交易用途,交易摘要
20261103,101010,"3,000.00",,"53,000.00",某县国土局,12345601040009999,退回,转账
20261117,153000,,"2,000.00","51,000.00",某县公路局,12345601040008888,工程款,转账
"收入合计：3,000.00","支出合计：2,000.00"
收入笔数：1,支出笔数：1
"""

FILES = [
    # name, text, encoding, line end
    ("icbc.csv", ICBC, "gb18030", "\r\n"),
    ("ccb.csv", CCB, "utf-8-sig", "\r\n"),
    ("cmb.txt", CMB, "utf-8", "\n"),
    ("boc-descending.csv", BOC, "utf-8", "\n"),
    ("bocom-broken-balance.csv", BOCOM, "utf-8", "\n"),
    ("abc.csv", ABC, "gb18030", "\r\n"),
]


def fen(text):
    """'1,234.56' -> 123456, '-3000.00' -> -300000: integer arithmetic only."""
    text = text.replace(",", "")
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("+-").partition(".")
    value = int(whole) * 100 + int((fraction + "00")[:2])
    return -value if negative else value


def check_running_balance(name, rows, amount_of, balance_of):
    """Each row's balance must be the previous one plus its signed amount (rows oldest first)."""
    for previous, row in zip(rows, rows[1:]):
        if balance_of(previous) + amount_of(row) != balance_of(row):
            return row
    return None


def main():
    for name, text, encoding, line_end in FILES:
        with open(os.path.join(HERE, name), "wb") as file:
            file.write(text.replace("\n", line_end).encode(encoding))
    import csv, io
    def rows(text, delimiter=","):
        lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        return lines
    icbc = rows(ICBC)[4:8]
    assert check_running_balance("icbc", icbc, lambda r: fen(r[6] or "0") - fen(r[5] or "0"), lambda r: fen(r[11])) is None
    ccb = rows(CCB)[4:8]
    assert check_running_balance("ccb", ccb, lambda r: fen(r[2] or "0") - fen(r[1] or "0"), lambda r: fen(r[3])) is None
    cmb = rows(CMB, "\t")[4:7]
    assert check_running_balance("cmb", cmb, lambda r: fen(r[4] or "0") - fen(r[5] or "0"), lambda r: fen(r[6])) is None
    boc = list(reversed(rows(BOC)[4:8]))
    assert check_running_balance("boc", boc, lambda r: fen(r[2]), lambda r: fen(r[3])) is None
    bocom = rows(BOCOM)[5:9]
    sign = lambda r: fen(r[3]) if r[2] == "贷" else -fen(r[3])
    broken = check_running_balance("bocom", bocom, sign, lambda r: fen(r[4]))
    assert broken is not None and broken[8] == "JT003", broken
    abc = rows(ABC)[3:5]
    assert check_running_balance("abc", abc, lambda r: fen(r[2] or "0") - fen(r[3] or "0"), lambda r: fen(r[4])) is None
    print("wrote", ", ".join(name for name, *_ in FILES))


if __name__ == "__main__":
    main()
