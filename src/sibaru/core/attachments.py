"""Attachments: checked by their content (not their name), size-limited, hashed, stored through Django's
storage API under their SHA-256, never under the name the uploader gave.

A service that stores files wraps its transaction in `files_removed_on_error()`, so a failed submission
leaves no orphan file; `manage.py sweep_orphan_files` removes what a crash between the two left behind.
"""

import hashlib
import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sibaru.core.models import Attachment, attachment_path

# Extension → the content type its bytes must show. Services narrow this per field.
DOCUMENT_TYPES = {"pdf": "application/pdf"}
IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
SPREADSHEET_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
DEFAULT_TYPES = DOCUMENT_TYPES | IMAGE_TYPES

_UNSAFE_NAME = re.compile(r"[\\/\x00-\x1f\x7f]|\.\.")


@dataclass(frozen=True)
class CheckedFile:
    upload: File
    name: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload: File, *, allowed: dict[str, str] | None = None, max_bytes: int | None = None) -> CheckedFile:
    """Validate an uploaded file or raise ValidationError with a message for the uploader."""
    allowed = allowed or DEFAULT_TYPES
    max_bytes = max_bytes or settings.ATTACHMENT_MAX_BYTES
    raw_name = upload.name or ""
    if not raw_name or _UNSAFE_NAME.search(raw_name):
        raise ValidationError(
            _("Nama berkas tidak boleh memuat garis miring, '..' atau karakter kendali."), code="bad_name"
        )
    name = unicodedata.normalize("NFC", raw_name).strip()[:150]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    accepted = ", ".join(sorted({e.upper() for e in allowed if e != "jpeg"}))
    if extension not in allowed:
        raise ValidationError(
            _("Jenis berkas .%(ext)s tidak diterima. Unggah berkas %(accepted)s.")
            % {"ext": extension or "?", "accepted": accepted},
            code="bad_type",
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s). Batasnya %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("Berkas kosong."), code="empty")
    upload.seek(0)
    detected = filetype.guess(upload.read(8192))
    if detected is None or detected.mime != allowed[extension]:
        raise ValidationError(
            _("Isi berkas %(name)s bukan %(ext)s seperti namanya. Periksa berkasnya, lalu unggah lagi.")
            % {"name": name, "ext": extension.upper()},
            code="content_mismatch",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        upload=upload, name=name, content_type=detected.mime, size=upload.size, sha256=digest.hexdigest()
    )


_new_files: ContextVar[list[str] | None] = ContextVar("new_files", default=None)


@contextmanager
def files_removed_on_error():
    """Delete the files stored inside the block when the block fails (the transaction rolled back)."""
    created: list[str] = []
    token = _new_files.set(created)
    try:
        yield
    except BaseException:
        for name in created:
            default_storage.delete(name)
        raise
    finally:
        _new_files.reset(token)


def attachment_store(*, case, checked: CheckedFile, user=None, event=None, public: bool = False) -> Attachment:
    attachment = Attachment(
        case=case,
        event=event,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        public=public,
        uploaded_by=user,
    )
    path = attachment_path(attachment, checked.name)
    if default_storage.exists(path):
        attachment.file.name = path  # the same content is stored once
    else:
        attachment.file.name = default_storage.save(path, checked.upload)
        created = _new_files.get()
        if created is not None:
            created.append(attachment.file.name)
    attachment.save()
    return attachment
