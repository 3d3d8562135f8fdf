"""Generate N realistic disclosures from the texts in data/disclosures, for scale tests and benchmarks.

    .venv/bin/python bench/generate.py 1000 --out /tmp/corpus-1000            # seed 0, 20 % with injected errors
    .venv/bin/python bench/generate.py 100 --out /tmp/c --seed 7 --error-share 0.5

Each generated document is one of the four texts of data/disclosures (the seed 00_… most often) with another
department (city, district and institution names from the tables below, replaced consistently, including the
short and wrong names the original prints), another year (every year the text names is shifted alike) and, for
the seed, its amounts multiplied by a whole factor (so every sum and percentage the document states stays what
it was: a total that added up still adds up, one that did not is still off, by as many times more). A known
share of the seed-based documents gets source errors injected (a part of the revenue total or of the running
costs changed); ``<name>.expected.json`` beside each document names the findings they must give (shape, focus
node, severity, a piece of the message). The same ``--seed`` gives the same corpus, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg_publisher.iris import IriMinter
from kg_publisher.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
DISCLOSURES = ROOT / "data" / "disclosures"
BASE_IRI = "https://w3id.org/cn-budget-kg/"
BGTS = "https://w3id.org/cn-budget-kg/shapes#"

CITIES = ("鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳", "铁岭", "朝阳", "葫芦岛", "大连", "沈阳",
          "四平", "通化", "白山", "松原", "吉林", "延吉", "齐齐哈尔", "牡丹江", "佳木斯", "大庆", "鸡西")
DISTRICTS = ("铁东区", "铁西区", "立山区", "千山区", "新华区", "站前区", "西市区", "老边区", "太平区", "细河区",
             "白塔区", "文圣区", "宏伟区", "银州区", "清河区", "双塔区", "龙城区", "连山区", "龙港区", "南票区",
             "中山区", "西岗区", "沙河口区", "和平区", "沈河区", "皇姑区", "大东区", "浑南区", "于洪区", "苏家屯区")
CENTRES = ("政务服务中心", "机关事务服务中心", "公共资源交易中心", "档案馆", "融媒体中心", "退役军人服务中心",
           "社会保险事业服务中心", "不动产登记中心")
MUNICIPALITIES = ("天津市", "北京市", "上海市", "成都市", "武汉市", "西安市", "长沙市", "郑州市", "济南市", "杭州市",
                  "南京市", "合肥市", "南昌市", "福州市", "昆明市", "贵阳市", "南宁市", "太原市", "石家庄市",
                  "哈尔滨市", "长春市", "兰州市", "西宁市", "银川市")
COMMISSIONS = ("交通委员会", "交通运输委员会", "城乡建设委员会", "经济和信息化委员会", "发展和改革委员会",
               "卫生健康委员会", "教育委员会", "商务委员会", "农业农村委员会", "科学技术委员会")
SHANGHAI_DISTRICTS = ("静安区", "徐汇区", "长宁区", "杨浦区", "虹口区", "黄浦区", "闵行区", "宝山区", "嘉定区",
                      "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区")
BUREAUS = ("财政局", "审计局", "统计局", "民政局", "司法局", "商务委员会", "生态环境局", "文化和旅游局",
           "卫生健康委员会", "人力资源和社会保障局", "市场监督管理局", "应急管理局")
YEARS = tuple(range(2016, 2026))
SCALES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Template:
    path: Path
    kind: str
    year: int
    weight: int
    #: (placeholder names → choices) and how they replace the original's names, longest first.
    names: tuple[tuple[str, tuple[str, ...]], ...]
    replace: Callable[[dict[str, str]], list[tuple[str, str]]]
    department: Callable[[dict[str, str]], str]
    #: Amounts may be multiplied (only where every amount is printed with its unit).
    scalable: bool = False
    #: Source errors can be injected (the seed's prose states the sums checked).
    injectable: bool = False


def _seed_names(n: dict[str, str]) -> list[tuple[str, str]]:
    short = n["district"].removesuffix("区")
    return [("盘锦市兴隆台区政务服务中心", f"{n['city']}市{n['district']}{n['centre']}"),
            ("兴隆台区政务服务中心", f"{n['district']}{n['centre']}"),
            ("盘锦市政务服务中心", f"{n['city']}市{n['centre']}"), ("盘锦政务服务中心", f"{n['city']}{n['centre']}"),
            ("盘锦市兴隆台区", f"{n['city']}市{n['district']}"), ("兴隆台区", n["district"]), ("兴隆台", short),
            ("盘锦市", f"{n['city']}市"), ("盘锦", n["city"])]


def _chongqing_names(n: dict[str, str]) -> list[tuple[str, str]]:
    return [("重庆市交通委员会", f"{n['city']}{n['commission']}"), ("重庆市", n["city"]), ("重庆", n["city"][:-1])]


def _putuo_names(n: dict[str, str]) -> list[tuple[str, str]]:
    short = n["district"].removesuffix("新区").removesuffix("区")
    return [("上海市普陀区财政局", f"上海市{n['district']}{n['bureau']}"),
            ("普陀区财政局", f"{n['district']}{n['bureau']}"), ("普陀区", n["district"]), ("普陀", short)]


TEMPLATES = (
    Template(DISCLOSURES / "00_panjin-xinglongtai-zwfwzx-2022-budget.txt", "budget", 2022, 4,
             (("city", CITIES), ("district", DISTRICTS), ("centre", CENTRES)), _seed_names,
             lambda n: f"{n['city']}市{n['district']}{n['centre']}", scalable=True, injectable=True),
    Template(DISCLOSURES / "01_chongqing-jiaowei-2018-budget.txt", "budget", 2018, 2,
             (("city", MUNICIPALITIES), ("commission", COMMISSIONS)), _chongqing_names,
             lambda n: f"{n['city']}{n['commission']}"),
    Template(DISCLOSURES / "03_putuo-czj-2025-budget.txt", "budget", 2025, 2,
             (("district", SHANGHAI_DISTRICTS), ("bureau", BUREAUS)), _putuo_names,
             lambda n: f"上海市{n['district']}{n['bureau']}"),
    Template(DISCLOSURES / "07_putuo-czj-2024-final.txt", "final", 2024, 2,
             (("district", SHANGHAI_DISTRICTS), ("bureau", BUREAUS)), _putuo_names,
             lambda n: f"上海市{n['district']}{n['bureau']}"),
)

_YEAR = re.compile(r"(?<![\d.,])(20[0-3]\d)(?=\s*年|-\d\d-\d\d)")
_AMOUNT = re.compile(r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?)(?=\s*(?:万元|亿元|元))")


def _shift_years(text: str, delta: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(1)) + delta), text)


def _format(value: Decimal, like: str) -> str:
    """``value`` printed as ``like`` is (same decimals; thousands commas when it has them)."""
    decimals = len(like.split(".", 1)[1]) if "." in like else 0
    text = f"{value:,.{decimals}f}" if "," in like else f"{value:.{decimals}f}"
    return text


def _scale(text: str, factor: int) -> str:
    if factor == 1:
        return text
    return _AMOUNT.sub(lambda m: _format(Decimal(m.group(1).replace(",", "")) * factor, m.group(1)), text)


@dataclass(frozen=True)
class Injection:
    """A source error: ``pattern`` (one group: the amount) is changed by ``delta``; the finding it must give."""

    name: str
    pattern: str
    shape: str
    observation: str
    message: str


INJECTIONS = (
    Injection("revenue-part-changed", r"1\.一般公共预算收入(\d[\d.]*)万元", "PartsAddUpShape", "revenue-total",
              "合计 {total}万元 与"),
    Injection("running-cost-part-raised", r"主要包括：办公费(\d[\d.]*)万元", "PartsWithinTotalShape",
              "running-cost-total", "超过合计 {total}万元"),
)
_TOTALS = {"revenue-total": r"收入预算(\d[\d.]*)万元", "running-cost-total": r"机关运行经费预算安排(\d[\d.]*)万元"}


def _inject(text: str, injection: Injection, rng: random.Random) -> tuple[str, str]:
    """The text with the error, and the printed total the finding names."""
    match = re.search(injection.pattern, text)
    total = re.search(_TOTALS[injection.observation], text)
    if match is None or total is None:
        raise ValueError(f"template lacks the sentence for {injection.name}")
    delta = Decimal(rng.randint(100, 999)) / 100
    changed = _format(Decimal(match.group(1)) + delta, match.group(1))
    return text[:match.start(1)] + changed + text[match.end(1):], total.group(1)


def generate(count: int, out: Path, seed: int = 0, error_share: float = 0.2,
             templates: list[str] | None = None) -> list[Path]:
    """Write ``count`` disclosures (and their ``.expected.json``) into ``out``; return the document paths.
    ``templates`` (file names in data/disclosures) limits the texts used; default all four."""
    chosen = [t for t in TEMPLATES if not templates or t.path.name in templates]
    if not chosen:
        known = ", ".join(t.path.name for t in TEMPLATES)
        raise ValueError(f"no such template {templates}; known: {known}")
    if count < 1:
        raise ValueError("count must be at least 1")
    if not 0 <= error_share <= 1:
        raise ValueError("error share must be between 0 and 1")
    rng = random.Random(seed)
    registry, minter = Registry.load(), IriMinter(BASE_IRI)
    out.mkdir(parents=True, exist_ok=True)
    texts = {t.path: t.path.read_text(encoding="utf-8") for t in TEMPLATES}
    used: set[tuple[str, int, str]] = set()
    written: list[Path] = []
    weights = [t.weight for t in chosen]
    for number in range(count):
        for _attempt in range(1000):
            template = rng.choices(chosen, weights)[0]
            names = {key: rng.choice(choices) for key, choices in template.names}
            year = rng.choice(YEARS)
            department = template.department(names)
            if (department, year, template.kind) not in used:
                break
        else:
            raise ValueError(f"cannot make {count} distinct disclosures from the name tables")
        used.add((department, year, template.kind))
        text = texts[template.path]
        for old, new in template.replace(names):
            text = text.replace(old, new)
        text = _shift_years(text, year - template.year)
        factor = rng.choice(SCALES) if template.scalable else 1
        text = _scale(text, factor)
        org = registry.resolve(department)
        key = minter.dataset_key(org.slug, year, template.kind)
        dataset = str(minter.dataset(org.slug, year, template.kind))
        expected: list[dict[str, str]] = []
        if template.injectable and rng.random() < error_share:
            for injection in rng.sample(INJECTIONS, rng.randint(1, len(INJECTIONS))):
                text, total = _inject(text, injection, rng)
                expected.append({"error": injection.name, "source_shape": BGTS + injection.shape,
                                 "focus_node": f"{dataset}/obs/{injection.observation}", "severity": "Warning",
                                 "message_contains": injection.message.format(total=total)})
        path = out / f"{number:05d}_{key}.txt"
        path.write_text(text, encoding="utf-8")
        meta = {"template": template.path.name, "department": department, "year": year, "kind": template.kind,
                "scale": factor, "dataset": dataset, "injected": expected}
        path.with_suffix(".expected.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                                      encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("count", type=int, help="how many disclosures to write")
    parser.add_argument("--out", type=Path, required=True, help="folder to write them into (created if missing)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same corpus)")
    parser.add_argument("--error-share", type=float, default=0.2,
                        help="share of seed-based documents given injected source errors (0–1, default 0.2)")
    parser.add_argument("--template", action="append", metavar="FILE",
                        help="use only this text of data/disclosures (repeatable; default all four)")
    args = parser.parse_args(argv)
    try:
        paths = generate(args.count, args.out, args.seed, args.error_share, args.template)
    except (ValueError, OSError) as exc:
        parser.error(str(exc))
    injected = sum(len(json.loads(p.with_suffix(".expected.json").read_text(encoding="utf-8"))["injected"])
                   for p in paths)
    print(f"wrote {len(paths)} disclosures to {args.out} ({injected} injected source errors)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
