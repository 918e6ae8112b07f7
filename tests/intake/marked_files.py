"""Files of every kind the portal accepts, carrying MARKER in every metadata field their format
has (what a phone, a camera, Word or a PDF writer leaves in them). Made here, with the same
libraries a reporter's device would use, so the stripping tests read real files back."""

from __future__ import annotations

import io
import struct
import zipfile
from fractions import Fraction

import av
import numpy as np
import pikepdf
import pillow_heif
from PIL import Image, ImageCms, PngImagePlugin

MARKER = "LQMARK7Q"
RSID = "00C0FFEE"  # a Word revision-session id: the same in every file one machine saved that day
MARKER_PLACE = "+31.2304+121.4737/"  # 上海: a place written as the phones write it
_XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>'
    f"{MARKER}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
).encode()


def marker_found(data: bytes) -> bool:
    """The marker in raw bytes, as ASCII or as UTF-16 (how EXIF and Windows write some fields)."""
    return any(m in data for m in (MARKER.encode(), MARKER.encode("utf-16-le"), MARKER.encode("utf-16-be")))


def _exif() -> Image.Exif:
    exif = Image.Exif()
    for tag in (0x010E, 0x010F, 0x0110, 0x0131, 0x013B, 0x8298):  # description make model software artist ©
        exif[tag] = MARKER
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (31.0, 13.0, 49.4)
    gps[3], gps[4] = "E", (121.0, 28.0, 25.3)
    gps[27] = MARKER  # GPS processing method
    return exif


def _icc() -> bytes:
    """An sRGB profile whose description names the device (some phones write their model)."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return profile.tobytes() + MARKER.encode()


def _picture(mode: str = "RGB", size: tuple[int, int] = (64, 48)) -> Image.Image:
    pixels = (np.arange(size[0] * size[1] * len(mode)) % 251).astype("uint8")
    return Image.frombytes(mode, size, pixels.tobytes())


def jpeg_marked() -> bytes:
    out = io.BytesIO()
    _picture().save(out, format="JPEG", exif=_exif(), comment=MARKER, icc_profile=_icc(), xmp=_XMP)
    return out.getvalue()


def png_marked() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", MARKER)
    info.add_text("Comment", MARKER, zip=True)
    info.add_itxt("Description", MARKER, lang="zh", tkey=MARKER)
    out = io.BytesIO()
    _picture("RGBA").save(out, format="PNG", pnginfo=info, exif=_exif(), icc_profile=_icc())
    return out.getvalue()


def gif_marked() -> bytes:
    frames = [
        _picture("L").convert("P"),
        _picture("L").transpose(Image.Transpose.FLIP_LEFT_RIGHT).convert("P"),
    ]
    out = io.BytesIO()
    frames[0].save(
        out, format="GIF", save_all=True, append_images=frames[1:], comment=MARKER, duration=120, loop=0
    )
    return out.getvalue()


def webp_marked() -> bytes:
    out = io.BytesIO()
    _picture().save(out, format="WEBP", exif=_exif(), icc_profile=_icc(), xmp=_XMP)
    return out.getvalue()


def _icc_described() -> bytes:
    """An sRGB profile whose description (UTF-16, as ICC v4 writes it) begins with MARKER."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    tags = struct.unpack(">I", profile[128:132])[0]
    for index in range(tags):
        signature, offset, _size = struct.unpack(">4sII", profile[132 + 12 * index : 144 + 12 * index])
        if signature == b"desc":
            start = offset + struct.unpack(">I", profile[offset + 20 : offset + 24])[0]
            text = MARKER.encode("utf-16-be")
            profile[start : start + len(text)] = text
    return bytes(profile)


def heic_marked(size: tuple[int, int] = (64, 48)) -> bytes:
    """What a phone writes: Exif (GPS, make, model, owner) and XMP items, an ICC profile that
    names its maker, and a picture whose orientation is a rotation property."""
    out = io.BytesIO()
    pillow_heif.register_heif_opener()
    _picture(size=size).save(
        out, format="HEIF", exif=_exif().tobytes(), xmp=_XMP, icc_profile=_icc_described(), quality=80
    )
    return out.getvalue()


def _box(kind: bytes, payload: bytes, full: bool = False) -> bytes:
    body = (b"\0\0\0\0" if full else b"") + payload
    return struct.pack(">I", 8 + len(body)) + kind + body


def _children(data: bytes, start: int, end: int) -> list[tuple[bytes, bytes]]:
    found = []
    while start < end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        found.append((kind, data[start + 8 : start + size]))
        start += size
    return found


