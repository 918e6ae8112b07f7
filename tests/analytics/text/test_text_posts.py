"""舆情 exports: bad rows named by number, relevant posts clustered into events."""

from __future__ import annotations

import json

from lianqing.analytics.text.posts import cluster_posts, read_posts
from lianqing.analytics.text.triage import load_model

EXPORT = """time,platform,author,text,url
2026-11-01 10:00,微博,网友A,县卫健局汪建国局长春节前收了药企红包两万元，太黑了,https://a/1
2026-11-01 12:00,抖音,网友B,转发：县卫健局汪建国局长春节前收了药企红包两万元，太黑了！！,https://a/2
2026-11-03 09:00,论坛,网友C,听说县卫健局汪建国收红包的事还没人管？,https://a/3
2026-11-02 08:00,微博,网友D,今天天气真好，城关镇的桂花开了,https://a/4
bad,微博,网友E,东岭镇站长用公车接孩子,https://a/5
2026-11-05,微博,网友F,,https://a/6
2026-11-06 08:00,微博,网友G,东岭镇农业站张站长天天开公车接送孩子上学,https://a/7
2026-11-06 09:00,微博,网友H,外县某局长收红包,https://a/8
"""


def test_bad_rows_are_reported_with_their_row_number() -> None:
    posts, errors = read_posts(EXPORT.encode(), "export.csv")
    assert len(posts) == 6
    assert [(e.row, e.reason) for e in errors] == [(6, "时间“bad”无法识别"), (7, "正文为空或无法识别")]


def test_a_file_that_cannot_be_read_is_one_clear_error() -> None:
    assert (
        read_posts(b"a,b\n1,2\n", "x.csv")[1][0].reason == "x.csv：缺少列 time、platform、author、text、url"
    )
    assert "UTF-8" in read_posts(b"\xff\xfe\x00", "x.csv")[1][0].reason
    assert "JSON" in read_posts(b"[{", "x.json")[1][0].reason


def test_json_rows_are_numbered_from_one() -> None:
    rows = [{"time": "2026-11-01", "platform": "微博", "author": "A", "text": "县卫健局收红包", "url": ""}, 3]
    posts, errors = read_posts(json.dumps(rows, ensure_ascii=False).encode(), "x.json")
    assert [p.row for p in posts] == [1]
    assert [(e.row, e.reason) for e in errors] == [(2, "不是一条帖子记录")]


def test_copies_and_posts_about_the_same_person_form_one_event() -> None:
    posts, _errors = read_posts(EXPORT.encode(), "export.csv")
    model, _note = load_model()
    events = cluster_posts(posts, names=["县卫健局", "汪建国", "东岭镇"], model=model)
    assert [[posts[i].author for i in e.posts] for e in events] == [["网友A", "网友B", "网友C"], ["网友G"]]
    assert events[0].targets == ["县卫健局", "汪建国"]
    assert events[0].category == "sifeng_gifts"
    assert events[1].category == "sifeng_vehicle"
