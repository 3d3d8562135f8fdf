"""Each disclosure's figures as CSV and XLSX: written with the release, listed in the catalogue, served under
/dumps/, linked from the dataset page; read back with pandas and openpyxl, their amounts add up."""

from __future__ import annotations

import io
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, XSD

from kg_publisher.publish.release import Release
from kg_publisher.publish.spreadsheet import COLUMNS, xlsx_bytes
from kg_publisher.vocab import SPDX

PUTUO = "shanghai-putuo-czj-2025-budget"
SEED = "panjin-xinglongtai-zwfwzx-2022-budget"


def _csv(client: FlaskClient, key: str) -> pd.DataFrame:
    response = client.get(f"/dumps/{key}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())  # a BOM: spreadsheet programs then read UTF-8
    return pd.read_csv(io.BytesIO(response.data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _first_printings(frame: pd.DataFrame, **codes: str) -> pd.DataFrame:
    chosen = frame[frame["reprint_of"] == ""]
    for column, value in codes.items():
        chosen = chosen[chosen[column] == value]
    return chosen


def test_csv_rows_are_the_figures_and_add_up_to_the_totals(client: FlaskClient) -> None:
    frame = _csv(client, PUTUO)
    assert list(frame.columns) == list(COLUMNS)
    assert set(frame["department"]) == {"上海市普陀区财政局"} and set(frame["year"]) == {"2025"}
    by_class = _first_printings(frame, operation="expenditure", indicator="TOTAL", fund_source="_T",
                                expenditure_type="_T", economic_code="_T", item_code="_T")
    classes = by_class[by_class["function_code"].str.fullmatch(r"\d{3}")]
    assert list(classes["function_code"]) == ["201", "208", "210", "221"]
    total = sum(Decimal(value) for value in classes["amount_yuan"])
    # 支出总计 31,214,205.80 as the table prints it: the table's own total row is in the file, marked a reprint
    printed_total = frame[(frame["function_code"] == "_T") & (frame["printed_unit"] == "元")
                          & (frame["operation"] == "expenditure") & (frame["expenditure_type"] == "_T")
                          & (frame["fund_source"] == "_T") & (frame["indicator"] == "TOTAL")]
    assert total == Decimal("31214205.80") and Decimal(printed_total["amount_yuan"].iloc[0]) == total
    assert (printed_total["reprint_of"] != "").all()
    # the parts of 三公经费 add up to its total
    sangong = _first_printings(frame, indicator="SANGONG")
    parts = sangong[sangong["item_code"].isin(["OVERSEAS_TRAVEL", "OFFICIAL_VEHICLES", "OFFICIAL_RECEPTION"])]
    whole = sangong[sangong["item_code"] == "_T"]
    assert sum(Decimal(v) for v in parts["amount_yuan"]) == Decimal(whole["amount_yuan"].iloc[0]) == Decimal(9500)


def test_each_row_points_at_its_figure_and_its_span(client: FlaskClient, release: Release) -> None:
    frame = _csv(client, SEED)
    row = frame[frame["figure"].str.endswith("/obs/expenditure-basic")].iloc[0]
    assert (row["item"], row["printed_value"], row["printed_unit"], row["amount_yuan"]) == (
        "基本支出", "623.44", "万元", "6234400")
    text = Path(release.path / "sources").glob("*.txt")
    source = next(t for t in text if "基本支出623.44万元" in t.read_text(encoding="utf-8")).read_text(encoding="utf-8")
    assert source[int(row["span_start"]):int(row["span_end"])] == "基本支出623.44万元"
    total = frame[frame["figure"].str.endswith("/obs/expenditure-total")].iloc[0]
    assert int(total["findings"]) >= 1  # 合计 819.82 ≠ 623.44 + 150.94 is reported against it


def test_xlsx_holds_the_same_rows(client: FlaskClient) -> None:
    response = client.get(f"/dumps/{PUTUO}.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)["figures"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    frame = _csv(client, PUTUO)
    assert len(rows) - 1 == len(frame)
    amount = list(COLUMNS).index("amount_yuan")
    sheet_total = sum(Decimal(str(row[amount])) for row in rows[1:] if row[amount] is not None)
    assert sheet_total == sum(Decimal(value) for value in frame["amount_yuan"] if value)
    from_excel = pd.read_excel(io.BytesIO(response.data), sheet_name="figures", dtype=str, keep_default_na=False)
    assert list(from_excel["figure"]) == list(frame["figure"])


def test_xlsx_bytes_do_not_depend_on_the_clock() -> None:
    rows = [dict.fromkeys(COLUMNS, "x") | {"amount_yuan": Decimal("31214205.80")}]
    first = xlsx_bytes(rows, "t")
    time.sleep(1.1)  # zip members and document properties carry whole seconds
    assert xlsx_bytes(rows, "t") == first
    assert openpyxl.load_workbook(io.BytesIO(first))["figures"]["M2"].value == pytest.approx(31214205.8)


def test_the_catalogue_lists_them_as_distributions(client: FlaskClient, release: Release) -> None:
    catalogue = Graph().parse(data=client.get("/catalog.ttl").get_data(as_text=True), format="turtle")
    dataset = URIRef(release.dataset(PUTUO)["dataset"])  # type: ignore[index]
    downloads = {str(catalogue.value(dist, DCAT.downloadURL)): dist
                 for dist in catalogue.objects(dataset, DCAT.distribution)}
    for extension in ("csv", "xlsx"):
        url = next(u for u in downloads if u.endswith(f"/dumps/{PUTUO}.{extension}"))
        row = release.table(f"{PUTUO}.{extension}")
        assert row is not None
        dist = downloads[url]
        assert catalogue.value(dist, DCAT.byteSize) == Literal(row["bytes"], datatype=XSD.nonNegativeInteger)
        checksum = catalogue.value(dist, SPDX.checksum)
        assert str(catalogue.value(checksum, SPDX.checksumValue)) == row["sha256"]
        assert (release.path / row["path"]).stat().st_size == row["bytes"]


def test_the_dataset_page_links_them(client: FlaskClient) -> None:
    page = client.get(f"/id/dataset/{PUTUO}", headers={"Accept": "text/html"})
    links = BeautifulSoup(page.get_data(as_text=True), "html.parser").select("p.downloads a")
    assert [str(a["href"]).removeprefix("http://localhost") for a in links] == [
        f"/dumps/{PUTUO}.csv", f"/dumps/{PUTUO}.xlsx"]
    assert client.get(f"/dumps/{PUTUO}.csv", headers={"If-None-Match": client.get(
        f"/dumps/{PUTUO}.csv").headers["ETag"]}).status_code == 304
    assert client.get("/dumps/nothing-here.csv").status_code == 404