def heic_text_everywhere() -> bytes:
    """heic_marked with MARKER also in every other place HEIF lets a writer put text: the
    handler's and the picture item's names, an XML box and user data in `meta`, a user
    description property (udes) on the picture, a user-data SEI unit in the HEVC picture itself,
    unreferenced bytes in `mdat`, and top-level udta, uuid and free boxes. Built box by box; the
    items' offsets are moved by what `meta` and the picture grew."""
    data = heic_marked()
    top = _children(data, 0, len(data))
    assert [kind for kind, _ in top] == [b"ftyp", b"meta", b"mdat"]
    meta_children = []
    for kind, payload in _children(top[1][1], 4, len(top[1][1])):
        if kind == b"hdlr":
            payload = payload[:24] + MARKER.encode() + b"\0"
        elif kind == b"iinf":
            infes = _children(payload, 6, len(payload))
            first = infes[0][1]  # version 2: id, protection, type "hvc1", then the name
            infes[0] = (b"infe", first[:12] + MARKER.encode() + b"\0")
            payload = payload[:6] + b"".join(_box(k, p) for k, p in infes)
        elif kind == b"iprp":
            (_, ipco), (_, ipma) = _children(payload, 0, len(payload))
            udes = b"zh-CN\0" + (MARKER.encode() + b"\0") * 3  # name, description, tags
            properties = _children(ipco, 0, len(ipco))
            ipco += _box(b"udes", udes, full=True)
            assert ipma[:10] == b"\0\0\0\0\0\0\0\1\0\1"  # one entry: item 1
            ipma = ipma[:10] + bytes([ipma[10] + 1]) + ipma[11:] + bytes([len(properties) + 1])
            payload = _box(b"ipco", ipco) + _box(b"ipma", ipma)
        meta_children.append((kind, payload))
    meta_children.append((b"xml ", b"\0\0\0\0" + _XMP))
    meta_children.append((b"udta", _box(b"\xa9xyz", MARKER_PLACE.encode() + MARKER.encode())))
    meta = _box(b"meta", top[1][1][:4] + b"".join(_box(k, p) for k, p in meta_children))
    # A suffix SEI (type 40) after the picture's slice: user data unregistered (payload type 5),
    # a 16-byte UUID then the text, as encoders write their name and settings.
    sei_payload = bytes([5, 16 + len(MARKER)]) + bytes(range(1, 17)) + MARKER.encode() + b"\x80"
    sei = struct.pack(">I", 2 + len(sei_payload)) + b"\x50\x01" + sei_payload
    picture_end = _first_item_end(meta)
    meta = _moved(meta, len(meta) - (8 + len(top[1][1])), picture_end, len(sei))
    mdat_start = data.index(b"mdat") + 4  # where its content starts in heic_marked's file
    body = top[2][1]
    at = picture_end - mdat_start
    mdat = _box(b"mdat", body[:at] + sei + body[at:] + MARKER.encode() * 2)
    tail = _box(b"udta", _box(b"\xa9too", MARKER.encode())) + _box(b"uuid", bytes(16) + MARKER.encode())
    return _box(b"ftyp", top[0][1]) + meta + mdat + tail + _box(b"free", MARKER.encode())


def _iloc_items(meta: bytes) -> tuple[int, list[tuple[int, int, int]]]:
    """Where iloc's items start and, for each, (position of its base offset, base, length);
    libheif writes version 0 with 4-byte fields and one extent per item."""
    at = meta.index(b"iloc") + 4
    assert (meta[at], meta[at + 4 : at + 6]) == (0, b"\x44\x40"), "libheif's iloc layout"
    count, at = struct.unpack(">H", meta[at + 6 : at + 8])[0], at + 8
    items = []
    for _ in range(count):
        base, extents = struct.unpack(">IH", meta[at + 4 : at + 10])
        assert extents == 1
        offset, length = struct.unpack(">II", meta[at + 10 : at + 18])
        items.append((at + 4, base + offset, length))
        at += 18
    return at, items


def _first_item_end(meta: bytes) -> int:
    _end, items = _iloc_items(meta)
    return items[0][1] + items[0][2]


def _moved(meta: bytes, by: int, inserted_at: int, inserted: int) -> bytes:
    """iloc's offsets moved by `by` bytes (what meta grew), and by `inserted` more for the items
    after `inserted_at`; the item ending there grows by `inserted`."""
    out = bytearray(meta)
    _end, items = _iloc_items(meta)
    for where, start, length in items:
        base = struct.unpack(">I", out[where : where + 4])[0]
        out[where : where + 4] = struct.pack(">I", base + by + (inserted if start >= inserted_at else 0))
        if start + length == inserted_at:
            out[where + 10 : where + 14] = struct.pack(">I", length + inserted)
    return bytes(out)


