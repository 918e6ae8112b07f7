"""Videos remuxed without their metadata (PyAV: FFmpeg inside the wheel, no system ffmpeg).

A phone's video carries where (©xyz, com.apple.quicktime.location.ISO6709), on what (make,
model, software) and when (creation_time) it was shot, in the container, in each stream and in
timed-metadata tracks. Only the audio and video packets are copied into a new container of the
same kind: nothing is decoded or re-encoded (fast, lossless), and no tag is carried over.
"""

from __future__ import annotations

import io

import av
from django.utils.translation import gettext as _

from lianqing.intake.errors import IntakeError

_MUXERS = {"mp4": "mp4", "mov": "mov", "3gp": "3gp", "webm": "webm", "avi": "avi"}
_KEPT_STREAMS = {"video", "audio"}


def _refuse(name: str) -> IntakeError:
    return IntakeError(
        _("附件 %(name)s：视频文件已损坏或格式无法识别，无法读取") % {"name": name}, field="attachments"
    )


def video_strip(data: bytes, name: str, extension: str) -> bytes:
    """The same video and sound in a fresh container with no tags. IntakeError if unreadable."""
    out = io.BytesIO()
    try:
        with av.open(io.BytesIO(data), "r") as source:
            kept = [stream for stream in source.streams if stream.type in _KEPT_STREAMS]
            if not any(stream.type == "video" for stream in kept):
                raise _refuse(name)
            with av.open(out, "w", format=_MUXERS[extension]) as target:
                mapping = {}
                for stream in kept:
                    copy = target.add_stream_from_template(stream)
                    copy.metadata.clear()
                    mapping[stream.index] = copy
                target.metadata.clear()
                written = 0
                for packet in source.demux(kept):
                    if packet.dts is None:  # the demuxer's end-of-stream marker
                        continue
                    written += packet.size
                    if written > 2 * len(data):  # a crafted file cannot make its copy grow without end
                        raise _refuse(name)
                    packet.stream = mapping[packet.stream.index]
                    target.mux(packet)
    except IntakeError:
        raise
    except (av.FFmpegError, OSError, ValueError, KeyError, IndexError):
        raise _refuse(name) from None
    return out.getvalue()
