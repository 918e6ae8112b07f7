"""Phone HEIC/HEIF photos cleaned losslessly, without decoding them: the container (ISOBMFF) is
walked box by box and every byte that is not on an allow-list is overwritten with zeros, in
place, so that no offset moves and the picture stays bit for bit what the phone encoded.

What stays, and nothing else:
- the boxes a reader needs to find and decode the picture (ftyp, meta: hdlr pitm iinf iloc iref
  iprp idat dinf, mdat), with their numeric fields;
- the items that are pictures (HEVC, grids, overlays, identity crops, gain maps) and the bytes
  they point to; in HEVC data every NAL unit that carries no text (SEI messages, which can hold
  any text, and reserved or unspecified units become an "unspecified" unit of zeros, which a
  decoder must ignore);
- the picture properties (size, pixel depth, rotation, mirror, crop, colour), an ICC profile
  without its descriptions, maker, model or copyright.

Everything else becomes zeros: Exif (GPS, camera, owner) and XMP items and their data, item
names, the handler name, udta/xml/uuid and any box or property not on the lists (retyped
`free`), and every byte of mdat/idat that no kept picture points to. A file this walk cannot
account for is refused, never stored as it came.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

import pillow_heif
from django.utils.translation import gettext

from lianqing.intake import conf
from lianqing.intake.errors import IntakeError

# Items kept: coded pictures, and derived pictures whose data is numbers only.
_PICTURE_ITEMS = {b"hvc1", b"grid", b"iden", b"iovl", b"tmap"}
_DERIVED_ITEMS = {b"grid", b"iden", b"iovl", b"tmap"}
# Properties kept (all numbers, but auxC's type name and colr's ICC, handled below).
_PROPERTIES = {b"hvcC", b"ispe", b"pixi", b"irot", b"imir", b"clap", b"rloc", b"auxC", b"colr"}
_META_CHILDREN = {b"hdlr", b"pitm", b"iinf", b"iloc", b"iref", b"iprp", b"idat", b"dinf"}
_HEVC_SEI = {39, 40}
_HEVC_FILLER = 38  # meant to hold 0xFF bytes, but a decoder skips whatever it holds
_HEVC_UNSPECIFIED = 48
# ICC tag types holding only numbers; text types are emptied, any other type zeroed.
_ICC_NUMERIC = {
    b"XYZ ", b"curv", b"para", b"sf32", b"uf32", b"ui08", b"ui16", b"ui32", b"mft1", b"mft2",
    b"mAB ", b"mBA ", b"meas", b"sig ", b"view", b"chrm", b"dtim",
}  # fmt: skip


class _UnreadableError(Exception):
    """The file is not a HEIF this walk can account for, byte by byte."""


@dataclass(frozen=True)
class _Box:
    kind: bytes
    start: int
    body: int  # first byte after the header
    end: int


@dataclass
class _Item:
    kind: bytes = b""
    method: int = 0
    data_reference: int = 0
    extents: list[tuple[int, int]] = field(default_factory=list)  # (start, length) in the file


def _u(data: bytearray, at: int, size: int) -> int:
    if size == 0:
        return 0
    if at + size > len(data):
        raise _UnreadableError
    return int.from_bytes(data[at : at + size], "big")


def _boxes(data: bytearray, start: int, end: int) -> Iterator[_Box]:
    """The boxes that tile [start, end) exactly; anything else is unreadable."""
    at = start
    while at < end:
        if at + 8 > end:
            raise _UnreadableError
        size, kind, body = _u(data, at, 4), bytes(data[at + 4 : at + 8]), at + 8
        if size == 1:
            size, body = _u(data, at + 8, 8), at + 16
        elif size == 0:
            size = end - at
        if size < body - at or at + size > end:
            raise _UnreadableError
        yield _Box(kind, at, body, at + size)
        at += size


def _zero(data: bytearray, start: int, end: int) -> None:
    data[start:end] = bytes(end - start)


def _blank(data: bytearray, box: _Box) -> None:
    """A box no reader needs: retyped `free` (readers skip it), its content zeros, size kept."""
    data[box.start + 4 : box.start + 8] = b"free"
    _zero(data, box.start + 8, box.end)


def _full_box(data: bytearray, box: _Box) -> tuple[int, int, int]:
    """Version, flags and where the content starts, of a box with a version and flags."""
    return data[box.body], _u(data, box.body + 1, 3), box.body + 4


def _iloc(data: bytearray, box: _Box, items: dict[int, _Item]) -> None:
    version, _flags, at = _full_box(data, box)
    if version > 2:
        raise _UnreadableError
    sizes = _u(data, at, 2)
    offset_size, length_size, base_size = sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15
    index_size = sizes & 15 if version in (1, 2) else 0
    if not {offset_size, base_size, index_size} <= {0, 4, 8} or length_size not in (4, 8):
        # The only sizes the format has. A length of no bytes would also make an extent take
        # no room in the box: a few bytes would then list billions of them (and every extent
        # of a kept picture must have a length anyway).
        raise _UnreadableError
    id_size = 4 if version == 2 else 2
    count, at = _u(data, at + 2, id_size), at + 2 + id_size
    for _entry in range(count):
        item = items.setdefault(_u(data, at, id_size), _Item())
        at += id_size
        if version in (1, 2):
            item.method, at = _u(data, at, 2) & 15, at + 2
        item.data_reference = _u(data, at, 2)
        base = _u(data, at + 2, base_size)
        extent_count, at = _u(data, at + 2 + base_size, 2), at + 4 + base_size
        for _extent in range(extent_count):
            at += index_size
            offset, length = _u(data, at, offset_size), _u(data, at + offset_size, length_size)
            item.extents.append((base + offset, length))
            at += offset_size + length_size
    if at > box.end:
        raise _UnreadableError


def _iinf(data: bytearray, box: _Box, items: dict[int, _Item]) -> list[tuple[int, _Box]]:
    version, _flags, at = _full_box(data, box)
    at += 2 if version == 0 else 4
    entries = []
    for child in _boxes(data, at, box.end):
        if child.kind != b"infe":
            _blank(data, child)
            continue
        infe_version, _flags, at = _full_box(data, child)
        if infe_version not in (2, 3):
            raise _UnreadableError  # versions 0 and 1 name no item type
        id_size = 2 if infe_version == 2 else 4
        item_id, protection = _u(data, at, id_size), _u(data, at + id_size, 2)
        kind_at = at + id_size + 2
        items.setdefault(item_id, _Item()).kind = bytes(data[kind_at : kind_at + 4])
        if protection:
            raise _UnreadableError  # encrypted items: nothing to check inside
        entries.append((kind_at, child))
    return entries


def _dref(data: bytearray, dinf: _Box) -> set[int]:
    """Data references that point into this file (1-based); every location string zeroed."""
    inside = {0}
    for dref in _boxes(data, dinf.body, dinf.end):
        if dref.kind != b"dref":
            _blank(data, dref)
            continue
        _version, _flags, at = _full_box(data, dref)
        for index, entry in enumerate(_boxes(data, at + 4, dref.end), start=1):
            if entry.kind in (b"url ", b"urn ") and _full_box(data, entry)[1] & 1:
                inside.add(index)
            _zero(data, entry.body + 4, entry.end)
    return inside


def _iref(data: bytearray, box: _Box) -> list[tuple[_Box, int, list[int]]]:
    """Each reference: its box, the item it is from and the items it points to."""
    version, _flags, at = _full_box(data, box)
    id_size = 2 if version == 0 else 4
    found = []
    for reference in _boxes(data, at, box.end):
        source, count = _u(data, reference.body, id_size), _u(data, reference.body + id_size, 2)
        if reference.body + id_size + 2 + count * id_size > reference.end:
            raise _UnreadableError
        targets = [_u(data, reference.body + id_size + 2 + i * id_size, id_size) for i in range(count)]
        found.append((reference, source, targets))
    return found


def _icc_clean(data: bytearray, start: int, end: int) -> None:
    """An ICC profile keeps its colour tables; its header loses maker, model, creator and ID,
    and every text (description, copyright, device names) becomes zeros."""
    size = _u(data, start, 4)
    if size < 132 or start + size > end:
        raise _UnreadableError
    _zero(data, start + size, end)
    for first, last in ((48, 56), (80, 100)):  # device maker and model; creator; profile ID (MD5)
        _zero(data, start + first, start + last)
    tags = _u(data, start + 128, 4)
    if 132 + tags * 12 > size:
        raise _UnreadableError
    for index in range(tags):
        entry = start + 132 + index * 12
        offset, length = _u(data, entry + 4, 4), _u(data, entry + 8, 4)
        if offset + length > size or length < 8:
            raise _UnreadableError
        tag = start + offset
        kind = bytes(data[tag : tag + 4])
        if kind in _ICC_NUMERIC:
            continue
        if kind == b"mluc":  # keep the record table (languages, lengths): strings become NULs
            records, record_size = _u(data, tag + 8, 4), _u(data, tag + 12, 4)
            table_end = tag + 16 + records * 12
            if record_size != 12 or table_end > tag + length:  # not the format's table: all goes
                table_end = tag + 8
            _zero(data, table_end, tag + length)
        elif kind == b"desc":  # keep the ASCII length: its characters and the rest become zeros
            _zero(data, tag + 12, tag + length)
        else:  # text, dict, names, private types: nothing a colour transform needs
            _zero(data, tag + 8, tag + length)


def _hevc_length_size(data: bytearray, hvcc: _Box) -> int:
    return (data[hvcc.body + 21] & 3) + 1


def _hvcc_clean(data: bytearray, hvcc: _Box) -> None:
    """SEI units stored with the decoder configuration are neutralised as in the data."""
    if hvcc.end - hvcc.body < 23:
        raise _UnreadableError
    at, arrays = hvcc.body + 23, data[hvcc.body + 22]
    for _array in range(arrays):
        count, at = _u(data, at + 1, 2), at + 3
        for _unit in range(count):
            length = _u(data, at, 2)
            if at + 2 + length > hvcc.end:
                raise _UnreadableError
            _nal_clean(data, at + 2, at + 2 + length)
            at += 2 + length
    if at > hvcc.end:
        raise _UnreadableError


def _nal_clean(data: bytearray, start: int, end: int) -> None:
    if end - start < 2:
        raise _UnreadableError
    kind = (data[start] >> 1) & 63
    if kind in _HEVC_SEI or kind == _HEVC_FILLER or kind > 40:
        data[start] = (data[start] & 0x81) | (_HEVC_UNSPECIFIED << 1)
        _zero(data, start + 2, end)


def _hevc_clean(data: bytearray, extents: list[tuple[int, int]], length_size: int) -> None:
    """Walk the length-prefixed NAL units of one picture (one extent each, as phones write)."""
    for start, length in extents:
        at, end = start, start + length
        while at < end:
            size = _u(data, at, length_size)
            if at + length_size + size > end:
                raise _UnreadableError
            _nal_clean(data, at + length_size, at + length_size + size)
            at += length_size + size


@dataclass
class _Properties:
    boxes: list[_Box] = field(default_factory=list)
    blanked: set[int] = field(default_factory=set)  # 1-based, as ipma counts
    of_item: dict[int, list[tuple[int, bool]]] = field(default_factory=dict)  # (index, essential)


def _iprp(data: bytearray, box: _Box) -> _Properties:
    found = _Properties()
    for child in _boxes(data, box.body, box.end):
        if child.kind == b"ipco":
            found.boxes = list(_boxes(data, child.body, child.end))
            for index, prop in enumerate(found.boxes, start=1):
                if prop.kind not in _PROPERTIES:
                    _blank(data, prop)
                    found.blanked.add(index)
                elif prop.kind == b"colr" and bytes(data[prop.body : prop.body + 4]) in (b"prof", b"rICC"):
                    _icc_clean(data, prop.body + 4, prop.end)
                elif prop.kind == b"colr" and bytes(data[prop.body : prop.body + 4]) != b"nclx":
                    _blank(data, prop)
                    found.blanked.add(index)
                elif prop.kind == b"hvcC":
                    _hvcc_clean(data, prop)
        elif child.kind == b"ipma":
            version, flags, at = _full_box(data, child)
            id_size, wide = (2 if version < 1 else 4), bool(flags & 1)
            count, at = _u(data, at, 4), at + 4
            for _entry in range(count):
                item_id, associations = _u(data, at, id_size), data[at + id_size]
                at += id_size + 1
                for _association in range(associations):
                    value = _u(data, at, 2 if wide else 1)
                    at += 2 if wide else 1
                    top = 0x8000 if wide else 0x80
                    found.of_item.setdefault(item_id, []).append((value & (top - 1), bool(value & top)))
            if at > child.end:
                raise _UnreadableError
        else:
            _blank(data, child)
    return found


def _kept_ranges(ranges: list[tuple[int, int]], start: int, end: int) -> Iterator[tuple[int, int]]:
    """The gaps of [start, end) between the kept ranges: what is to be zeroed."""
    at = start
    for first, length in sorted(ranges):
        if first > at:
            yield at, min(first, end)
        at = max(at, first + length)
    if at < end:
        yield at, end


def _strip(data: bytearray) -> None:
    top = list(_boxes(data, 0, len(data)))
    if not top or top[0].kind != b"ftyp":
        raise _UnreadableError
    metas = [box for box in top if box.kind == b"meta"]
    if len(metas) != 1:
        raise _UnreadableError
    media = [box for box in top if box.kind == b"mdat"]
    for box in top:
        if box.kind in (b"free", b"skip"):
            _zero(data, box.body, box.end)
        elif box.kind not in (b"ftyp", b"meta", b"mdat"):
            _blank(data, box)  # moov (sequences), udta, uuid, meco, anything else
    meta = metas[0]
    children = {}
    for child in _boxes(data, meta.body + 4, meta.end):
        if child.kind not in _META_CHILDREN or child.kind in children:
            _blank(data, child)  # xml, bxml, udta, ipro, grpl, a second copy of anything
        else:
            children[child.kind] = child
    if not {b"hdlr", b"pitm", b"iinf", b"iloc", b"iprp"} <= children.keys():
        raise _UnreadableError
    hdlr = children[b"hdlr"]
    if bytes(data[hdlr.body + 8 : hdlr.body + 12]) != b"pict":
        raise _UnreadableError
    _zero(data, hdlr.body + 24, hdlr.end)  # the handler's name
    pitm_version, _flags, at = _full_box(data, children[b"pitm"])
    primary = _u(data, at, 2 if pitm_version == 0 else 4)
    items: dict[int, _Item] = {}
    _iloc(data, children[b"iloc"], items)
    entries = _iinf(data, children[b"iinf"], items)
    inside = _dref(data, children[b"dinf"]) if b"dinf" in children else {0}
    references = _iref(data, children[b"iref"]) if b"iref" in children else []
    properties = _iprp(data, children[b"iprp"])
    kept = {item_id for item_id, item in items.items() if item.kind in _PICTURE_ITEMS}
    if primary not in kept:
        raise _UnreadableError
    for kind_at, infe in entries:  # names always go; items not kept go altogether
        item_id = _u(data, infe.body + 4, 2 if data[infe.body] == 2 else 4)
        _zero(data, kind_at + 4, infe.end)
        if item_id not in kept:
            data[kind_at : kind_at + 4] = b"free"
            data[infe.body + 3] |= 1  # hidden: no reader lists it as a picture
    made_of: dict[int, list[int]] = {}
    for reference, source, targets in references:
        if source not in kept:  # e.g. "the Exif describes the picture": nothing left to describe
            # Retyped, numbers kept: readers ignore an unknown reference type, but refuse a
            # reference box emptied of its items.
            data[reference.start + 4 : reference.start + 8] = b"free"
        elif reference.kind == b"dimg":
            made_of.setdefault(source, []).extend(targets)
    idat = children.get(b"idat")
    kept_in: dict[str, list[tuple[int, int]]] = {"file": [], "idat": []}
    for item_id in kept:
        if any(part not in kept for part in made_of.get(item_id, [])):
            raise _UnreadableError  # a derived picture made of something that is not a picture
        where, extents = _item_extents(items[item_id], inside, media, idat)
        kept_in[where] += extents
        _item_properties_check(data, item_id, items[item_id], extents, properties)
    for box in media:
        for start, end in _kept_ranges(kept_in["file"], box.body, box.end):
            _zero(data, start, end)
    if idat is not None:
        for start, end in _kept_ranges(kept_in["idat"], idat.body, idat.end):
            _zero(data, start, end)


def _item_extents(
    item: _Item, inside: set[int], media: list[_Box], idat: _Box | None
) -> tuple[str, list[tuple[int, int]]]:
    """Where a kept picture's bytes are: in this file's mdat, or in idat; anything else refused."""
    if item.data_reference not in inside or item.method not in (0, 1):
        raise _UnreadableError  # another file, or bytes borrowed from another item
    if (not item.extents and item.kind == b"hvc1") or any(length == 0 for _start, length in item.extents):
        raise _UnreadableError  # "to the end of the file": not how phones write
    if item.method == 1:
        if idat is None:
            raise _UnreadableError
        extents = [(idat.body + start, length) for start, length in item.extents]
        if any(start + length > idat.end for start, length in extents):
            raise _UnreadableError
        return "idat", extents
    if not all(any(box.body <= s and s + n <= box.end for box in media) for s, n in item.extents):
        raise _UnreadableError
    return "file", item.extents


def _item_properties_check(
    data: bytearray, item_id: int, item: _Item, extents: list[tuple[int, int]], properties: _Properties
) -> None:
    """A kept picture needs none of the properties blanked; HEVC data loses its text units."""
    associated = properties.of_item.get(item_id, [])
    if any(index in properties.blanked for index, essential in associated if essential):
        raise _UnreadableError
    if item.kind != b"hvc1":
        return
    configs = [
        properties.boxes[index - 1]
        for index, _essential in associated
        if 0 < index <= len(properties.boxes) and properties.boxes[index - 1].kind == b"hvcC"
    ]
    if not configs:
        raise _UnreadableError
    _hevc_clean(data, extents, _hevc_length_size(data, configs[0]))


def _refuse(name: str) -> IntakeError:
    return IntakeError(
        gettext("附件 %(name)s：无法读取这张 HEIC 照片的结构，无法确保清除其中的位置和设备信息，为保护您的身份不予接收。"
          "请在手机上把它存为 JPG 后再上传。")
        % {"name": name},
        field="attachments",
    )  # fmt: skip


def heif_strip(data: bytes, name: str) -> bytes:
    """The HEIF with every byte that is not picture zeroed, same length, same pixels.
    IntakeError (naming the file) if it cannot be accounted for or is too large a picture."""
    cleaned = bytearray(data)
    try:
        _strip(cleaned)
        heif = pillow_heif.open_heif(bytes(cleaned), convert_hdr_to_8bit=False)  # the container only
        width, height = heif.size
    except (_UnreadableError, ValueError, RuntimeError, OSError, IndexError, struct.error):
        raise _refuse(name) from None
    if width * height > conf.max_image_pixels():
        raise IntakeError(
            gettext("附件 %(name)s：图片已损坏或尺寸过大（超过 %(pixels)d 万像素），无法读取")
            % {"name": name, "pixels": conf.max_image_pixels() // 10_000},
            field="attachments",
        )
    return bytes(cleaned)
