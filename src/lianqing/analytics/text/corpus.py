"""A generated, labelled corpus of reports, written the many ways citizens write.

It trains the shipped default classifier and is what bench/triage.py measures on (a held-back
part). Each text has its category code, the names of the people it names, the largest sum it
mentions (yuan) and, for copies, the id of the text it copies. Styles: a formal letter, colloquial
speech with dialect words, a one-line tip, a long angry letter, traditional characters, a
forwarded copy with a new prefix and punctuation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CATEGORIES: dict[str, str] = {
    "sifeng_dining": "违规吃喝",
    "sifeng_gifts": "违规收送礼品礼金",
    "sifeng_vehicle": "公车私用",
    "sifeng_allowance": "违规发放津贴补贴",
    "sifeng_ceremony": "大操大办婚丧喜庆",
    "sifeng_travel": "公款旅游",
    "sifeng_formalism": "形式主义官僚主义",
    "bribery": "受贿行贿",
    "abuse_of_power": "滥用职权",
    "dereliction": "失职失责",
    "public_interest": "侵害群众利益",
    "business": "违规经商办企业",
    "other": "其他",
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤滕"
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰涛明超霞平刚桂华玉兰红建国志文斌波辉鹏宇浩凯健俊帆峰海晨韬新生春林东亮成"
)
TITLES = (
    "局长",
    "副局长",
    "书记",
    "副书记",
    "镇长",
    "副镇长",
    "主任",
    "副主任",
    "站长",
    "所长",
    "村支书",
    "村主任",
    "科长",
    "会计",
    "校长",
    "院长",
)
UNITS = (
    "县卫健局", "县卫生健康局", "县人社局", "县民政局", "县自然资源局", "县住建局", "县教育局", "县交通运输局",
    "城关镇", "东岭镇", "西河乡", "南湖街道", "县医院", "县财政局", "县农业农村局", "县市场监管局", "县水利局",
)  # fmt: skip
PLACES = ("城关镇", "东岭镇", "西河乡", "南湖街道", "北山村", "李家庄", "河口村", "新华社区", "县城")
DIALECT = (("我们", "俺们"), ("什么", "啥"), ("怎么", "咋"), ("这个", "这"), ("没有", "没"), ("他", "这家伙"))


@dataclass(frozen=True)
class Sample:
    text_id: str
    text: str
    category: str
    persons: tuple[str, ...]
    amount: float | None
    duplicate_of: str  # '' when original


# Each template: (text with {person} {unit} {place} {amount} {when}, has amount?)
TEMPLATES: dict[str, tuple[str, ...]] = {
    "sifeng_dining": (
        "{person}经常用公款在{place}的饭店大吃大喝，一顿饭花了{amount}，发票开成办公用品报销。",
        "{when}{person}带着单位的人在农家乐聚餐喝酒，吃的是公家的钱，有{amount}。",
        "{unit}的{person}违规接受宴请，老板请客吃饭喝茅台，一桌就{amount}。",
        "{person}把私人请客的饭钱拿到单位报销，{when}就报了{amount}的餐费。",
        "工作日中午{person}在{place}酒店饮酒，公务接待超标，陪餐的人比客人还多。",
    ),
    "sifeng_gifts": (
        "{when}{person}收了下属送的购物卡和烟酒，价值{amount}。",
        "{person}逢年过节就收红包礼金，{when}收了好几个人的红包，少说也有{amount}。",
        "有人看见{person}在办公室收下了一箱名酒和{amount}的礼品卡。",
        "{unit}{person}借中秋之机收受辖区企业的月饼和购物卡，合计{amount}。",
        "{person}收受管理服务对象的微信红包，每次几百，累计{amount}。",
    ),
    "sifeng_vehicle": (
        "{person}开着公车接送孩子上下学，周末还开公车去{place}钓鱼。",
        "{when}我看到{unit}的公务车停在{place}的饭店门口，是{person}开去办私事的。",
        "{person}把单位的车当自家车用，节假日开回老家，油费还在单位报。",
        "公车私用：{person}用{unit}的车拉自家装修材料。",
        "{person}私自开公车带家人去{place}旅游，加油卡里花了{amount}。",
    ),
    "sifeng_allowance": (
        "{unit}巧立名目给职工发放加班补贴和慰问金，每人{amount}，{person}批的。",
        "{person}违规给自己和班子成员发放津贴补贴，{when}一共发了{amount}。",
        "{unit}用虚假会议套取资金发奖金，{person}说了算，每人拿了{amount}。",
        "年底{person}在{unit}搞突击发钱，超标准发放福利{amount}。",
    ),
    "sifeng_ceremony": (
        "{person}给儿子办婚礼摆了五十多桌，请了辖区的老板和下属，收礼金{amount}。",
        "{when}{person}的母亲去世，大操大办，{unit}的人都去随礼了，收了{amount}。",
        "{person}借孩子升学宴敛财，请客吃饭收了不少红包，估计{amount}。",
        "{person}搬新家办乔迁宴，管理服务对象都去送礼。",
    ),
    "sifeng_travel": (
        "{person}以考察学习为名带着{unit}的人去{place}公款旅游，花了{amount}。",
        "{when}{unit}组织去外地培训，实际是游山玩水，{person}带队，费用{amount}公家出。",
        "{person}出差顺便带家属游玩，门票和住宿都拿回单位报销，{amount}。",
        "{person}借参加会议之机变相公款旅游，景区门票都报销了。",
    ),
    "sifeng_formalism": (
        "{unit}天天让我们填表报材料、拍照留痕，{person}只看材料不管实事。",
        "{person}搞形式主义，为了迎接检查把{place}的墙刷了一遍，群众的事情却没人管。",
        "{unit}开会太多，{person}一周开五个会，文件层层转发，基层疲于应付。",
        "{person}作风漂浮，调研走过场，到{place}拍个照就走，问题一个没解决。",
    ),
    "bribery": (
        "{person}收受工程老板好处费{amount}，把项目给了关系户。",
        "{when}有老板给{person}送了{amount}现金，帮他拿下了{unit}的工程。",
        "{person}利用职务便利为他人谋利，收受贿赂{amount}，还在{place}有一套房子是老板送的。",
        "{person}在提拔干部中收钱，每个岗位要价{amount}。",
        "{unit}的{person}吃拿卡要，办事不给好处就不办，我给了他{amount}才办成。",
    ),
    "abuse_of_power": (
        "{person}违规干预工程招标，强行指定施工单位，给国家造成损失{amount}。",
        "{person}滥用职权，违规审批{place}的土地，把集体土地变成了自己亲戚的。",
        "{unit}的{person}擅自决定拆除村民房屋，没有任何手续，群众损失{amount}。",
        "{person}利用职权打击报复举报人，扣发工资，还威胁要开除。",
        "{person}违规插手项目资金分配，私自改变资金用途{amount}。",
    ),
    "dereliction": (
        "{person}对{place}的安全隐患不闻不问，出了事故也不上报。",
        "{unit}监管不力，{person}失职，导致{place}的工程质量出了问题，损失{amount}。",
        "{person}不作为，群众反映的问题拖了一年多没人管。",
        "{when}{place}发生食品安全问题，{unit}的{person}没有履行监管职责。",
        "{person}工作严重失职，审核把关不严，造成补助资金{amount}被冒领。",
    ),
    "public_interest": (
        "{place}的低保被{person}给了自己亲戚，真正困难的人吃不上低保。",
        "{person}克扣群众的惠民补贴，每户少发{amount}，{when}才发现。",
        "{person}优亲厚友，把危房改造指标给了有楼房的人，还收了{amount}的好处。",
        "{unit}截留了村里的扶贫资金{amount}，{person}说账上没钱。",
        "{person}冒领已经去世老人的养老金，领了{amount}。",
        "{place}的耕地补贴被{person}多报面积套取，差不多{amount}。",
    ),
    "business": (
        "{person}在任上还开着公司，工程都让自己的公司做，赚了{amount}。",
        "{person}的老婆开了一家公司，专门承接{unit}的项目，合同额{amount}。",
        "{person}违规入股煤矿，每年分红{amount}。",
        "{person}利用职务影响为亲属经商办企业提供便利，{unit}的采购都给了他小舅子。",
        "{person}在{place}违规经营农家乐和超市，用的是别人的名字。",
    ),
    "other": (
        "我想咨询一下，{place}的征地补偿标准是多少？",
        "{person}生活作风有问题，经常很晚和异性出入{place}的宾馆。",
        "{unit}的网站打不开，想问一下办事流程。",
        "{person}在朋友圈发表不当言论，影响很坏。",
        "邻居占用公共通道，我找了{place}好几次都没人管，想问问该找哪个部门。",
    ),
}

OPENINGS = (
    "尊敬的纪委领导：我实名举报，",
    "尊敬的领导您好，",
    "我要反映一个问题：",
    "纪委同志：",
    "",
    "",
    "举报：",
)
CLOSINGS = (
    "请纪委调查处理！",
    "希望组织严肃查处。",
    "请领导重视。",
    "",
    "",
    "群众意见很大。",
    "恳请彻查！！",
)
ANGRY = (
    "这种人怎么还能当干部？",
    "老百姓敢怒不敢言，大家都知道但是没人敢说。",
    "我已经反映过好几次了，一直没有结果！",
    "希望上级领导下来看看，不要官官相护。",
    "我说的都是事实，可以找人核实。",
)
REPEAT_PREFIXES = ("再次反映：", "【转发】", "重复举报，", "请重视！", "我上次反映的问题至今没有处理：")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _amount(rng: random.Random) -> tuple[str, float]:
    """A sum and how a citizen might write it."""
    value = rng.choice(
        (
            300,
            500,
            800,
            1000,
            2000,
            3000,
            5000,
            8000,
            10000,
            20000,
            30000,
            50000,
            100000,
            200000,
            500000,
            1200000,
        )
    )
    digits = {
        300: "三百",
        500: "五百",
        800: "八百",
        1000: "一千",
        2000: "两千",
        3000: "三千",
        5000: "五千",
        8000: "八千",
    }
    forms = [f"{value}元", f"{value:,}元", f"¥{value:,}", f"{value}块钱"]
    if value >= 10000:
        tenk = value / 10000
        text = f"{tenk:g}"
        forms += [f"{text}万元", f"{text}万", f"{text}万块"]
        chinese = {1: "一", 2: "两", 3: "三", 5: "五", 10: "十", 20: "二十", 50: "五十", 120: "一百二十"}
        if tenk in chinese:
            forms.append(f"{chinese[int(tenk)]}万元")
    if value in digits:
        forms += [f"{digits[value]}元", f"{digits[value]}块"]
    if value in (1000, 2000, 3000, 5000, 8000):
        forms.append(f"{value // 1000}千块")
    return rng.choice(forms), float(value)


def _when(rng: random.Random) -> str:
    return rng.choice(
        ("春节前", "去年中秋", "今年五一", "上个月", "2024年国庆期间", "前几天", "3月15日", "年底", "")
    )


def _dialect(text: str, rng: random.Random) -> str:
    for plain, spoken in DIALECT:
        if rng.random() < 0.7:
            text = text.replace(plain, spoken)
    return text


def _compose(rng: random.Random, category: str) -> tuple[str, tuple[str, ...], float | None]:
    template = rng.choice(TEMPLATES[category])
    name = _name(rng)
    title = rng.choice(TITLES)
    unit = rng.choice(UNITS)
    person_forms = [f"{name}", f"{unit}{title}{name}", f"{name}{title}", f"{unit}的{name}"]
    person = rng.choice(person_forms)
    amount_text, amount = _amount(rng)
    has_amount = "{amount}" in template
    body = template.format(
        person=person, unit=unit, place=rng.choice(PLACES), amount=amount_text, when=_when(rng)
    )
    persons = [name] if "{person}" in template else []
    if not persons:  # a citizen asking on his own behalf says who and where he is
        body += f"我住{rng.choice(PLACES)}{rng.randint(1, 12)}组{rng.randint(1, 60)}号，{rng.choice(('急', '盼复', '谢谢', '等答复'))}。"
    if rng.random() < 0.25:  # a side remark about another kind of conduct
        other = rng.choice([c for c in TEMPLATES if c not in (category, "other")])
        remark = rng.choice(TEMPLATES[other]).split("，")[0].rstrip("。")
        remark = remark.format(person="他", unit=unit, place=rng.choice(PLACES), amount="", when="")
        body = f"{body}另外，{remark}。"
    style = rng.random()
    if style < 0.15:  # one-line tip
        body = body.split("，")[0] + "。"
        has_amount = has_amount and amount_text in body
        persons = [p for p in persons if p in body]
    elif style < 0.35:  # a long angry letter, with a second person
        witness = _name(rng)
        extra = rng.sample(ANGRY, 2)
        body = f"{body}{extra[0]}{witness}也知道这件事。{extra[1]}"
        persons.append(witness)
    elif style < 0.5:
        body = _dialect(body, rng)
    text = rng.choice(OPENINGS) + body + rng.choice(CLOSINGS)
    return text, tuple(persons), (amount if has_amount else None)


def generate_corpus(size: int = 6000, *, seed: int = 1, copy_share: float = 0.08) -> list[Sample]:
    """`size` texts in arrival order; about `copy_share` of them are copies of an earlier text."""
    from lianqing.analytics.text.normalize import to_traditional

    rng = random.Random(seed)  # noqa: S311 (a corpus, not a secret)
    samples: list[Sample] = []
    codes = list(CATEGORIES)
    for number in range(size):
        text_id = f"T{number:06d}"
        if samples and rng.random() < copy_share:
            original = rng.choice(samples[-200:])
            if original.duplicate_of:
                original = next(s for s in samples if s.text_id == original.duplicate_of)
            copy = rng.choice(REPEAT_PREFIXES) + original.text.replace("，", ",").replace("。", "。 ")
            samples.append(
                Sample(text_id, copy, original.category, original.persons, original.amount, original.text_id)
            )
            continue
        category = codes[number % len(codes)] if rng.random() < 0.5 else rng.choice(codes)
        text, persons, amount = _compose(rng, category)
        if rng.random() < 0.08:
            text = to_traditional(text)
            persons = tuple(to_traditional(p) for p in persons)
        samples.append(Sample(text_id, text, category, persons, amount, ""))
    return samples
