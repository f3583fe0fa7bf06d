"""The playground in headless Chromium (selenium + Debian's chromedriver): Write, Read, Cells, Words, Models.

Usage: VERSO_CHARNN=charnn VERSO_STORE=store playground.py URL OUT_DIR. Writes
OUT_DIR/playground-{write,read,cells,words,shift,models,phone}.png and exits non-zero, naming the step, when
something a person would see does not happen (the Read tab's numbers are checked against `charnn eval`).
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

url, out = sys.argv[1], sys.argv[2]
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
wait = WebDriverWait(driver, 60)
step = "start"


def check(condition, what):
    if not condition:
        raise AssertionError(what)


try:
    step = "open the page"
    driver.get(url)
    wait.until(lambda d: len(Select(d.find_element(By.ID, "write-model")).options) > 0)

    step = "write two temperatures"
    seed = driver.find_element(By.ID, "write-seed")
    seed.clear()
    seed.send_keys("The sea")
    temps = driver.find_element(By.ID, "write-temps")
    temps.clear()
    temps.send_keys("0.5, 1.0")
    length = driver.find_element(By.ID, "write-length")
    length.clear()
    length.send_keys("300")
    started = time.time()
    driver.find_element(By.ID, "write-go").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#write-columns .column")) == 2)
    wait.until(lambda d: all("chars/s" in s.text for s in d.find_elements(By.CSS_SELECTOR, "#write-columns .stats")))
    texts = [p.text for p in driver.find_elements(By.CSS_SELECTOR, "#write-columns pre")]
    check(all(t.startswith("The sea") and len(t) >= 250 for t in texts), f"two columns of text, got {texts!r}")
    print(f"write: 2 columns of {[len(t) for t in texts]} characters in {time.time() - started:.1f} s")
    driver.save_screenshot(f"{out}/playground-write.png")

    step = "write with top-p, a stop and two samples"
    temps.clear()
    temps.send_keys("0.8")
    for field, value in [("write-count", "2"), ("write-top-p", "0.9"), ("write-stop", "\\n")]:
        box = driver.find_element(By.ID, field)
        box.clear()
        box.send_keys(value)
    driver.find_element(By.ID, "write-go").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#write-columns .column")) == 2)
    wait.until(lambda d: all("chars/s" in s.text for s in d.find_elements(By.CSS_SELECTOR, "#write-columns .stats")))
    titles = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "#write-columns h2")]
    texts = [p.text for p in driver.find_elements(By.CSS_SELECTOR, "#write-columns pre")]
    check(titles[0].endswith("#1") and titles[1].endswith("#2"), f"two samples at one temperature: {titles}")
    check(all("\n" not in t and t.startswith("The sea") for t in texts), f"each stops at its first newline: {texts!r}")
    check(texts[0] != texts[1], "the two samples differ (their own rng seeds)")
    print(f"write with top-p 0.9, stop at a newline, 2 samples: {[len(t) for t in texts]} characters")
    for field in ["write-count", "write-top-p", "write-stop"]:
        driver.find_element(By.ID, field).clear()

    step = "keyboard: arrow to the Read tab, type a text"
    driver.find_element(By.ID, "tab-write").send_keys(Keys.ARROW_RIGHT)
    check(driver.find_element(By.ID, "tab-read").get_attribute("aria-selected") == "true", "Read selected")
    Select(driver.find_element(By.ID, "read-model")).select_by_value("charnn/poems")
    typed = "The sea was calm,\nand the moon lay fair"
    area = driver.find_element(By.ID, "read-text")
    area.clear()
    area.send_keys(typed)
    spans = lambda: driver.find_elements(By.CSS_SELECTOR, "#read-columns pre.surprisal span")
    coloured = lambda: driver.execute_script(
        "return [...document.querySelectorAll('#read-columns pre.surprisal span')].map(s => s.textContent).join('')")
    wait.until(lambda d: len(spans()) == len(typed) - 1 and coloured() == typed[1:])
    shown = [float(s.get_attribute("data-bits")) for s in spans()]
    check("expected" in spans()[0].get_attribute("title"), "a character's title lists what was expected")
    step = "the colours' numbers against charnn eval --per-symbol --json"
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(typed)
    scored = json.loads(subprocess.run(
        [os.environ["VERSO_CHARNN"], "eval", f.name, "--model", "poems", "--per-symbol", "--json"],
        check=True, capture_output=True, text=True).stdout)
    cli = [s["bits"] for s in scored["symbols"]]
    check(len(cli) == len(shown) and all(abs(a - b) < 1e-3 for a, b in zip(cli, shown)),
          f"the page's bits match the command's: {shown[:5]} against {cli[:5]}")
    print(f"read: {len(shown)} characters coloured, {scored['bits_per_char']:.3f} bits/char, as the command says")
    step = "typing into a 1,000-character text"
    long_text = (typed + "\n") * 24
    long_text = long_text[:999]
    driver.execute_script(
        "const a = document.getElementById('read-text'); a.value = arguments[0];"
        "a.dispatchEvent(new Event('input'));", long_text)
    wait.until(lambda d: coloured() == long_text[1:])
    for key in "wave":
        long_text += key
        area.send_keys(key)
        wait.until(lambda d: coloured() == long_text[1:])
    timings = driver.execute_script("return readTimings.slice(-4)")
    median = sorted(timings)[len(timings) // 2]
    check(median <= 100, f"an update of a 1,000-character text within 100 ms (median {median:.0f} ms)")
    print("read: each keystroke in a 1,000-character text updated in "
          + ", ".join(f"{t:.0f}" for t in timings) + " ms after the debounce")
    driver.save_screenshot(f"{out}/playground-read.png")

    step = "keyboard: arrow to the Cells tab, the strongest cell"
    driver.find_element(By.ID, "tab-read").send_keys(Keys.ARROW_RIGHT)
    check(driver.find_element(By.ID, "tab-cells").get_attribute("aria-selected") == "true", "Cells selected")
    Select(driver.find_element(By.ID, "cells-model")).select_by_value("poems")
    cell_spans = lambda: driver.find_elements(By.CSS_SELECTOR, "#cells-output pre.cells span")
    wait.until(lambda d: len(cell_spans()) > 50 and len(d.find_elements(By.CSS_SELECTOR, "table.ranking button")) > 5)
    step = "pick a cell from the ranking"
    pick = driver.find_elements(By.CSS_SELECTOR, "table.ranking button")[-1]
    picked = pick.text
    pick.click()
    unit = {k: driver.find_element(By.ID, f"cells-{k}").get_attribute("value") for k in ("layer", "cell", "state")}
    title = f"layer {unit['layer']} cell {unit['cell']} ({unit['state']})"
    wait.until(lambda d: title in d.find_element(By.CSS_SELECTOR, "#cells-output h2").text)
    step = "the cell's colours against the API's values"
    text = driver.find_element(By.ID, "cells-text").get_attribute("value")
    asked = {"model": "poems", "text": text, "layer": int(unit["layer"]), "cell": int(unit["cell"]),
             "state": unit["state"]}
    request = urllib.request.Request(f"{url}/api/charnn/cells", data=json.dumps(asked).encode(),
                                     headers={"Content-Type": "application/json"})
    answer = json.load(urllib.request.urlopen(request))
    shown = [float(s.get_attribute("data-value")) for s in cell_spans()]
    check(len(shown) == len(answer["values"]) and all(abs(a - b) < 1e-3 for a, b in zip(shown, answer["values"])),
          f"the page colours {title} by its values: {shown[:4]} against {answer['values'][:4]}")
    print(f"cells: {title} over {len(shown)} characters, picked from the ranking ({picked})")
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(f"{out}/playground-cells.png")

    step = "keyboard: arrow to the Words tab"
    driver.find_element(By.ID, "tab-cells").send_keys(Keys.ARROW_RIGHT)
    check(driver.find_element(By.ID, "tab-words").get_attribute("aria-selected") == "true", "Words selected")
    check(driver.find_element(By.ID, "words").is_displayed(), "the Words panel shows")

    step = "a nearest query as you type"
    box = driver.find_element(By.ID, "words-input")
    box.send_keys("dios")
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#words-results ol.neighbours li button")) >= 5)
    first = driver.find_elements(By.CSS_SELECTOR, "#words-results ol.neighbours li button")[0]
    neighbour = first.text
    step = f"click the neighbour {neighbour!r}"
    first.click()
    wait.until(lambda d: d.find_element(By.ID, "words-input").get_attribute("value") == neighbour)
    listed = lambda: [b.text for b in driver.find_elements(By.CSS_SELECTOR, "#words-results li button")]
    wait.until(lambda d: neighbour not in listed())
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#words-results figure.word-map circle")) == 31)
    labels = [t.text for t in driver.find_elements(By.CSS_SELECTOR, "#words-results figure.word-map text")]
    check(labels[0] == neighbour and set(listed()) <= set(labels), "the t-SNE map holds the word and its neighbours")
    print(f"words: dios → {neighbour} → {listed()[:5]}; a t-SNE map of {len(labels)} words")
    driver.save_screenshot(f"{out}/playground-words.png")

    step = "moved words: two models side by side"
    Select(driver.find_element(By.ID, "words-mode")).select_by_value("shift")
    boxes = driver.find_elements(By.CSS_SELECTOR, "#words-models input[type=checkbox]")
    check(len(boxes) == 2, f"two word2vec models to tick, found {len(boxes)}")
    for b in boxes:
        if not b.is_selected():
            b.click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#words-results .shift tbody tr")) == 20)
    first_row = driver.find_elements(By.CSS_SELECTOR, "#words-results .shift tbody tr")[0]
    cells = first_row.find_elements(By.TAG_NAME, "td")
    check(len(cells) == 5 and cells[0].find_element(By.TAG_NAME, "mark").text, "a moved word, highlighted")
    check(len(cells[3].text.split()) == 10 and len(cells[4].text.split()) == 10, "both neighbour lists")
    print(f"moved words: {cells[0].text} (cosine {cells[1].text}): {cells[3].text} | {cells[4].text}")
    driver.save_screenshot(f"{out}/playground-shift.png")

    step = "the Models panel and its loss curve"
    driver.find_element(By.ID, "tab-models").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#models-table tbody tr")) >= 3)
    wait.until(lambda d: d.execute_script(
        "return [...document.querySelectorAll('#models-curves img')].every(i => i.complete && i.naturalWidth > 0)"
        " && document.querySelectorAll('#models-curves img').length > 0"))
    driver.save_screenshot(f"{out}/playground-models.png")

    step = "a phone-sized window"
    driver.set_window_size(390, 844)
    driver.find_element(By.ID, "tab-write").click()
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    check(overflow <= 0, f"no sideways scrolling on a phone (overflow {overflow} px)")
    driver.save_screenshot(f"{out}/playground-phone.png")
    print(f"screenshots: {out}/playground-{{write,read,cells,words,shift,models,phone}}.png")
except Exception as error:  # one line naming the step that failed
    driver.save_screenshot(f"{out}/playground-failed.png")
    print(f"browser-test: failed at '{step}': {type(error).__name__}: {error}".splitlines()[0], file=sys.stderr)
    sys.exit(1)
finally:
    driver.quit()
