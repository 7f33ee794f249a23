#!/usr/bin/env python3
"""The web console in a real browser (4/6): Debian's chromium, headless, driven by selenium.

Sets up a province of one hub and one county with the command line (people, keys, console logins, an opening
balance), starts `fundsync hub serve` (the console under /console on the batch API's port) and `fundsync node serve`,
and then, as the people would:

  1. a county clerk logs in (Chinese by default) and enters a payment of ¥5,000.00, reviewed at the same desk;
     a second one of ¥150,000.00, above the cashier release limit;
  2. the batch goes up (fundsync sync, online);
  3. the fund-centre cashier releases the first (within the limit) and is refused the second;
     the supervisor releases the second;
  4. a wrong-role user (an accountant) is refused a release;
  5. a POST without the CSRF token is refused;
  6. after the answer comes down, the county's balances page shows the new figures (借/贷, ¥ grouping);
  6. the hub sends both to the simulated bank (pain.001 through a folder), which pays them; the hub reads its answers;
  7. the county records a bank advice and its daily balance report; the hub drills down from the province to the
     county's account and its vouchers, sees funds in transit with its charts, the instructions to the bank, runs the reconciliation, imports a
     bank statement and reads the bank reconciliation statement, downloads a report in Chinese, and revokes a key;
  8. repeated wrong passphrases lock a login.

Usage: console_browser_test.py FUNDSYNC_BINARY [--screenshots DIR]
Exit status 0 when every check passed; each failure is printed.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BIN = os.path.abspath(sys.argv[1])
SHOTS = sys.argv[sys.argv.index("--screenshots") + 1] if "--screenshots" in sys.argv else None
ROOT = tempfile.mkdtemp(prefix="fundsync-browser-")
HUB, COUNTY = os.path.join(ROOT, "hub"), os.path.join(ROOT, "county")
KEYS, PASSES = os.path.join(ROOT, "keys"), os.path.join(ROOT, "passphrases")
FAILURES = []
PEOPLE = {
    # staff id: (org, name, posts, passphrase)
    "340000-zhoumin": ("340000", "周敏", "fund_centre_manager", "zhou-min-2026"),
    "340000-sunli": ("340000", "孙丽", "fund_centre_supervisor", "sun-li-2026!"),
    "340000-qianjun": ("340000", "钱军", "fund_centre_cashier", "qian-jun-2026"),
    "340000-liqiang": ("340000", "李强", "cashier", "li-qiang-2026"),
    "340122-wangfang": ("340122", "王芳", "cashier", "wang-fang-2026"),
    "340122-liuyang": ("340122", "刘洋", "finance_manager", "liu-yang-2026"),
}
BANK = "6217000012345678901"
BANK_FOLDER = os.path.join(ROOT, "bank")   # the simulated bank's folder link (7/7)


def check(condition, what):
    print(("  ok   " if condition else "  FAIL ") + what)
    if not condition:
        FAILURES.append(what)


def fs(*args, keys=True):
    env = dict(os.environ, FUNDSYNC_PASSPHRASE_FILE=PASSES)
    if keys:
        env["FUNDSYNC_KEYS"] = KEYS
    result = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise SystemExit(f"fundsync {' '.join(map(str, args))} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def set_up():
    with open(os.open(PASSES, os.O_WRONLY | os.O_CREAT, 0o600), "w", encoding="utf-8") as f:
        for staff, (_, _, _, passphrase) in PEOPLE.items():
            f.write(f"{staff}\t{passphrase}\n")
    fs("hub", "init", "--data", HUB, "--org", "340000", "--name", "安徽省财政厅国库处")
    fs("node", "init", "--data", COUNTY, "--org", "340122", "--hub-key", os.path.join(HUB, "public.key"))
    fs("hub", "enroll", "--data", HUB, "--org", "340122", "--parent", "340000", "--level", "county", "--name", "肥东县财政局",
       "--key", os.path.join(COUNTY, "public.key"))
    fs("hub", "account", "add", "--data", HUB, "--org", "340122", "--kind", "bank", "--code", BANK, "--name", "建行肥东支行基本户",
       "--purpose", "expense", "--class", "basic", "--bank", "CCB Feidong")
    for code, name in [("6602", "管理费用"), ("4001", "上年结余")]:
        fs("hub", "account", "add", "--data", HUB, "--org", "340122", "--kind", "subject", "--code", code, "--name", name)
    fs("hub", "param", "--data", HUB, "--name", "cashier_release_limit", "--value", "100000.00", "--from", "2026-01-01")
    for staff, (org, name, posts, _) in PEOPLE.items():
        fs("hub", "staff", "--data", HUB, "--id", staff, "--org", org, "--name", name, "--roles", posts)
    for staff in PEOPLE:
        fs("staff-key", "--staff", staff, "--out", KEYS)
        fs("hub", "staff-key", "enroll", "--data", HUB, "--staff", staff, "--public-key", os.path.join(KEYS, staff + ".pub"),
           "--valid-until", "2027-12-31", "--by", "340000-sunli" if staff == "340000-zhoumin" else "340000-zhoumin")
    carry_down()
    fs("bank-advice", "--data", COUNTY, "--account", BANK, "--date", "2026-12-01", "--receipt", "--amount", "1000000.00",
       "--advice", "OPENING", "--memo", "期初余额", "--preparer", "340122-wangfang", "--reviewer", "340122-liuyang")
    vouchers = os.path.join(ROOT, "opening.json")
    with open(vouchers, "w", encoding="utf-8") as f:
        f.write('{"vouchers": [{"date": "2026-12-01", "memo": "期初余额", "preparer": "340122-wangfang", "reviewer": "340122-liuyang",'
                f' "lines": [{{"account": "{BANK}", "debit": "1000000.00"}}, {{"account": "340122:4001", "credit": "1000000.00"}}]}}]}}')
    fs("post", "--data", COUNTY, vouchers)
    carry_up()
    for staff, (org, _, _, _) in PEOPLE.items():
        fs("console-login", "--data", HUB if org == "340000" else COUNTY, "--staff", staff)


def carry_up():
    out = fs("export", "--data", COUNTY, "--to", os.path.join(ROOT, "up"))
    files = [line.strip() for line in out.splitlines() if line.strip().endswith(".fsb")]
    if files:
        fs("import", "--data", HUB, *files)


def carry_down():
    out = fs("export", "--data", HUB, "--to", os.path.join(ROOT, "down"))
    files = [line.strip() for line in out.splitlines() if line.strip().endswith(".fsb")]
    if files:
        fs("import", "--data", COUNTY, *files)


def start(args, ready):
    log = open(os.path.join(ROOT, f"server-{len(SERVERS)}.log"), "w")
    env = dict(os.environ, FUNDSYNC_KEYS=KEYS)
    process = subprocess.Popen([BIN, *args], stdout=log, stderr=subprocess.STDOUT, env=env)
    SERVERS.append(process)
    for _ in range(200):
        try:
            urllib.request.urlopen(ready, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except Exception:
            time.sleep(0.1)
    raise SystemExit(f"{args} did not start; see {log.name}")


SERVERS = []


def browser():
    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def login(driver, base, staff, passphrase=None):
    driver.delete_all_cookies()
    driver.get(base + "/login")
    driver.find_element(By.ID, "staff").send_keys(staff)
    driver.find_element(By.ID, "passphrase").send_keys(passphrase or PEOPLE[staff][3])
    driver.find_element(By.ID, "login").click()
    # The form's POST must finish (and set the session cookie) before the next page is asked for.
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, "logout") or d.find_elements(By.ID, "error"))


def shot(driver, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def enter_payment(driver, base, amount, payee, reviewer_passphrase=None):
    driver.get(base + "/payments/new")
    driver.find_element(By.ID, "payee").send_keys(payee)
    driver.find_element(By.ID, "payeeAccount").send_keys("6222020200001234567")
    driver.find_element(By.ID, "amount").send_keys(amount)
    date = driver.find_element(By.ID, "date")
    date.clear()
    date.send_keys("2026-12-02")
    driver.find_element(By.ID, "purpose").send_keys("办公用品")
    for option in driver.find_element(By.ID, "expense").find_elements(By.TAG_NAME, "option"):
        if "6602" in option.text:
            option.click()
    driver.find_element(By.ID, "reviewer").send_keys("340122-liuyang")
    driver.find_element(By.ID, "reviewerPassphrase").send_keys(reviewer_passphrase or PEOPLE["340122-liuyang"][3])
    shot(driver, "node-payment-entry")
    driver.find_element(By.ID, "submit").click()
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, "message") or d.find_elements(By.ID, "error"))
    return driver.find_element(By.ID, "message").text if driver.find_elements(By.ID, "message") else driver.find_element(By.ID, "error").text


def main():
    started = time.monotonic()
    set_up()
    hub_port, admin_port, node_port = free_port(), free_port(), free_port()
    start(["hub", "serve", "--data", HUB, "--listen", f"127.0.0.1:{hub_port}", "--admin-listen", f"127.0.0.1:{admin_port}"],
          f"http://127.0.0.1:{hub_port}/console/login")
    start(["node", "serve", "--data", COUNTY, "--listen", f"127.0.0.1:{node_port}"], f"http://127.0.0.1:{node_port}/console/login")
    hub, node = f"http://127.0.0.1:{hub_port}/console", f"http://127.0.0.1:{node_port}/console"
    driver = browser()
    try:
        print("1. a county clerk logs in and enters two payments")
        login(driver, node, "340122-wangfang")
        check("今日工作" in driver.page_source and "王芳" in driver.page_source, "the node console greets 王芳 in Chinese")
        check(driver.find_element(By.ID, "banner").text.startswith("最近一次与中心交换"), "the banner shows the last exchange")
        cookie = driver.get_cookie("fs_session")
        check(cookie is not None and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict",
              "the session cookie is HttpOnly and SameSite=Strict")
        first = enter_payment(driver, node, "5000.00", "合肥市文具公司")
        check("已录入并签名" in first, f"payment within the limit entered: {first[:80]}")
        wrong = enter_payment(driver, node, "10.00", "试探", reviewer_passphrase="not the manager's")
        check("不正确" in wrong and "已录入" not in wrong, "a wrong reviewer passphrase is refused (and counts towards the reviewer's lock)")
        second = enter_payment(driver, node, "150000.00", "安徽建工集团")
        check("已录入并签名" in second, f"payment above the limit entered: {second[:80]}")
        waiting = driver.find_element(By.ID, "banner").text
        check("待上传的变更" in waiting, f"the banner counts what waits to go up: {waiting}")

        print("2. the batch goes up")
        fs("sync", "--data", COUNTY, "--hub", f"http://127.0.0.1:{hub_port}")

        print("3. the cashier releases within the limit, the supervisor above it")
        login(driver, hub, "340000-qianjun")
        driver.get(hub + "/payments")
        rows = driver.find_elements(By.CSS_SELECTOR, "#payments tr[id^=payment-]")
        check(len(rows) == 2, f"the hub's queue lists both payments ({len(rows)})")
        check("¥5,000.00" in driver.page_source and "¥150,000.00" in driver.page_source, "amounts shown as ¥5,000.00 and ¥150,000.00")
        shot(driver, "hub-payment-queue")
        small = [r for r in rows if "¥5,000.00" in r.text][0].get_attribute("id").removeprefix("payment-")
        large = [r for r in rows if "¥150,000.00" in r.text][0].get_attribute("id").removeprefix("payment-")
        driver.find_element(By.ID, "release-" + small).click()
        WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, "message") or d.find_elements(By.ID, "error"))
        check("已放行" in driver.find_element(By.ID, "message").text, "the cashier released the payment within the limit")
        driver.find_element(By.ID, "release-" + large).click()
        WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, "message") or d.find_elements(By.ID, "error"))
        check("无权" in driver.page_source or "limit" in driver.page_source, "the cashier is refused the payment above the limit")
        login(driver, hub, "340000-sunli")
        driver.get(hub + "/payments")
        driver.find_element(By.ID, "release-" + large).click()
        WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, "message") or d.find_elements(By.ID, "error"))
        check("已放行" in driver.find_element(By.ID, "message").text, "the supervisor released the payment above the limit")

        print("4. a wrong-role user is refused")
        fs("export", "--data", COUNTY, "--to", os.path.join(ROOT, "up2"))  # nothing new; keeps the node's outbox honest
        login(driver, hub, "340000-liqiang")
        driver.get(hub + "/payments")
        check("没有待放行的付款" in driver.page_source, "nothing left to release")
        session = driver.get_cookie("fs_session")["value"]
        csrf = driver.find_element(By.NAME, "csrf").get_attribute("value")
        status, body = post(hub + "/payments/release", {"csrf": csrf, "payment": small}, session)
        check(status == 403 and "无权" in body, f"an accountant (post cashier) may not release: HTTP {status}")

        print("5. a form without its CSRF token is refused")
        status, body = post(hub + "/payments/release", {"payment": small}, session)
        check(status == 403 and "CSRF" in body, f"POST without the token: HTTP {status}")
        status, body = post(hub + "/payments/release", {"payment": small, "csrf": "0" * 64}, session)
        check(status == 403, f"POST with a wrong token: HTTP {status}")

        print("6. the bank pays both (7/7: booked on the bank's day); the answer comes down; the county's balances show the new figures")
        fs("hub", "bank", "send", "--data", HUB, "--bank-folder", BANK_FOLDER)
        fs("bank-sim", "run", "--folder", BANK_FOLDER, "--booking-date", "2026-12-02")
        received = fs("hub", "bank", "receive", "--data", HUB, "--bank-folder", BANK_FOLDER)
        check(received.count(" paid 2026-12-02") == 2, f"the bank booked both on 2 December: {received.strip()[:200]}")
        fs("sync", "--data", COUNTY, "--hub", f"http://127.0.0.1:{hub_port}")
        login(driver, node, "340122-wangfang")
        driver.get(node + "/balances?date=2026-12-31")
        page = driver.find_element(By.ID, "balances").text
        check("¥845,000.00" in page, "the bank account shows ¥1,000,000.00 − ¥5,000.00 − ¥150,000.00 = ¥845,000.00")
        check("¥155,000.00" in page and "借" in page and "贷" in page, "management expenses ¥155,000.00, with 借/贷")
        shot(driver, "node-balances")
        driver.get(node + "/balances?date=2026-12-31&lang=en")
        check("Balance" in driver.page_source and "Dr" in driver.page_source, "English by a switch")
        driver.get(node + "/?lang=zh")
        shot(driver, "node-day")
        login(driver, hub, "340000-zhoumin")
        # Issue 10: the network page says which release each office runs (the county announced it with its first batch).
        offices = driver.find_element(By.ID, "offices").text
        check("版本" in offices and "(340122)" in offices and "2 (2.0" in offices,
              f"the county's release is shown on the network page: {offices[:300]}")
        shot(driver, "hub-network-health")
        driver.get(hub + "/audit?q=" + urllib.parse.quote("console release"))
        audit = driver.find_element(By.ID, "audit").text
        check("钱军 (340000-qianjun)" in audit and "孙丽 (340000-sunli)" in audit and "✓ 已签名" in audit,
              "the audit log shows both releases by name, signed")
        driver.get(hub + "/balances?date=2026-12-31")
        check("肥东县财政局 (340122)" in driver.page_source, "units by name with the code beside it")
        shot(driver, "hub-balances")

        print("7. the rest of a clerk's day and of the fund centre's")
        county_pages(driver, node, hub_port)
        hub_pages(driver, hub)

        print("8. repeated wrong passphrases lock the login")
        for _ in range(5):
            login(driver, node, "340122-liuyang", passphrase="wrong passphrase")
        login(driver, node, "340122-liuyang")
        check("锁定" in driver.page_source, "the sixth try, even with the right passphrase, finds the login locked")
        audit = fs("audit", "--data", COUNTY)
        check("console login refused" in audit and "console login" in audit, "logins and refusals are in the audit log")
        logins = [line for line in audit.splitlines() if "console login — key unlocked" in line]
        check(logins and all("✓" in line for line in logins), f"every login that unlocked a key is signed with it ({len(logins)})")
    finally:
        driver.quit()
        for process in SERVERS:
            process.terminate()
    print(f"browser test: {'passed' if not FAILURES else f'{len(FAILURES)} failure(s)'} in {time.monotonic() - started:.0f} s")
    if not FAILURES:
        shutil.rmtree(ROOT, ignore_errors=True)
    else:
        print(f"kept {ROOT} for inspection")
    sys.exit(1 if FAILURES else 0)


def submitted(driver):
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, "message") or d.find_elements(By.ID, "error"))
    return (driver.find_elements(By.ID, "message") or driver.find_elements(By.ID, "error"))[0].text


def fill(driver, form, values):
    for name, value in values.items():
        field = driver.find_element(By.ID, f"{form}-{name}")
        if field.tag_name == "select":
            for option in field.find_elements(By.TAG_NAME, "option"):
                if option.get_attribute("value") == value:
                    option.click()
        elif field.get_attribute("type") == "date":
            # A date field's text is in the browser's locale; its value is YYYY-MM-DD, as a date picker sets it.
            driver.execute_script("arguments[0].value = arguments[1]", field, value)
        else:
            field.clear()
            field.send_keys(value)


def county_pages(driver, node, hub_port):
    login(driver, node, "340122-wangfang")
    driver.get(node + "/advice")
    fill(driver, "advice-form", {"account": BANK, "date": "2026-12-02", "direction": "receipt", "amount": "2,000.00", "advice": "B-1202",
                                 "counterparty": "肥东县税务局", "memo": "退税", "reviewer": "340122-liuyang",
                                 "reviewerPassphrase": PEOPLE["340122-liuyang"][3]})
    shot(driver, "node-bank-advice")
    driver.find_element(By.ID, "advice-form-submit").click()
    answer = submitted(driver)
    check("已记录并签名" in answer, f"a bank advice of ¥2,000.00 (grouped as 2,000.00) is recorded and signed: {answer[:90]}")
    driver.get(node + "/advice")
    fill(driver, "advice-form", {"amount": "2,00.00", "advice": "B-X"})
    driver.find_element(By.ID, "advice-form-submit").click()
    check("1,234,567.89" in submitted(driver), "a wrongly grouped amount (2,00.00) is refused with the right form")
    driver.get(node + "/daily-report")
    fill(driver, "daily-report-form", {"date": "2026-12-02", f"balance.{BANK}": "847000.00"})
    driver.find_element(By.ID, "daily-report-form-submit").click()
    answer = submitted(driver)
    check("已报送 1 个账户" in answer, f"the daily balance report of the bank account is sent: {answer[:90]}")
    driver.get(node + "/notices")
    check("没有差异通知" in driver.page_source or driver.find_elements(By.ID, "notices"), "the notices page answers offline")
    fs("sync", "--data", COUNTY, "--hub", f"http://127.0.0.1:{hub_port}")


def hub_pages(driver, hub):
    login(driver, hub, "340000-zhoumin")
    driver.get(hub + "/balances?date=2026-12-31")
    driver.find_element(By.CSS_SELECTOR, "#unit-340122 a").click()
    WebDriverWait(driver, 15).until(lambda d: "340122" in d.find_element(By.TAG_NAME, "h1").text)
    own = driver.find_element(By.ID, "balances").text
    check("¥845,000.00" in own, "drill-down: the county's bank account in the ledger (a bank advice is the cashier's journal, not a voucher)")
    driver.find_element(By.LINK_TEXT, BANK).click()
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, "vouchers"))
    detail = driver.find_element(By.ID, "vouchers").text
    check("期初余额" in detail and "¥5,000.00" in detail and "¥995,000.00" in detail and "¥845,000.00" in detail,
          "the account's vouchers with the running balance (¥1,000,000.00 → ¥995,000.00 → ¥845,000.00)")
    shot(driver, "hub-account-vouchers")
    driver.get(hub + "/transit?date=2026-12-31")
    check(driver.find_elements(By.CSS_SELECTOR, "#aging-chart svg") and driver.find_elements(By.CSS_SELECTOR, "#daily-chart svg polyline"),
          "funds in transit: the aging chart and the daily balances chart are drawn (SVG)")
    shot(driver, "hub-transit")
    driver.get(hub + "/bank")
    instructions = driver.find_element(By.ID, "instructions").text
    check(instructions.count("银行已记账") == 2 and "¥150,000.00" in instructions and "2026-12-02" in instructions,
          "the bank instructions screen lists both payments, booked by the bank on 2 December")
    check(driver.find_elements(By.CSS_SELECTOR, "#instructions-chart svg"), "the amounts by state are drawn (SVG)")
    shot(driver, "hub-bank-instructions")
    driver.get(hub + "/bank?state=rejected")
    check("没有银行指令" in driver.page_source, "filtered by state: nothing returned by the bank")
    driver.get(hub + "/reconciliation")
    fill(driver, "run", {"from": "2026-12-01", "through": "2026-12-02"})
    driver.find_element(By.ID, "run-submit").click()
    answer = submitted(driver)
    check("对账完成" in answer, f"the reconciliation runs from the console: {answer[:90]}")
    statement = os.path.join(ROOT, "statement.csv")
    with open(statement, "w", encoding="utf-8") as f:
        f.write("record,account,currency,statement_id,sequence_number,date,value_date,amount,bank_reference,customer_reference,counterparty,narrative,bank_transaction_code\n"
                f"OPEN,{BANK},CNY,S1201,1,2026-12-01,,0.00,,,,,\n"
                f"ENTRY,{BANK},CNY,S1201,,2026-12-01,2026-12-01,1000000.00,OPENING,,,期初,\n"
                f"CLOSE,{BANK},CNY,S1201,,2026-12-01,,1000000.00,,,,,\n")
    driver.get(hub + "/statements")
    driver.find_element(By.ID, "upload-file").send_keys(statement)
    driver.find_element(By.ID, "upload-submit").click()
    check("已导入" in submitted(driver), "a bank statement file is imported through the browser")
    driver.get(hub + f"/statements?account={BANK}&date=2026-12-01")
    check("相符" in driver.find_element(By.ID, "bank-rec").text, "the bank reconciliation statement agrees")
    shot(driver, "hub-bank-reconciliation")
    export = os.path.join(ROOT, "建行流水.csv")
    with open(export, "w", encoding="utf-8-sig") as f:
        f.write("中国建设银行单位客户账户交易明细\n"
                f"账号:{BANK},,户名:测试单位\n"
                "交易时间,借方发生额（支取）,贷方发生额（收入）,余额,币种,对方户名,对方账号,摘要\n"
                '20261202 09:30:00,"1,000.00",,"999,000.00",人民币,某县电力公司,34050145860800009999,电费\n')
    driver.get(hub + "/statements")
    fill(driver, "upload", {"profile": "ccb"})
    driver.find_element(By.ID, "upload-file").send_keys(export)
    driver.find_element(By.ID, "upload-submit").click()
    answer = submitted(driver)
    check("已导入" in answer, f"a bank's own export (CCB, Chinese headers) is imported through its profile: {answer[:90]}")
    session = driver.get_cookie("fs_session")["value"]
    request = urllib.request.Request(hub + "/reports/download?kind=in-transit&format=csv&from=2026-12-01&through=2026-12-31",
                                     headers={"Cookie": f"fs_session={session}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode("utf-8-sig")
    check("期初在途" in body and "attachment" in response.headers.get("Content-Disposition", ""), "a report downloads as CSV with Chinese headers")
    driver.get(hub + "/registry")
    check("有效期至" in driver.find_element(By.ID, "staff").text, "the registry lists people with their keys")
    shot(driver, "hub-registry")
    row = driver.find_element(By.ID, "staff-340000-liqiang")
    row.find_element(By.NAME, "reason").send_keys("离岗")
    row.find_element(By.CSS_SELECTOR, "button").click()
    check("已吊销" in submitted(driver), "a key officer revokes a person's key from the console, signed")


def post(url, fields, session):
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                     headers={"Cookie": f"fs_session={session}", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


if __name__ == "__main__":
    main()
