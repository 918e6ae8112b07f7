"""A labelled test set for the resolver: a registry with namesakes and moved cadres, and mentions
written the ways reports write them, each with the true person (or none) and its error kind.

Deterministic for a seed. bench/resolve.py runs it at county and province scale; the test suite
runs a small one and holds the resolver to quality floors on it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from opencc import OpenCC
from stdnum.cn import ric

from lianqing.analytics.resolve.scoring import name_level
from lianqing.analytics.resolve.text import (
    PersonName,
    char_pinyin,
    lookalikes,
    parse_name,
    registry_name,
    surname_pinyin,
)

# surnames with rough weights of their frequency in China (王李张刘陈 lead)
SURNAMES = (
    "王" * 72
    + "李" * 72
    + "张" * 68
    + "刘" * 54
    + "陈" * 45
    + "杨" * 31
    + "黄" * 23
    + "赵" * 22
    + "吴" * 20
    + "周" * 19
    + "徐" * 16
    + "孙" * 15
    + "马" * 14
    + "朱" * 13
    + "胡" * 12
    + "郭" * 11
    + "何" * 11
    + "高" * 10
    + "林" * 10
    + "罗" * 9
    + "郑" * 9
    + "梁" * 9
    + "谢" * 8
    + "宋" * 7
    + "唐" * 7
    + "许" * 7
    + "韩" * 6
    + "冯" * 6
    + "邓" * 6
    + "曹" * 6
    + "彭" * 5
    + "曾" * 5
    + "萧" * 5
    + "田" * 5
    + "董" * 5
    + "袁" * 5
    + "潘" * 4
    + "于" * 4
    + "蒋" * 4
    + "蔡" * 4
    + "余" * 4
    + "杜" * 4
    + "叶" * 4
    + "程" * 4
    + "苏" * 3
    + "魏" * 3
    + "吕" * 3
    + "丁" * 3
    + "任" * 3
    + "沈" * 3
    + "姚" * 3
    + "卢" * 3
    + "姜" * 3
    + "崔" * 3
    + "钟" * 3
    + "谭" * 3
    + "陆" * 3
    + "汪" * 3
    + "范" * 3
    + "金" * 3
    + "石" * 2
    + "廖" * 2
    + "贾" * 2
    + "夏" * 2
    + "韦" * 2
    + "付" * 2
    + "方" * 2
    + "白" * 2
    + "邹" * 2
    + "孟" * 2
    + "熊" * 2
    + "秦" * 2
    + "邱" * 2
    + "江" * 2
    + "尹" * 2
    + "薛" * 2
    + "闫" * 2
    + "段" * 2
    + "雷" * 2
    + "侯" * 2
    + "龙" * 2
    + "史"
    + "陶"
    + "黎"
    + "贺"
    + "顾"
    + "毛"
    + "郝"
    + "龚"
    + "邵"
    + "万"
    + "钱"
    + "严"
    + "覃"
    + "武"
    + "戴"
    + "莫"
    + "孔"
    + "向"
    + "汤"
    + "滕"
    + "欧阳" * 0
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志新春梅海波辉鹏斌宇浩凯健俊帆"
    "晨阳林琳雪婷莉宁飞龙文武永胜利庆德福贵云峰江河山川亮光东荣成宏伟兵锋晓燕芬玲凤琴霞慧颖佳"
    "欣怡雨萱子涵博文昊然思远天佑嘉豪泽宇浩然明哲俊熙伟祺振华立新卫东学军红梅桂芳淑珍秀兰玉珍"
    "德华少华春生秋菊冬梅建华国强永红海燕丽娟韬滔焘毅骏驰旭昕晖瑞祥祯禄寿喜庭彦璋瑶琪瑜璐"
)
DEPARTMENTS = (
    ("卫生健康局", ("卫健局", "卫生局", "卫健委", "卫计委")),
    ("人力资源和社会保障局", ("人社局", "人事局", "劳动局")),
    ("自然资源局", ("国土局", "国土资源局", "规划局")),
    ("民政局", ("县民政局", "民政局")),
    ("财政局", ("县财政局", "财政局")),
    ("住房和城乡建设局", ("住建局", "建设局")),
    ("市场监督管理局", ("市监局", "工商局", "质监局")),
    ("农业农村局", ("农业局", "农委")),
    ("交通运输局", ("交通局",)),
    ("教育局", ("教体局", "教委")),
    ("水利局", ("水务局",)),
    ("应急管理局", ("安监局", "应急局")),
    ("发展和改革委员会", ("发改委", "发改局")),
    ("生态环境局", ("环保局",)),
    ("城市管理局", ("城管局",)),
    ("医疗保障局", ("医保局",)),
    ("审计局", ("县审计局",)),
    ("司法局", ("县司法局",)),
)
DEPARTMENT_POSTS = ("局长", "副局长", "副局长", "办公室主任", "股长", "股长", "科员", "科员", "科员", "科员")
TOWN_SYLLABLES = "东西南北城关岭河桥店集庄营湾岗坊寨楼山泉石柳杨青白龙凤马黄"
COUNTY_HEADS = "青白赤黄金银玉石松柏桐梧枫柳桃李杏梅兰竹菊荷莲"
COUNTY_TAILS = "山川河阳平安宁城源水江溪林丰泽"
CITIZEN_UNITS = ("{town}镇{v}村", "{town}镇{v}村村民", "某建筑公司", "个体户", "{town}镇{v}村小卖部")
KINDS_LINKABLE = (
    "exact",
    "traditional",
    "homophone",
    "lookalike",
    "pinyin",
    "fullwidth_spaces",
    "dropped_char",
    "extra_char",
    "title",
    "unit_alias",
    "former_unit",
    "namesake_other_unit",
)
KINDS_AMBIGUOUS = ("ambiguous_namesake", "ambiguous_title")
KINDS_OUTSIDER = ("outsider_citizen", "outsider_other_county")


@dataclass
class TestSet:
    officials: list[dict[str, str]] = field(default_factory=list)
    orgs: list[dict[str, str]] = field(default_factory=list)
    persons: list[dict[str, str]] = field(default_factory=list)
    mentions: list[dict[str, str]] = field(default_factory=list)
    truth: dict[str, tuple[str, str]] = field(default_factory=dict)  # mention_id -> (person_id, kind)


@dataclass
class _Cadre:
    person_id: str
    name: str
    gender: str
    posts: list[tuple[str, str, bool]]  # (org_code, position, is_current)


class _Builder:
    def __init__(self, seed: int, counties: int, cadres_per_county: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - a reproducible test set, not a secret
        self.counties = counties
        self.per_county = cadres_per_county
        self.sequence = 0
        self.cadres: list[_Cadre] = []
        self.units: dict[str, tuple[str, str, str]] = {}  # code -> (name, parent, county name)
        self.unit_kind: dict[str, str] = {}  # code -> department name or town unit kind
        self.county_units: list[list[str]] = []
        self.names_count: dict[str, int] = {}
        self.by_unit: dict[str, list[_Cadre]] = {}
        self.by_family: dict[tuple[str, str], list[str]] = {}
        self.by_family_sound: dict[tuple[tuple[str, str], str], list[tuple[_Cadre, PersonName]]] = {}
        self.other_counties: list[str] = []
        self.to_traditional = OpenCC("s2t")
        readings: dict[str, list[str]] = {}
        for char in dict.fromkeys(GIVEN_CHARS):
            readings.setdefault(char_pinyin(char), []).append(char)
        self.homophones = {c: [o for o in group if o != c] for group in readings.values() for c in group}

    # ---- registry -----------------------------------------------------------------

    def person_id(self, is_male: bool) -> str:
        self.sequence += 1
        year = 1960 + self.rng.randrange(40)
        day = f"{year}{1 + self.rng.randrange(12):02d}{1 + self.rng.randrange(28):02d}"
        serial = (self.sequence % 500) * 2 + (1 if is_male else 0)
        region = f"41{(self.sequence // 500) % 90 + 10:02d}{self.sequence // 45000 % 90 + 10:02d}"
        body = f"{region}{day}{serial:03d}"
        return body + ric.calc_check_digit(body + "0")

    def name(self) -> str:
        surname = self.rng.choice(SURNAMES)
        given = "".join(self.rng.choice(GIVEN_CHARS) for _ in range(1 if self.rng.random() < 0.3 else 2))
        return surname + given

    def county_names(self) -> list[str]:
        names = [f"{head}{tail}县" for head in COUNTY_HEADS for tail in COUNTY_TAILS]
        self.rng.shuffle(names)
        return names

    def build_units(self, index: int, county: str) -> list[str]:
        codes = []
        root = f"C{index:04d}"
        self.units[root] = (f"{county}人民政府", "", county)
        for number, (department, _) in enumerate(DEPARTMENTS):
            code = f"{root}D{number:02d}"
            self.units[code] = (f"{county}{department}", root, county)
            self.unit_kind[code] = department
            codes.append(code)
        syllables = list(TOWN_SYLLABLES)
        towns = ["城关"] + [
            a + b
            for a, b in zip(self.rng.sample(syllables, 7), self.rng.sample(syllables, 7), strict=True)
            if a != b
        ]
        for number, town in enumerate(towns):
            government = f"{root}T{number:02d}G"
            self.units[government] = (f"{county}{town}镇人民政府", root, county)
            self.unit_kind[government] = "town_government"
            party = f"{root}T{number:02d}P"
            self.units[party] = (f"中共{county}{town}镇委员会", root, county)
            self.unit_kind[party] = "town_party"
            farm = f"{root}T{number:02d}A"
            self.units[farm] = (f"{town}镇农业综合服务中心", government, county)
            self.unit_kind[farm] = "town_farm"
            codes += [government, party, farm]
        return codes

    def posts_for(self, code: str) -> tuple[str, ...]:
        kind = self.unit_kind[code]
        if kind == "town_government":
            return ("镇长", "副镇长", "副镇长", "党政办主任", "科员", "科员", "科员")
        if kind == "town_party":
            return ("书记", "副书记", "组织委员", "宣传委员", "纪委书记")
        if kind == "town_farm":
            return ("站长", "副站长", "技术员", "技术员")
        return DEPARTMENT_POSTS

    def build_registry(self) -> None:
        for index, county in enumerate(self.county_names()[: self.counties]):
            codes = self.build_units(index, county)
            self.county_units.append(codes)
            for _ in range(self.per_county):
                is_male = self.rng.random() < 0.6
                code = self.rng.choice(codes)
                posts = [(code, self.rng.choice(self.posts_for(code)), True)]
                if self.rng.random() < 0.25:  # moved: an ended post in another unit of the county
                    former = self.rng.choice(codes)
                    if former != code:
                        posts.insert(0, (former, self.rng.choice(self.posts_for(former)), False))
                self.cadres.append(
                    _Cadre(self.person_id(is_male), self.name(), "男" if is_male else "女", posts)
                )

    def plant_namesakes(self, count: int) -> None:
        """Cadres sharing a name: in other units of the county, and pairs in the same unit."""
        for number in range(count):
            original = self.rng.choice(self.cadres)
            county = next(i for i, units in enumerate(self.county_units) if original.posts[-1][0] in units)
            same_unit = number % 3 == 0
            code = original.posts[-1][0] if same_unit else self.rng.choice(self.county_units[county])
            is_male = original.gender == "男"
            self.cadres.append(
                _Cadre(
                    self.person_id(is_male),
                    original.name,
                    original.gender,
                    [(code, self.rng.choice(self.posts_for(code)), True)],
                )
            )

    def tables(self, result: TestSet) -> None:
        result.orgs = [
            {"org_code": code, "name": name, "parent_code": parent, "region_code": "", "kind": "党政机关"}
            for code, (name, parent, _) in self.units.items()
        ]
        for cadre in self.cadres:
            for code, position, is_current in cadre.posts:
                result.officials.append(
                    {
                        "person_id": cadre.person_id,
                        "name": cadre.name,
                        "org_code": code,
                        "position": position,
                        "start_date": "2015-01-01" if not is_current else "2021-06-01",
                        "end_date": "" if is_current else "2021-05-31",
                    }
                )
            result.persons.append(
                {
                    "person_id": cadre.person_id,
                    "name": cadre.name,
                    "gender": cadre.gender,
                    "birth_date": f"{cadre.person_id[6:10]}-{cadre.person_id[10:12]}-{cadre.person_id[12:14]}",
                }
            )

    # ---- mentions -----------------------------------------------------------------

    def unit_text(self, code: str, *, alias: bool = False) -> str:
        name, _, county = self.units[code]
        kind = self.unit_kind.get(code, "")
        town = name.replace(county, "").replace("中共", "").split("镇")[0]
        if kind == "town_party":
            return f"{town}镇党委"
        if kind == "town_government":
            return self.rng.choice((f"{town}镇政府", f"{town}镇人民政府", f"{town}镇"))
        if kind == "town_farm":
            return self.rng.choice((f"{town}镇农业综合服务中心", f"{town}镇农技站", f"{town}镇"))
        aliases = dict(DEPARTMENTS).get(kind, ())
        if alias and aliases:
            return self.rng.choice(aliases)
        return self.rng.choice((name, name.replace(county, ""), "县" + name.replace(county, "")))

    def title_of(self, position: str) -> str:
        for title in ("局长", "镇长", "书记", "站长", "主任", "股长"):
            if position.endswith(title):
                return title
        return ""

    def mention(self, result: TestSet, kind: str, truth: str, **fields: str) -> None:
        mention_id = f"M{len(result.mentions) + 1:06d}"
        row = {
            "mention_id": mention_id,
            "name": "",
            "org_text": "",
            "position_text": "",
            "gender": "",
            "phone": "",
        }
        row.update(fields)
        result.mentions.append(row)
        result.truth[mention_id] = (truth, kind)

    def vary_name(self, name: str, kind: str) -> str | None:
        surname, given = name[:1], name[1:]
        rng = self.rng
        if kind == "traditional":
            text = self.to_traditional.convert(name)
            return text if text != name else None
        if kind == "homophone":
            spots = [i for i, c in enumerate(given) if self.homophones.get(c)]
            if not spots:
                return None
            i = rng.choice(spots)
            return surname + given[:i] + rng.choice(self.homophones[given[i]]) + given[i + 1 :]
        if kind == "lookalike":
            spots = [i for i, c in enumerate(name) if lookalikes().get(c)]
            if not spots:
                return None
            i = rng.choice(spots)
            return name[:i] + rng.choice(sorted(lookalikes()[name[i]])) + name[i + 1 :]
        if kind == "pinyin":
            reading = [surname_pinyin(surname), "".join(char_pinyin(c) for c in given)]
            return rng.choice(("".join(reading), " ".join(reading).title(), "".join(reading).upper()))
        if kind == "fullwidth_spaces":
            spaced = " ".join(name) if rng.random() < 0.5 else f" {surname} {given}　"
            return spaced.translate(str.maketrans("", "", "")) if rng.random() < 0.5 else "　".join(name)
        if kind == "dropped_char":
            return surname + given[0] if len(given) == 2 else None
        if kind == "extra_char":
            return (
                surname + given + given[-1]
                if rng.random() < 0.5
                else surname + rng.choice(GIVEN_CHARS) + given
            )
        return name

    def linkable(self, result: TestSet, kind: str) -> bool:
        cadre = self.rng.choice(self.cadres)
        code, position, _ = cadre.posts[-1]
        names = self.names_count.get(cadre.name, 0)
        if names > 1 and kind != "namesake_other_unit":
            return False
        if kind == "namesake_other_unit":
            if names < 2 or self.same_unit_namesake(cadre):
                return False
            self.mention(result, kind, cadre.person_id, name=cadre.name, org_text=self.unit_text(code))
            return True
        if kind == "title":
            title = self.title_of(position)
            if not title or len(self.title_fits(cadre, code, title)) != 1:
                return False
            self.mention(
                result,
                kind,
                cadre.person_id,
                name=cadre.name[:1] + title,
                org_text=self.unit_text(code, alias=True),
            )
            return True
        if kind == "unit_alias":
            if (
                self.unit_kind.get(code, "") not in dict(DEPARTMENTS)
                and self.unit_kind.get(code) != "town_party"
            ):
                return False
            self.mention(
                result, kind, cadre.person_id, name=cadre.name, org_text=self.unit_text(code, alias=True)
            )
            return True
        if kind == "former_unit":
            former = [c for c, _, is_current in cadre.posts if not is_current]
            if not former:
                return False
            self.mention(result, kind, cadre.person_id, name=cadre.name, org_text=self.unit_text(former[0]))
            return True
        written = self.vary_name(cadre.name, kind)
        if written is None or self.written_fits_another(cadre, written):
            return False
        extra = {"position_text": position} if self.rng.random() < 0.3 else {}
        if self.rng.random() < 0.3:
            extra["gender"] = cadre.gender
        self.mention(result, kind, cadre.person_id, name=written, org_text=self.unit_text(code), **extra)
        return True

    def written_fits_another(self, cadre: _Cadre, written: str) -> bool:
        """The varied name fits another cadre of a unit of the same family as well (the same
        name, the same sound, a look-alike or a character more or less): not decidable."""
        text = parse_name(written)
        family = self.family(cadre.posts[-1][0])
        sounds = {text.surname_pinyin} | {surname_pinyin(c) for c in lookalikes().get(text.surname, ())}
        return any(
            other is not cadre and name_level(text, parsed) != "name_differs"
            for sound in sounds
            for other, parsed in self.by_family_sound.get((family, sound), [])
        )

    def same_unit_namesake(self, cadre: _Cadre) -> bool:
        """Another cadre of the name works in a unit the mention's unit text fits too."""
        family = self.family(cadre.posts[-1][0])
        return (
            sum(
                1
                for unit in self.by_family.get(family, [])
                for c in self.by_unit.get(unit, [])
                if c.name == cadre.name
            )
            > 1
        )

    def ambiguous(self, result: TestSet, kind: str) -> bool:
        cadre = self.rng.choice(self.cadres)
        code, position, _ = cadre.posts[-1]
        if kind == "ambiguous_namesake":
            if not 2 <= self.names_count.get(cadre.name, 0) <= 5:
                return False
            # the name alone, or a unit where both work
            org_text = self.unit_text(code, alias=True) if self.same_unit_namesake(cadre) else ""
            self.mention(result, kind, cadre.person_id, name=cadre.name, org_text=org_text)
            return True
        title = self.title_of(position)
        # two to five cadres fit alike (more, and the text is too vague to list them all)
        if not title or not 2 <= len(self.title_fits(cadre, code, title, same_sound=False)) <= 5:
            return False
        self.mention(
            result,
            kind,
            cadre.person_id,
            name=cadre.name[:1] + title,
            org_text=self.unit_text(code, alias=True),
        )
        return True

    def family(self, code: str) -> tuple[str, str]:
        """Units a text without the county name fits alike: the same department or town unit."""
        name, _, county = self.units[code]
        kind = self.unit_kind.get(code, "")
        town = name.replace(county, "").replace("中共", "").split("镇")[0] if kind.startswith("town") else ""
        return kind, town

    def title_fits(self, cadre: _Cadre, code: str, title: str, *, same_sound: bool = True) -> list[_Cadre]:
        """Cadres a surname + title + unit text (county left out) fits: the same (or a same-
        sounding) surname and a current post with that title in a unit of the same family."""
        family = self.family(code)
        return [
            c
            for unit in self.by_family.get(family, [])
            for c in self.by_unit.get(unit, [])
            if (
                surname_pinyin(c.name[:1]) == surname_pinyin(cadre.name[:1])
                if same_sound
                else c.name[0] == cadre.name[0]
            )
            and any(o == unit and is_current and title in p for o, p, is_current in c.posts)
        ]

    def outsider(self, result: TestSet, kind: str) -> bool:
        rng = self.rng
        # half the outsiders carry a name some cadre has: a namesake outside the registry
        name = rng.choice(self.cadres).name if rng.random() < 0.5 else self.name()
        if kind == "outsider_citizen":
            town = rng.choice(("城关", "东岭", "西河"))
            org = rng.choice(CITIZEN_UNITS).format(town=town, v=rng.choice("前后东西南北大小"))
            self.mention(result, kind, "", name=name, org_text=org if rng.random() < 0.8 else "")
            return True
        county = self.other_counties[rng.randrange(len(self.other_counties))]
        department = rng.choice(DEPARTMENTS)
        self.mention(result, kind, "", name=name, org_text=f"{county}{department[0]}")
        return True


