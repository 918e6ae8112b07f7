"""Documents without who wrote them: PDF document information, XMP metadata, page thumbnails,
piece info, annotation authors and embedded files (attachments, file-attachment annotations,
associated files) removed (pikepdf); Office Open XML (.docx .xlsx .pptx) and OpenDocument
properties reset, custom properties and thumbnails dropped, comment and revision authors blanked,
Word's revision-session ids (`w:rsid*`, which tie a document to the editing sessions of one
machine) removed, embedded pictures re-encoded like any uploaded picture.

Legacy binary Office files (.doc .xls .ppt .wps) are refused (attachments.py): they record
authors in many places of their own binary structures (Word's revision-mark author table
SttbfRMark, the saved-by list SttbSavedBy with file paths, associated strings, comment owners;
Excel's WriteAccess record; PowerPoint's CurrentUser stream), which cannot be found and emptied
reliably without a full parser of each format.

The content a reporter meant to send (text, tables, slides, pictures) is kept as it is.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from lianqing.intake import conf
from lianqing.intake.archives import neutral_info, zip_copy_member, zip_open_checked, zip_read_bounded
from lianqing.intake.errors import IntakeError
from lianqing.intake.strip_images import image_strip

if TYPE_CHECKING:
    import pikepdf

# --- PDF ---------------------------------------------------------------------------------------

# /AF: associated files (PDF 2.0), /EF: a file specification's embedded file streams.
_PDF_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/Thumb", "/LastModified", "/AF", "/EF")
_PDF_ANNOTATION_AUTHOR_KEYS = ("/T", "/M", "/CreationDate", "/NM")


def _pdf_clean_object(obj: pikepdf.Object) -> None:
    import pikepdf

    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return
    for key in _PDF_METADATA_KEYS:
        if key in obj:
            del obj[key]
    if obj.get("/Type") == "/Annot" and obj.get("/Subtype") not in (None, "/Widget"):
        for key in _PDF_ANNOTATION_AUTHOR_KEYS:  # a form field's /T is its name, not an author
            if key in obj:
                del obj[key]


def _pdf_embedded_files_remove(pdf: pikepdf.Pdf) -> None:
    """Files carried inside the PDF (each with its own metadata, of any kind): the document's
    attachment list, a portfolio, and file-attachment annotations on its pages."""
    import pikepdf

    root = pdf.Root
    for key in ("/Collection", "/AF"):
        if key in root:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/EmbeddedFiles" in names:
        del names["/EmbeddedFiles"]
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if not isinstance(annotations, pikepdf.Array):
            continue
        kept = [
            a
            for a in annotations
            if not (isinstance(a, pikepdf.Dictionary) and a.get("/Subtype") == "/FileAttachment")
        ]
        if len(kept) != len(annotations):
            page.obj["/Annots"] = pikepdf.Array(kept)


def pdf_strip(data: bytes, name: str) -> bytes:
    logging.getLogger("pikepdf").setLevel(logging.WARNING)  # its import announces itself at INFO
    import pikepdf  # imported when a PDF arrives, not by every command

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            _pdf_embedded_files_remove(pdf)
            for obj in pdf.objects:
                _pdf_clean_object(obj)
            for page in pdf.pages:  # annotations written inline in a page are not objects of their own
                _pdf_clean_object(page.obj)
                for annotation in page.obj.get("/Annots", []):
                    _pdf_clean_object(annotation)
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True, encryption=False, fix_metadata_version=False)
            return out.getvalue()
    except pikepdf.PasswordError:
        raise IntakeError(
            _("附件 %(name)s：PDF 设有打开密码，无法清除其中可能暴露您身份的信息，请去除密码后再上传")
            % {"name": name},
            field="attachments",
        ) from None
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError):
        raise IntakeError(
            _("附件 %(name)s：PDF 文件已损坏，无法读取") % {"name": name}, field="attachments"
        ) from None


# --- Office Open XML and OpenDocument --------------------------------------------------------

_OOXML_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_OOXML_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)
_ODF_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    b' office:version="1.2"><office:meta/></office:document-meta>'
)
_REPLACED = {"docProps/core.xml": _OOXML_CORE, "docProps/app.xml": _OOXML_APP, "meta.xml": _ODF_META}
_DROPPED = re.compile(r"^(docProps/custom\.xml|docProps/thumbnail\.[a-z]+|Thumbnails/.*)$", re.IGNORECASE)
# Parts naming people: comment authors, tracked-change authors, co-authoring identities.
_AUTHOR_PARTS = re.compile(
    r"^(word/[^/]+\.xml"
    r"|xl/(comments\d*\.xml|persons/person\.xml|threadedComments/.*\.xml)"
    r"|ppt/(commentAuthors|authors)\.xml|content\.xml|styles\.xml)$"
)
_AUTHOR_ATTRIBUTES = re.compile(
    rb'\b((?:w|w15|p15)?:?(?:author|initials|userId|providerId|displayName))="[^"]*"'
)
# When a person edited or commented: optional attributes, removed (an empty date would be invalid).
_DATE_ATTRIBUTES = re.compile(rb'\s(?:w|w15|w16cex)?:?(?:date|dateUtc)="[^"]*"')
_AUTHOR_ELEMENTS = re.compile(
    rb"<((?:\w+:)?(?:author|creator|initial-creator))>[^<]*</(?:\w+:)?(?:author|creator|initial-creator)>"
)
_PPT_AUTHOR_NAMES = re.compile(rb'(<p:cmAuthor\b[^>]*?\b(?:name|initials))="[^"]*"')
_REFERENCES = re.compile(
    rb"<(?:Relationship|Override|manifest:file-entry)\b[^>]*(?:docProps/custom\.xml|docProps/thumbnail\.\w+|Thumbnails/)[^>]*/>"
)
_PICTURE = re.compile(
    r"^(word|xl|ppt)/media/[^/]+\.(jpe?g|png)$|^Pictures/[^/]+\.(jpe?g|png)$", re.IGNORECASE
)
_REWRITE_LIMIT = 64 * 1024 * 1024  # a part rewritten in memory: far above any real document part


# Word's revision-session ids (w:rsidR, w:rsidRPr, w:rsidDel, …) and their table in settings.xml:
# the same ids recur in every document saved on the same machine in the same session.
_RSID_ATTRIBUTES = re.compile(rb'\sw:rsid\w*="[^"]*"')
_RSID_ELEMENTS = re.compile(rb"<w:rsids\b.*?</w:rsids>|<w:rsids\s*/>|<w:rsidRoot\b[^>]*/>", re.DOTALL)


def _authors_blanked(part: bytes) -> bytes:
    part = _RSID_ELEMENTS.sub(b"", _RSID_ATTRIBUTES.sub(b"", part))
    part = _AUTHOR_ATTRIBUTES.sub(rb'\1=""', part)
    part = _DATE_ATTRIBUTES.sub(b"", part)
    part = _AUTHOR_ELEMENTS.sub(lambda m: b"<" + m.group(1) + b"></" + m.group(1) + b">", part)
    return _PPT_AUTHOR_NAMES.sub(rb'\1=""', part)


def _rewritten(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes | None:
    """New content for a member, or None to copy it unchanged."""
    member = info.filename
    if member in _REPLACED:
        return _REPLACED[member]
    if member in {"_rels/.rels", "[Content_Types].xml", "META-INF/manifest.xml"}:
        return _REFERENCES.sub(b"", zip_read_bounded(archive, info, _REWRITE_LIMIT))
    if _AUTHOR_PARTS.match(member):
        return _authors_blanked(zip_read_bounded(archive, info, _REWRITE_LIMIT))
    if _PICTURE.match(member):
        picture = zip_read_bounded(archive, info, conf.max_file_bytes())
        cleaned, _extension = image_strip(picture, f"{name} ▸ {member.rsplit('/', 1)[-1]}", _ext(member))
        return cleaned
    return None


def _ext(member: str) -> str:
    extension = member.rsplit(".", 1)[-1].lower()
    return "jpg" if extension in {"jpg", "jpeg"} else extension


def office_strip(data: bytes, name: str) -> bytes:
    """An OOXML or OpenDocument file rewritten without its properties and authors."""
    try:
        with zip_open_checked(data, name) as archive:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for info in archive.infolist():
                    if _DROPPED.match(info.filename) or info.is_dir():
                        continue
                    content = _rewritten(archive, info, name)
                    if content is None:
                        zip_copy_member(archive, info, target)
                    else:
                        target.writestr(neutral_info(info), content)
            return out.getvalue()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError, EOFError):
        raise IntakeError(
            _("附件 %(name)s：文档已损坏，无法读取") % {"name": name}, field="attachments"
        ) from None