def pdf_marked() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.obj["/Contents"] = pdf.make_stream(b"BT /F1 12 Tf 20 100 Td (evidence text) Tj ET")
    for key in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer"):
        pdf.docinfo[key] = MARKER
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [MARKER]
        meta["xmp:CreatorTool"] = MARKER
    page.obj["/Thumb"] = pdf.make_stream(MARKER.encode() * 4)
    page.obj["/PieceInfo"] = pikepdf.Dictionary({"/Word": pikepdf.Dictionary({"/Private": MARKER})})
    page.obj["/Annots"] = pdf.make_indirect(
        pikepdf.Array(
            [
                pikepdf.Dictionary(
                    {"/Type": pikepdf.Name.Annot, "/Subtype": pikepdf.Name.Text, "/Rect": [10, 10, 30, 30],
                     "/T": MARKER, "/Contents": "批注内容", "/M": "D:20261001120000+08'00'"}
                )
            ]
        )
    )  # fmt: skip
    pdf.Root["/PieceInfo"] = pikepdf.Dictionary({"/Acrobat": pikepdf.Dictionary({"/Private": MARKER})})
    # Files inside the PDF: the attachment list, a file-attachment annotation, associated files.
    pdf.attachments[f"{MARKER}.docx"] = pikepdf.AttachedFileSpec(
        pdf, ooxml_marked("docx"), description=MARKER, filename=f"{MARKER}.docx"
    )
    carried = pikepdf.AttachedFileSpec(pdf, MARKER.encode() * 8, description=MARKER, filename=f"{MARKER}.txt")
    spec = pdf.make_indirect(carried.obj)
    page.obj["/Annots"].append(
        pikepdf.Dictionary(
            {"/Type": pikepdf.Name.Annot, "/Subtype": pikepdf.Name.FileAttachment, "/Rect": [40, 40, 60, 60],
             "/FS": spec, "/T": MARKER, "/Contents": MARKER}
        )
    )  # fmt: skip
    pdf.Root["/AF"] = pikepdf.Array([spec])
    page.obj["/AF"] = pikepdf.Array([spec])
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def plain_pdf(padding: int = 0) -> bytes:
    """A valid one-page PDF; `padding` bytes of incompressible content make it that much larger."""
    import os

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    if padding:
        pdf.pages[0].obj["/Contents"] = pdf.make_stream(b"%" + os.urandom(padding))
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