def generate_test_set(
    *, seed: int = 7, counties: int = 2, cadres_per_county: int = 800, mentions: int = 600
) -> TestSet:
    """A registry of `counties` × `cadres_per_county` cadres (+ namesakes) and labelled mentions."""
    builder = _Builder(seed, counties, cadres_per_county)
    builder.build_registry()
    builder.plant_namesakes(max(counties * cadres_per_county // 60, 3))
    builder.names_count = {}
    builder.by_unit = {}
    for cadre in builder.cadres:
        builder.names_count[cadre.name] = builder.names_count.get(cadre.name, 0) + 1
        for code, _, _ in cadre.posts:
            builder.by_unit.setdefault(code, []).append(cadre)
    builder.by_family = {}
    for code in builder.units:
        if code in builder.unit_kind:
            builder.by_family.setdefault(builder.family(code), []).append(code)
    for cadre in builder.cadres:
        parsed = registry_name(cadre.name)
        for unit in {code for code, _, _ in cadre.posts}:
            key = (builder.family(unit), parsed.surname_pinyin)
            builder.by_family_sound.setdefault(key, []).append((cadre, parsed))
    builder.other_counties = builder.county_names()[counties : counties + 20] or ["远方县"]
    result = TestSet()
    builder.tables(result)
    kinds = [*KINDS_LINKABLE, *KINDS_AMBIGUOUS, *KINDS_OUTSIDER]
    attempts = 0
    while len(result.mentions) < mentions and attempts < mentions * 200:
        kind = kinds[len(result.mentions) % len(kinds)] if attempts % 50 else builder.rng.choice(kinds)
        attempts += 1
        if kind in KINDS_LINKABLE:
            builder.linkable(result, kind)
        elif kind in KINDS_AMBIGUOUS:
            builder.ambiguous(result, kind)
        else:
            builder.outsider(result, kind)
    return result
