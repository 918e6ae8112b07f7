"""The standard data package (DATA-CONTRACT.md) as one declarative table.

Importer, engine and generator all read this module; nothing else spells out the
datasets and their columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pyarrow as pa


class ColumnType(StrEnum):
    STRING = "string"
    DATE = "date"  # YYYY-MM-DD
    TIMESTAMP = "timestamp"  # YYYY-MM-DD HH:MM:SS, Asia/Shanghai wall time
    PERIOD = "period"  # YYYY-MM
    AMOUNT = "amount"  # yuan, two decimal places
    INTEGER = "integer"
    FLOAT = "float"
    QUANTITY = "quantity"  # exact decimal with four places: 亩, 升 (compared against limits exactly)
    BOOLEAN = "boolean"  # 1/0


# Column types as DuckDB SQL types (the engine casts every table to these).
SQL_TYPES: dict[ColumnType, str] = {
    ColumnType.STRING: "VARCHAR",
    ColumnType.DATE: "DATE",
    ColumnType.TIMESTAMP: "TIMESTAMP",
    ColumnType.PERIOD: "VARCHAR",
    ColumnType.AMOUNT: "DECIMAL(18,2)",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.FLOAT: "DOUBLE",
    ColumnType.QUANTITY: "DECIMAL(18,4)",
    ColumnType.BOOLEAN: "BOOLEAN",
}

ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    ColumnType.STRING: pa.string(),
    ColumnType.DATE: pa.date32(),
    ColumnType.TIMESTAMP: pa.timestamp("s"),
    ColumnType.PERIOD: pa.string(),
    ColumnType.AMOUNT: pa.decimal128(18, 2),
    ColumnType.INTEGER: pa.int64(),
    ColumnType.FLOAT: pa.float64(),
    ColumnType.QUANTITY: pa.decimal128(18, 4),
    ColumnType.BOOLEAN: pa.bool_(),
}


class IdKind(StrEnum):
    """What an identifier column holds, for normalisation and validation."""

    NONE = ""
    PERSON = "person_id"  # 公民身份号码, GB 11643
    USCC = "uscc"  # 统一社会信用代码, GB 32100
    PERSON_OR_USCC = "person_or_uscc"
    REGION = "region_code"  # GB/T 2260


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = ColumnType.STRING
    required: bool = True  # must be present in the file (values may still be empty)
    id_kind: IdKind = IdKind.NONE

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]

    @property
    def arrow_type(self) -> pa.DataType:
        return ARROW_TYPES[self.type]


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str  # Chinese name users know the dataset by
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # columns that identify one record, for record_ids

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([(column.name, column.arrow_type) for column in self.columns])


S, D, T, P, A, INT, F, B, Q = (
    ColumnType.STRING,
    ColumnType.DATE,
    ColumnType.TIMESTAMP,
    ColumnType.PERIOD,
    ColumnType.AMOUNT,
    ColumnType.INTEGER,
    ColumnType.FLOAT,
    ColumnType.BOOLEAN,
    ColumnType.QUANTITY,
)
PID, USCC, EITHER, REGION = IdKind.PERSON, IdKind.USCC, IdKind.PERSON_OR_USCC, IdKind.REGION


def _c(name: str, type_: ColumnType = S, *, required: bool = True, id_kind: IdKind = IdKind.NONE) -> Column:
    return Column(name, type_, required, id_kind)


DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            "orgs",
            "机构单位",
            (
                _c("org_code"),
                _c("name"),
                _c("parent_code", required=False),
                _c("region_code", id_kind=REGION),
                _c("kind", required=False),
            ),
            key=("org_code",),
        ),
        Dataset(
            "persons",
            "户籍人口",
            (
                _c("person_id", id_kind=PID),
                _c("name"),
                _c("gender", required=False),
                _c("birth_date", D, required=False),
                _c("region_code", required=False, id_kind=REGION),
                _c("household_id", required=False),
                _c("address", required=False),
            ),
            key=("person_id",),
        ),
        Dataset(
            "officials",
            "公职人员",
            (
                _c("person_id", id_kind=PID),
                _c("name"),
                _c("org_code"),
                _c("region_code", required=False, id_kind=REGION),
                _c("position", required=False),
                _c("rank", required=False),
                _c("category"),
                _c("is_leader", B),
                _c("start_date", D),
                _c("end_date", D, required=False),
            ),
            key=("person_id", "org_code", "start_date"),
        ),
        Dataset(
            "relatives",
            "亲属关系",
            (
                _c("official_id", id_kind=PID),
                _c("relative_id", id_kind=PID),
                _c("relative_name", required=False),
                _c("relation"),
            ),
            key=("official_id", "relative_id"),
        ),
        Dataset(
            "benefits",
            "惠民惠农补贴发放",
            (
                _c("record_id"),
                _c("program"),
                _c("person_id", id_kind=PID),
                _c("name", required=False),
                _c("region_code", required=False, id_kind=REGION),
                _c("household_id", required=False),
                _c("amount", A),
                _c("period", P),
                _c("pay_date", D),
                _c("account_no", required=False),
                _c("account_holder_id", required=False, id_kind=PID),
                _c("approver_org_code", required=False),
                _c("fund_code", required=False),
                _c("quantity", Q, required=False),
            ),
            key=("record_id",),
        ),
        Dataset(
            "standards",
            "补贴标准",
            (
                _c("program"),
                _c("region_code", id_kind=REGION),
                _c("period_from", P),
                _c("period_to", P, required=False),
                _c("max_amount", A),
            ),
            key=("program", "region_code", "period_from"),
        ),
        Dataset(
            "deaths",
            "死亡火化",
            (
                _c("person_id", id_kind=PID),
                _c("name", required=False),
                _c("death_date", D),
                _c("source", required=False),
            ),
            key=("person_id",),
        ),
        Dataset(
            "companies",
            "市场主体",
            (
                _c("uscc", id_kind=USCC),
                _c("name"),
                _c("legal_rep_id", required=False, id_kind=PID),
                _c("legal_rep_name", required=False),
                _c("reg_date", D, required=False),
                _c("region_code", required=False, id_kind=REGION),
                _c("status"),
                _c("phone", required=False),
                _c("address", required=False),
            ),
            key=("uscc",),
        ),
        Dataset(
            "shareholders",
            "股东出资",
            (
                _c("uscc", id_kind=USCC),
                _c("holder_id", id_kind=EITHER),
                _c("holder_name", required=False),
                _c("ratio", F, required=False),
            ),
            key=("uscc", "holder_id"),
        ),
        Dataset(
            "contracts",
            "政府采购与工程合同",
            (
                _c("contract_id"),
                _c("tender_id", required=False),
                _c("buyer_org_code"),
                _c("supplier_uscc", id_kind=USCC),
                _c("supplier_name", required=False),
                _c("amount", A),
                _c("sign_date", D),
                _c("method", required=False),
                _c("project_name", required=False),
            ),
            key=("contract_id",),
        ),
        Dataset(
            "bids",
            "投标记录",
            (
                _c("tender_id"),
                _c("bidder_uscc", id_kind=USCC),
                _c("price", A, required=False),
                _c("won", B, required=False),
            ),
            key=("tender_id", "bidder_uscc"),
        ),
        Dataset(
            "payroll",
            "财政供养人员工资",
            (
                _c("person_id", id_kind=PID),
                _c("name", required=False),
                _c("org_code"),
                _c("period", P),
                _c("amount", A),
            ),
            key=("person_id", "org_code", "period"),
        ),
        Dataset(
            "fund_flows",
            "专项资金拨付",
            (
                _c("flow_id"),
                _c("fund_code"),
                _c("fund_name", required=False),
                _c("from_org_code"),
                _c("to_org_code", required=False),
                _c("payee_id", required=False, id_kind=EITHER),
                _c("amount", A),
                _c("date", D),
                _c("purpose", required=False),
            ),
            key=("flow_id",),
        ),
        Dataset(
            "expenses",
            "公务支出报销",
            (
                _c("expense_id"),
                _c("org_code"),
                _c("claimant_id", required=False, id_kind=PID),
                _c("category"),
                _c("amount", A),
                _c("date", D),
                _c("vendor_name", required=False),
                _c("vendor_category", required=False),
                _c("headcount", INT, required=False),
                _c("memo", required=False),
            ),
            key=("expense_id",),
        ),
        Dataset(
            "vehicle_trips",
            "公务用车轨迹",
            (
                _c("trip_id"),
                _c("plate"),
                _c("org_code", required=False),
                _c("start_time", T),
                _c("end_time", T, required=False),
                _c("destination", required=False),
                _c("destination_category"),
            ),
            key=("trip_id",),
        ),
        Dataset(
            "vehicles",
            "机动车登记",
            (
                _c("plate"),
                _c("owner_id", id_kind=PID),
                _c("reg_date", D),
                _c("vehicle_type"),
            ),
            key=("plate",),
        ),
        Dataset(
            "properties",
            "不动产登记",
            (
                _c("property_id"),
                _c("owner_id", id_kind=PID),
                _c("address", required=False),
                _c("area", F, required=False),
                _c("reg_date", D),
            ),
            key=("property_id",),
        ),
        Dataset(
            "transactions",
            "资金往来",
            (
                _c("txn_id"),
                _c("time", T),
                _c("from_id", id_kind=EITHER),
                _c("from_name", required=False),
                _c("to_id", id_kind=EITHER),
                _c("to_name", required=False),
                _c("amount", A),
                _c("channel"),
                _c("memo", required=False),
            ),
            key=("txn_id",),
        ),
        Dataset(
            "prisoners",
            "服刑人员",
            (
                _c("person_id", id_kind=PID),
                _c("name", required=False),
                _c("start_date", D),
                _c("end_date", D, required=False),
                _c("source", required=False),
            ),
            key=("person_id", "start_date"),
        ),
        Dataset(
            "disabilities",
            "残疾人证",
            (
                _c("person_id", id_kind=PID),
                _c("name", required=False),
                _c("cert_no"),
                _c("level"),
                _c("issue_date", D),
                _c("cancel_date", D, required=False),
            ),
            key=("cert_no",),
        ),
        Dataset(
            "land_rights",
            "土地承包确权",
            (
                _c("household_id"),
                _c("person_id", id_kind=PID),
                _c("region_code", required=False, id_kind=REGION),
                _c("area_mu", Q),
            ),
            key=("household_id", "person_id"),
        ),
        Dataset(
            "official_vehicles",
            "公务车辆",
            (
                _c("plate"),
                _c("org_code", required=False),
                _c("model", required=False),
                _c("tank_liters", Q),
            ),
            key=("plate",),
        ),
        Dataset(
            "fuel_fills",
            "公务车加油",
            (
                _c("fill_id"),
                _c("card_no", required=False),
                _c("plate"),
                _c("org_code", required=False),
                _c("time", T),
                _c("liters", Q),
                _c("amount", A, required=False),
                _c("station", required=False),
            ),
            key=("fill_id",),
        ),
        Dataset(
            "card_payments",
            "公务卡消费",
            (
                _c("payment_id"),
                _c("card_no"),
                _c("holder_id", id_kind=PID),
                _c("org_code", required=False),
                _c("time", T),
                _c("merchant_name", required=False),
                _c("merchant_category", required=False),
                _c("amount", A),
            ),
            key=("payment_id",),
        ),
        Dataset(
            "declarations",
            "个人有关事项报告",
            (
                _c("declaration_id"),
                _c("person_id", id_kind=PID),
                _c("year", INT),
                _c("declared_on", D),
                _c("item_type"),
                _c("item_desc", required=False),
            ),
            key=("declaration_id",),
        ),
        # OCDS compiled releases, flattened by `lianqing import ocds=FILE.jsonl` (ocds.py) for
        # the R rules. Values are kept as the release has them: a field of the wrong JSON type
        # is empty (as Cardinal ignores it); dates stay text (R030 compares them as text).
        Dataset(
            "ocds_processes",
            "OCDS 采购过程",
            (
                _c("ocid"),
                _c("line", INT),  # line of the release in the imported file
                _c("buyer_id", required=False),
                _c("buyer_name", required=False),
                _c("procuring_entity_id", required=False),
                _c("procuring_entity_name", required=False),
                _c("tender_status", required=False),
                _c("procurement_method", required=False),
                _c("procurement_method_details", required=False),
                _c("tender_period_start", required=False),
                _c("tender_period_end", required=False),
                _c("submission_days", INT, required=False),  # whole days end - start (RFC 3339)
                _c("number_of_tenderers", INT, required=False),  # only a JSON non-negative integer
                _c("has_awards", B, required=False),  # /awards is an array
                _c("has_bid_details", B, required=False),  # /bids/details is an array
                _c("title", required=False),
            ),
            key=("ocid",),
        ),
        Dataset(
            "ocds_bids",
            "OCDS 投标",
            (
                _c("ocid"),
                _c("bid_index", INT),  # position in /bids/details (from 0)
                _c("bid_id", required=False),
                _c("status", required=False),
                _c("amount", F, required=False),  # /value/amount when a JSON number
                _c("currency", required=False),
                _c("date", required=False),
                _c("tenderer_count", INT, required=False),  # entries of /tenderers; empty when not an array
            ),
            key=("ocid", "bid_index"),
        ),
        Dataset(
            "ocds_bid_tenderers",
            "OCDS 投标人",
            (
                _c("ocid"),
                _c("bid_index", INT),
                _c("tenderer_index", INT),
                _c("tenderer_id", required=False),
                _c("tenderer_name", required=False),
            ),
            key=("ocid", "bid_index", "tenderer_index"),
        ),
        Dataset(
            "ocds_awards",
            "OCDS 授标",
            (
                _c("ocid"),
                _c("award_index", INT),
                _c("award_id", required=False),
                _c("status", required=False),
                _c("supplier_count", INT, required=False),  # entries of /suppliers; empty when not an array
                _c("has_items", B, required=False),  # /items is an array
            ),
            key=("ocid", "award_index"),
        ),
        Dataset(
            "ocds_award_suppliers",
            "OCDS 中标供应商",
            (
                _c("ocid"),
                _c("award_index", INT),
                _c("supplier_index", INT),
                _c("supplier_id", required=False),
                _c("supplier_name", required=False),
            ),
            key=("ocid", "award_index", "supplier_index"),
        ),
        Dataset(
            "ocds_award_items",
            "OCDS 授标品目",
            (
                _c("ocid"),
                _c("award_index", INT),
                _c("item_index", INT),
                _c("classification_id", required=False),
                _c("classification_scheme", required=False),
            ),
            key=("ocid", "award_index", "item_index"),
        ),
    )
}

# The OCDS datasets come only from `lianqing import ocds=FILE.jsonl` (the generator makes none).
OCDS_DATASET_NAMES: tuple[str, ...] = tuple(name for name in DATASETS if name.startswith("ocds_"))
DATASET_NAMES: tuple[str, ...] = tuple(name for name in DATASETS if name not in OCDS_DATASET_NAMES)

# Value vocabularies the rules depend on (RULES.md "Shared definitions").
CLOSE_RELATIONS: tuple[str, ...] = ("配偶", "子女", "父母", "配偶父母", "子女配偶", "兄弟姐妹")
SUBSISTENCE_PROGRAMS: tuple[str, ...] = ("低保", "特困供养")
DISABILITY_PROGRAMS: tuple[str, ...] = ("困难残疾人生活补贴", "重度残疾人护理补贴")
SEVERE_DISABILITY_PROGRAM = "重度残疾人护理补贴"
PENSION_PROGRAM = "城乡居民基本养老保险"
AREA_PROGRAM = "耕地地力保护补贴"
VILLAGE_CADRE = "村干部"
# The festivals whose windows rules F06 and F08 look at, as chinese_calendar.get_holiday_detail names them.
FESTIVAL_NAMES: frozenset[str] = frozenset(
    {
        "New Year's Day",
        "Spring Festival",
        "Tomb-sweeping Day",
        "Labour Day",
        "Dragon Boat Festival",
        "Mid-autumn Festival",
        "National Day",
    }
)


def get_dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(DATASET_NAMES)
        raise KeyError(f"未知的数据集 {name}，可用的有：{known}") from None


# The Chinese name a person reads for each column (evidence tables, exports' headings). A column
# means the same in every dataset unless DATASET_COLUMN_TITLES says otherwise for one dataset.
COLUMN_TITLES: dict[str, str] = {
    "org_code": "单位",
    "name": "姓名/名称",
    "parent_code": "上级单位",
    "region_code": "行政区划",
    "kind": "单位类型",
    "person_id": "身份证号码",
    "gender": "性别",
    "birth_date": "出生日期",
    "household_id": "户编号",
    "address": "地址",
    "position": "职务",
    "rank": "职级",
    "category": "类别",
    "is_leader": "是否领导干部",
    "start_date": "任职日期",
    "end_date": "离任日期",
    "official_id": "公职人员身份证号码",
    "relative_id": "亲属身份证号码",
    "relative_name": "亲属姓名",
    "relation": "关系",
    "record_id": "记录编号",
    "program": "补贴项目",
    "amount": "金额（元）",
    "period": "所属月份",
    "pay_date": "发放日期",
    "account_no": "账号",
    "account_holder_id": "持卡人身份证号码",
    "approver_org_code": "审批单位",
    "fund_code": "专项资金",
    "period_from": "起始月份",
    "period_to": "终止月份",
    "max_amount": "标准上限（元）",
    "death_date": "死亡日期",
    "source": "来源",
    "uscc": "统一社会信用代码",
    "legal_rep_id": "法定代表人身份证号码",
    "legal_rep_name": "法定代表人",
    "reg_date": "登记日期",
    "status": "状态",
    "phone": "联系电话",
    "holder_id": "股东证件号码",
    "holder_name": "股东名称",
    "ratio": "出资比例",
    "contract_id": "合同编号",
    "tender_id": "招标编号",
    "buyer_org_code": "采购单位",
    "supplier_uscc": "供应商统一社会信用代码",
    "supplier_name": "供应商",
    "sign_date": "签订日期",
    "method": "采购方式",
    "project_name": "项目名称",
    "bidder_uscc": "投标人统一社会信用代码",
    "price": "投标报价（元）",
    "won": "是否中标",
    "flow_id": "拨付编号",
    "fund_name": "资金名称",
    "from_org_code": "拨出单位",
    "to_org_code": "拨入单位",
    "payee_id": "收款人证件号码",
    "date": "日期",
    "purpose": "用途",
    "expense_id": "报销单号",
    "claimant_id": "报销人身份证号码",
    "vendor_name": "商户名称",
    "vendor_category": "商户类别",
    "headcount": "人数",
    "memo": "备注",
    "trip_id": "行程编号",
    "plate": "车牌号",
    "start_time": "出发时间",
    "end_time": "返回时间",
    "destination": "目的地",
    "destination_category": "目的地类别",
    "owner_id": "所有人身份证号码",
    "vehicle_type": "车辆类型",
    "property_id": "不动产单元号",
    "area": "面积（平方米）",
    "txn_id": "交易流水号",
    "time": "交易时间",
    "from_id": "付款人证件号码",
    "from_name": "付款人",
    "to_id": "收款人证件号码",
    "to_name": "收款人",
    "channel": "交易渠道",
    "quantity": "数量",
    "cert_no": "残疾人证号",
    "level": "残疾等级",
    "issue_date": "发证日期",
    "cancel_date": "注销日期",
    "area_mu": "确权面积（亩）",
    "model": "车型",
    "tank_liters": "油箱容积（升）",
    "fill_id": "加油流水号",
    "card_no": "卡号",
    "liters": "加油量（升）",
    "station": "加油站",
    "payment_id": "支付流水号",
    "merchant_name": "商户名称",
    "merchant_category": "商户类别",
    "declaration_id": "申报记录编号",
    "year": "年度",
    "declared_on": "申报日期",
    "item_type": "事项类别",
    "item_desc": "事项说明",
}
DATASET_COLUMN_TITLES: dict[tuple[str, str], str] = {
    ("orgs", "name"): "单位名称",
    ("companies", "name"): "企业名称",
    ("benefits", "person_id"): "领取人身份证号码",
    ("benefits", "name"): "领取人",
    ("officials", "category"): "人员类别",
    ("expenses", "category"): "支出类别",
    ("expenses", "date"): "报销日期",
    ("fund_flows", "date"): "拨付日期",
    ("payroll", "amount"): "工资（元）",
    ("contracts", "amount"): "合同金额（元）",
    ("fund_flows", "amount"): "拨付金额（元）",
    ("transactions", "amount"): "交易金额（元）",
    ("shareholders", "holder_id"): "股东证件号码",
    ("card_payments", "holder_id"): "持卡人身份证号码",
    ("card_payments", "time"): "支付时间",
    ("fuel_fills", "time"): "加油时间",
    ("card_payments", "amount"): "支付金额（元）",
    ("fuel_fills", "amount"): "加油金额（元）",
    ("declarations", "person_id"): "申报人身份证号码",
}
# Columns that name an org of the package's `orgs` (shown by the org's name).
ORG_CODE_COLUMNS = frozenset(
    {"org_code", "parent_code", "approver_org_code", "buyer_org_code", "from_org_code", "to_org_code"}
)


def column_title(dataset: str, column: str) -> str:
    """The Chinese name of `column` in `dataset`; the column name itself only when none is known."""
    return DATASET_COLUMN_TITLES.get((dataset, column)) or COLUMN_TITLES.get(column, column)
