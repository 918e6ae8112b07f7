"""Names of people a report names, without their titles ("汪建国局长" → 汪建国).

jieba segments the text (its HMM joins the characters of a name it has never seen), helped by
a user dictionary of titles and units (so "局长汪建国" splits before the name). A token is a name
when it is two or three Han characters starting with a known surname and jieba's dictionary
either does not know it (a new word: most names) or tags it as a person name — so 周末, 高兴 and
王国 stay words. Plain segmentation, not part-of-speech tagging: the tagger's Viterbi pass costs
ten times as much. Traditional text is read in simplified form and the name returned as written.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import cache

from lianqing.analytics.text.normalize import to_simplified

# The common surnames (百家姓 by frequency) and the compound ones that occur in reports.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤滕常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
TITLE_WORDS = (
    "局长", "副局长", "书记", "副书记", "镇长", "副镇长", "乡长", "主任", "副主任", "站长", "所长", "村支书",
    "支书", "村主任", "科长", "会计", "校长", "院长", "部长", "县长", "副县长", "处长", "队长", "组长", "经理",
    "老板", "干部", "委员", "主席", "厂长", "行长", "董事长",
)  # fmt: skip
_NAME_FLAGS = ("nr", "nrfg", "nrt")
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
# A word ending in one of these is a verb phrase, a place or an office (车拉, 任上, 李家庄, 卫健局),
# not a name — whatever jieba's dictionary says (it tags 农家乐 and 谢谢 as names).
_NOT_NAME_ENDINGS = frozenset(
    "上下拉当给送批借把被让叫带和与跟对向在是的了着过也都就还又迁乐庄村镇乡屯寨街路谢局厅院所站办委会司厂店场"
)
# Surnames that are far more often a function word: never joined to the word after them.
_FUNCTION_SURNAMES = frozenset("和向于万从")
_lock = threading.Lock()


@cache
def _tokenizer() -> tuple[object, dict[str, str]]:
    """jieba's tokenizer with the title words, and its word → part-of-speech table."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)  # no "Building prefix dict" chatter on stderr
    tokenizer = jieba.Tokenizer()
    tags: dict[str, str] = jieba.posseg.POSTokenizer(tokenizer).word_tag_tab  # the shipped dictionary's tags
    for title in TITLE_WORDS:
        tokenizer.add_word(title, freq=200000, tag="n")
        tags[title] = "n"
    return tokenizer, tags


def add_words(words: Iterable[str], tag: str = "nt") -> None:
    """A user dictionary: units and places (tag nt/ns) or registry names (tag nr)."""
    tokenizer, tags = _tokenizer()
    with _lock:
        for word in words:
            if word:
                tokenizer.add_word(word, freq=100000, tag=tag)  # type: ignore[attr-defined]
                tags[word] = tag


def _is_name(word: str, tags: dict[str, str]) -> bool:
    if not _HAN.match(word) or word[0] not in SURNAMES:
        return False
    if word[-1] in _NOT_NAME_ENDINGS:
        return False
    tag = tags.get(word)
    return tag is None or tag in _NAME_FLAGS  # a new word (most names), or one the dictionary knows as a name


# A given name that is itself a word (孙|红梅, 王|建国) arrives as surname + word: join them.
_GIVEN_NAME_TAGS = frozenset({"n", "nr", "nz", "ng", "a", "ag", "nrt", "nrfg"})


def _join_split_names(tokens: list[str], tags: dict[str, str]) -> list[str]:
    joined: list[str] = []
    index = 0
    while index < len(tokens):
        word = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if (
            len(word) == 1
            and word in SURNAMES
            and word not in _FUNCTION_SURNAMES
            and 1 <= len(following) <= 2
            and _HAN.match(word + following)
            and following not in TITLE_WORDS
            and tags.get(following) in _GIVEN_NAME_TAGS
        ):
            joined.append(word + following)
            index += 2
            continue
        joined.append(word)
        index += 1
    return joined


def persons(text: str, simplified: str | None = None) -> list[str]:
    """Names in order of first mention, each once (`simplified`: the text already converted)."""
    simplified = to_simplified(text) if simplified is None else simplified
    same_length = len(simplified) == len(text)
    tokenizer, tags = _tokenizer()
    found: list[str] = []
    position = 0
    with _lock:
        tokens = _join_split_names(list(tokenizer.cut(simplified, HMM=True)), tags)  # type: ignore[attr-defined]
    for word in tokens:
        start = simplified.find(word, position)
        position = start + len(word) if start >= 0 else position
        if not _is_name(word, tags):
            continue
        name = text[start : start + len(word)] if same_length and start >= 0 else word
        if name not in found:
            found.append(name)
    return found