_OOXML = {
    "docx": ("word", "word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl", "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt", "ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
}  # fmt: skip


_MAIN_PART = {
    "docx": (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
        f'<w:ins w:id="1" w:author="{MARKER}" w:date="2026-10-01T12:00:00Z"><w:r w:rsidR="{RSID}" w:rsidRPr="{RSID}"><w:t>evidence text</w:t></w:r></w:ins>'
        f'<w:del w:id="2" w:author="{MARKER}" w:date="2026-10-01T12:00:00Z"><w:r w:rsidDel="{RSID}"><w:delText>gone</w:delText></w:r></w:del>'
        f'</w:p><w:sectPr w:rsidR="{RSID}" w:rsidSect="{RSID}"/></w:body></w:document>'

    ),
    "xlsx": '<workbook><sheets><sheet name="evidence text" sheetId="1"/></sheets></workbook>',
    "pptx": "<p:presentation><p:notes>evidence text</p:notes></p:presentation>",
}  # fmt: skip


def ooxml_marked(kind: str = "docx") -> bytes:
    folder, main, main_type = _OOXML[kind]
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/>'
            f'<Override PartName="/{main}" ContentType="{main_type}"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{main}"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/>'
            '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>'
        ),
        main: _MAIN_PART[kind],
        "docProps/core.xml": (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
            f"<dc:creator>{MARKER}</dc:creator><cp:lastModifiedBy>{MARKER}</cp:lastModifiedBy>"
            f"<dc:title>{MARKER}</dc:title><cp:keywords>{MARKER}</cp:keywords><cp:revision>42</cp:revision>"
            '<dcterms:created>2026-10-01T12:00:00Z</dcterms:created></cp:coreProperties>'
        ),
        "docProps/app.xml": (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Company>{MARKER}</Company><Manager>{MARKER}</Manager><Template>{MARKER}.dotm</Template></Properties>"
        ),
        "docProps/custom.xml": f"<Properties><property name='{MARKER}'><vt:lpwstr>{MARKER}</vt:lpwstr></property></Properties>",
        "docProps/thumbnail.jpeg": jpeg_marked(),
        f"{folder}/media/image1.jpeg": jpeg_marked(),
    }  # fmt: skip
    if kind == "docx":
        parts["word/comments.xml"] = (
            '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:comment w:id="0" w:author="{MARKER}" w:initials="{MARKER}" w:date="2026-10-01T12:00:00Z">'
            "<w:p><w:r><w:t>comment text</w:t></w:r></w:p></w:comment></w:comments>"
        )
        parts["word/settings.xml"] = (
            '<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:zoom w:percent="100"/><w:rsids><w:rsidRoot w:val="{RSID}"/><w:rsid w:val="{RSID}"/>'
            f'<w:rsid w:val="00ABCDEF"/></w:rsids></w:settings>'
        )
        parts["word/people.xml"] = f'<w15:people><w15:person w15:author="{MARKER}"><w15:presenceInfo w15:providerId="AD" w15:userId="{MARKER}"/></w15:person></w15:people>'  # fmt: skip
    elif kind == "xlsx":
        parts["xl/comments1.xml"] = f"<comments><authors><author>{MARKER}</author></authors></comments>"
    else:
        parts["ppt/commentAuthors.xml"] = f'<p:cmAuthorLst><p:cmAuthor id="0" name="{MARKER}" initials="{MARKER}"/></p:cmAuthorLst>'  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def video_marked(container: str = "mov", frames: int = 12) -> bytes:
    """A short H.264 video with location, device, creation time and titles on the container and
    on each stream, in the tags a phone writes (QuickTime keys with `use_metadata_tags`)."""
    out = io.BytesIO()
    with av.open(out, "w", format=container, options={"movflags": "use_metadata_tags"}) as target:
        target.metadata.update(
            {
                "location": MARKER_PLACE + MARKER,
                "location-eng": MARKER_PLACE + MARKER,
                "com.apple.quicktime.location.ISO6709": MARKER_PLACE + MARKER,
                "make": MARKER,
                "model": MARKER,
                "com.apple.quicktime.make": MARKER,
                "com.apple.quicktime.model": MARKER,
                "com.apple.quicktime.software": MARKER,
                "creation_time": "2026-10-01T12:00:00.000000Z",
                "title": MARKER,
                "comment": MARKER,
                "encoder": MARKER,
            }
        )
        video = target.add_stream("libx264", rate=12)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        video.metadata.update(
            {"title": MARKER, "handler_name": MARKER, "creation_time": "2026-10-01T12:00:00Z"}
        )
        audio = target.add_stream("aac", rate=16000)
        audio.metadata.update({"title": MARKER, "handler_name": MARKER})
        for index in range(frames):
            frame = av.VideoFrame.from_ndarray(
                np.full((48, 64, 3), index * 20 % 255, dtype="uint8"), format="rgb24"
            )
            for packet in video.encode(frame):
                target.mux(packet)
        for packet in video.encode():
            target.mux(packet)
        samples = av.AudioFrame.from_ndarray(
            np.zeros((1, 16000), dtype="float32"), format="fltp", layout="mono"
        )
        samples.sample_rate, samples.time_base = 16000, Fraction(1, 16000)
        for packet in [*audio.encode(samples), *audio.encode()]:
            target.mux(packet)
    return out.getvalue()


def _property_set(text: str) -> bytes:
    """A SummaryInformation property set: author (4), last saved by (8) and company-like title (2)."""
    fmtid = bytes.fromhex("e0859ff2f94f6810ab9108002b27b3d9")  # FMTID_SummaryInformation
    values = []
    for prop_id in (2, 4, 8):
        raw = text.encode("ascii") + b"\0"
        values.append(
            (prop_id, struct.pack("<II", 0x1E, len(raw)) + raw.ljust((len(raw) + 3) // 4 * 4, b"\0"))
        )
    offsets, body, position = [], b"", 8 + 8 * len(values)
    for prop_id, value in values:
        offsets.append(struct.pack("<II", prop_id, position))
        body += value
        position += len(value)
    section = struct.pack("<II", position, len(values)) + b"".join(offsets) + body
    header = struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, bytes(16), 1) + fmtid + struct.pack("<I", 48)
    return header + section


def ole_marked() -> bytes:
    """A legacy Word file (OLE compound file, version 3) whose summary information names MARKER
    as author, title and last saver. Streams of 4096 bytes live in regular sectors."""
    sector, end, free, fat_sector = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    summary = _property_set(MARKER).ljust(4096, b"\0")
    document = b"evidence text".ljust(4096, b"\0")
    fat = [fat_sector, end, *range(3, 10), end, *range(11, 18), end]
    fat_bytes = struct.pack(f"<{sector // 4}I", *fat, *[free] * (sector // 4 - len(fat)))

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", left, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, free, free, 1, end, 0)
        + entry("\x05SummaryInformation", 2, 2, free, free, 2, 4096)
        + entry("WordDocument", 2, free, free, free, 10, 4096)
    ).ljust(sector, b"\0")
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *[free] * 108)
    )
    return header + fat_bytes + directory + summary + document
