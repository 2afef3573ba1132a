"""BSPS beneficiaries (calon penerima): the checks of one row and of a whole file, reading XLSX and CSV files,
the downloadable template, the import and the manual entry (services), the background import with its
progress and report, and the one read of personal data, which is logged.

The criteria (reference/housing.md §3): household income at most the provincial minimum wage (UMP); land
held under an accepted title; an uninhabitable house (RTLH: a damaged component, or less than 7.2 m² of
floor per person); no housing assistance in the last ten years; one proposal at a time per person.

A file is checked in bulk: every row is first cleaned without the database, then the few sets the checks
need are read in a handful of queries (district and village codes, the NIKs already in this proposal and in
other open proposals, the NIKs assisted in the last ten years, the UMP of the provinces involved), then
each row is checked against them. Errors reject a row; warnings keep it, and are stored on the row.

Issues are stored as codes with parameters, never as sentences, so a report reads in its reader's
language: `issue_message(column, code, params)` renders one.
"""

import codecs
import csv
import datetime
import hashlib
import io
import itertools
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sibaru.accounts.roles import Role
from sibaru.assistance import nik as nik_rules
from sibaru.assistance.models import AssistedHousehold, Beneficiary, BeneficiaryImport, MinimumWage, Proposal
from sibaru.core import workflow
from sibaru.core.attachments import SPREADSHEET_TYPES, CheckedFile, check_upload
from sibaru.core.events import append_event
from sibaru.core.models import Case
from sibaru.core.scope import roles_for_case
from sibaru.core.services import ActionNotAllowed
from sibaru.regions.codes import InvalidRegionCode, normalize
from sibaru.regions.models import Region

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------------------
# Columns, limits, vocabularies
# ---------------------------------------------------------------------------------------------------------

COLUMNS = (
    "nik", "no_kk", "nama", "alamat", "kode_desa", "penghasilan", "status_tanah", "jumlah_penghuni",
    "luas_lantai", "atap_rusak", "dinding_rusak", "lantai_rusak", "sanitasi_tidak_layak", "struktur_rusak",
    "kegiatan",
)
# The RTLH components: column → key of Beneficiary.house_condition (True = damaged / unfit).
CONDITION_COLUMNS = {
    "atap_rusak": "roof",
    "dinding_rusak": "walls",
    "lantai_rusak": "floor",
    "sanitasi_tidak_layak": "sanitation",
    "struktur_rusak": "structure",
}
EDITABLE_STATES = ("draft", "revision")
EDITOR_ROLES = (Role.PROPOSER_OPERATOR,)
# Who reads the list of a proposal: its proposer and the reviewers who decide on it. Evaluators and
# administrators do not: they judge the service, not the households.
VIEWER_ROLES = (Role.PROPOSER_OPERATOR, Role.VERIFIER, Role.FIELD_VERIFIER, Role.PLANNING_OFFICER,
                Role.DECISION_MAKER, Role.PROVINCE_MONITOR)
# Of those, who sees NIK, KK number, address and income in full: the operator who entered them and the
# verifiers who check them against Dukcapil and visit the houses. The others see the rest, numbers masked.
FULL_DATA_ROLES = (Role.PROPOSER_OPERATOR, Role.VERIFIER, Role.FIELD_VERIFIER)
PROGRESS_EVERY = 500
# A job still queued or running after this long is taken as lost (a worker that died): it no longer blocks
# a new import of the same proposal.
STALE_JOB_AFTER = datetime.timedelta(minutes=30)
# A read-only XLSX stops at this many empty rows in a row (formatted but empty rows at the end of a sheet).
MAX_EMPTY_RUN = 1000
# An XLSX is a zip: its unpacked size is bounded too, so a small file cannot unpack into gigabytes.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_QUERY_CHUNK = 2000
# Cells that a spreadsheet would run as a formula when the data is exported again (formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# The land titles BSPS accepts (housing.md §3.1: "memiliki atau menguasai tanah atas dasar hak yang sah").
# The list itself is not in a regulation we could read: a policy choice, to be confirmed by the directorate.
LAND_STATUSES = {
    "milik_sendiri": gettext_lazy("Milik sendiri (sertifikat hak milik)"),
    "girik": gettext_lazy("Girik, letter C atau petok D"),
    "hak_pakai": gettext_lazy("Hak pakai"),
    "hgb": gettext_lazy("Hak guna bangunan"),
    "ajb": gettext_lazy("Akta jual beli"),
    "waris": gettext_lazy("Warisan atau hibah yang belum dibalik nama"),
    "adat": gettext_lazy("Tanah adat atau ulayat"),
    "keterangan_desa": gettext_lazy("Surat keterangan tanah dari desa/kelurahan"),
}
_LAND_ALIASES = {
    "milik sendiri": "milik_sendiri", "shm": "milik_sendiri", "hak milik": "milik_sendiri",
    "sertifikat hak milik": "milik_sendiri", "sertifikat": "milik_sendiri",
    "letter c": "girik", "petok d": "girik", "hak guna bangunan": "hgb", "akta jual beli": "ajb",
    "warisan": "waris", "hibah": "waris", "tanah adat": "adat", "ulayat": "adat", "tanah ulayat": "adat",
    "surat keterangan desa": "keterangan_desa", "surat keterangan tanah": "keterangan_desa", "skt": "keterangan_desa",
}
_LAND_LOOKUP = {**{code.replace("_", " "): code for code in LAND_STATUSES}, **_LAND_ALIASES}
_YES = {"ya", "y", "1", "true", "benar", "yes", "x"}
_NO = {"tidak", "t", "0", "false", "salah", "no", "n", ""}
_ACTIVITIES = {"pk": "PK", "pb": "PB", "peningkatan kualitas": "PK", "pembangunan baru": "PB"}

MAX_NAME = Beneficiary._meta.get_field("name").max_length
MAX_ADDRESS = Beneficiary._meta.get_field("address").max_length
MAX_INCOME = Decimal(10) ** 14 - 1
MAX_AREA = Decimal("99999.99")
MAX_HOUSEHOLD = 32767

# The template's example row. A file that still holds it is refused row by row (code "example_row").
EXAMPLE_ROW = {
    "nik": "3273014508800001", "no_kk": "3273010101100001", "nama": "CONTOH - hapus baris ini",
    "alamat": "Jl. Contoh No. 1 RT 001/RW 002", "kode_desa": "3273011001", "penghasilan": 2500000,
    "status_tanah": "milik sendiri", "jumlah_penghuni": 4, "luas_lantai": 24, "atap_rusak": "ya",
    "dinding_rusak": "tidak", "lantai_rusak": "ya", "sanitasi_tidak_layak": "ya", "struktur_rusak": "tidak",
    "kegiatan": "PK",
}


def max_rows() -> int:
    return settings.BENEFICIARY_IMPORT_MAX_ROWS


def max_upload_bytes() -> int:
    return settings.BENEFICIARY_IMPORT_MAX_BYTES


def min_floor_area_per_person() -> Decimal:
    return Decimal(str(settings.BSPS_MIN_FLOOR_AREA_PER_PERSON))


def assistance_interval_years() -> int:
    return settings.BSPS_ASSISTANCE_INTERVAL_YEARS


# ---------------------------------------------------------------------------------------------------------
# Messages: stored as codes, rendered in the reader's language
# ---------------------------------------------------------------------------------------------------------

ERROR, WARNING = "error", "warning"

ROW_MESSAGES = {
    **nik_rules.MESSAGES,
    "required": gettext_lazy("wajib diisi."),
    "formula": gettext_lazy("rumus tidak diterima; tulis nilainya saja, tanpa awalan =, +, - atau @."),
    "too_long": gettext_lazy("paling banyak %(limit)d karakter."),
    "example_row": gettext_lazy("ini baris contoh dari templat; hapus baris ini."),
    "duplicate_file": gettext_lazy("NIK sama dengan baris %(row)d pada berkas ini."),
    "duplicate_proposal": gettext_lazy("NIK sudah terdaftar sebagai calon penerima pada usulan ini."),
    "duplicate_open": gettext_lazy("NIK sudah terdaftar pada usulan lain yang masih berjalan."),
    "assisted": gettext_lazy(
        "NIK sudah menerima bantuan perumahan pada tahun %(year)d, kurang dari %(years)d tahun yang lalu."
    ),
    "kk_shared_file": gettext_lazy(
        "nomor KK sama dengan baris %(row)d; satu keluarga biasanya hanya satu calon penerima."
    ),
    "kk_shared_proposal": gettext_lazy("nomor KK sudah dipakai calon penerima lain pada usulan ini."),
    "village_format": gettext_lazy("tulis kode desa/kelurahan 10 angka, boleh dengan titik, misalnya 32.73.01.1001."),
    "village_unknown": gettext_lazy("kode desa/kelurahan tidak dikenal atau sudah tidak berlaku."),
    "village_outside": gettext_lazy("desa/kelurahan ini tidak termasuk lokasi sasaran usulan."),
    "number": gettext_lazy("tulis angka, misalnya %(example)s."),
    "negative": gettext_lazy("tidak boleh negatif."),
    "positive": gettext_lazy("harus lebih dari 0."),
    "integer": gettext_lazy("tulis bilangan bulat lebih dari 0."),
    "too_big": gettext_lazy("angkanya terlalu besar."),
    "income_above_ump": gettext_lazy("penghasilan melebihi UMP provinsi tahun %(year)d (Rp%(wage)s)."),
    "ump_missing": gettext_lazy(
        "UMP belum tersedia untuk provinsi ini tahun %(year)d; penghasilan belum dapat dibandingkan dengan UMP."
    ),
    "land_status": gettext_lazy("status tanah tidak diterima; isi salah satu: %(allowed)s."),
    "flag": gettext_lazy("isi ya atau tidak."),
    "activity": gettext_lazy("isi PK (peningkatan kualitas) atau PB (pembangunan baru)."),
    "not_rtlh": gettext_lazy(
        "rumah tidak memenuhi kriteria RTLH: tidak ada komponen yang rusak (atap_rusak, dinding_rusak, "
        "lantai_rusak, sanitasi_tidak_layak, struktur_rusak) dan luas lantai per orang %(per_person)s m², "
        "tidak kurang dari %(minimum)s m²."
    ),
    "field_count": gettext_lazy("baris rusak: berisi %(found)d kolom, seharusnya %(expected)d."),
}

FILE_MESSAGES = {
    "unreadable": gettext_lazy("Berkas tidak dapat dibaca sebagai XLSX. Simpan ulang dari aplikasi lembar kerja."),
    "unpacked_too_large": gettext_lazy("Isi berkas XLSX terlalu besar setelah dibuka."),
    "encoding": gettext_lazy("Berkas CSV harus berenkode UTF-8. Simpan ulang sebagai “CSV UTF-8”."),
    "csv_broken": gettext_lazy(
        "Berkas CSV rusak di baris %(line)d: tanda kutip tidak tertutup atau ada karakter yang tidak sah."
    ),
    "empty": gettext_lazy("Berkas tidak berisi baris judul kolom."),
    "no_rows": gettext_lazy("Berkas tidak berisi data calon penerima."),
    "missing_columns": gettext_lazy(
        "Kolom berikut tidak ada di baris judul: %(columns)s. Pakai templat yang disediakan."
    ),
    "duplicate_columns": gettext_lazy("Kolom berikut muncul lebih dari sekali di baris judul: %(columns)s."),
    "too_many_rows": gettext_lazy("Berkas berisi lebih dari %(limit)s baris data. Bagi menjadi beberapa berkas."),
    "file_type": gettext_lazy("Unggah berkas XLSX atau CSV."),
    "not_editable": gettext_lazy("Calon penerima hanya dapat diubah selama usulan berstatus draf atau perbaikan."),
    "internal": gettext_lazy("Terjadi kesalahan saat memproses berkas. Coba lagi atau hubungi administrator."),
}


def _format_params(code: str, params: Mapping) -> dict:
    params = dict(params or {})
    if code == "land_status":
        params["allowed"] = ", ".join(code.replace("_", " ") for code in LAND_STATUSES)
    if "wage" in params:
        params["wage"] = formats.number_format(params["wage"], 0, use_l10n=True, force_grouping=True)
    for key in ("per_person", "minimum"):
        if key in params:
            params[key] = formats.number_format(Decimal(str(params[key])), 1, use_l10n=True)
    if "limit" in params and code == "too_many_rows":
        params["limit"] = formats.number_format(params["limit"], 0, use_l10n=True, force_grouping=True)
    return params


def issue_problem(code: str, params: Mapping | None = None) -> str:
    """The problem alone, as a sentence (for a form, which shows it next to its field)."""
    problem = str(ROW_MESSAGES.get(code) or FILE_MESSAGES[code]) % _format_params(code, params or {})
    return problem[:1].upper() + problem[1:]


def issue_message(column: str, code: str, params: Mapping | None = None) -> str:
    """One issue as a sentence in the active language, naming its column."""
    if not column:
        return issue_problem(code, params)
    problem = str(ROW_MESSAGES.get(code) or FILE_MESSAGES[code]) % _format_params(code, params or {})
    return _("Kolom %(column)s: %(problem)s") % {"column": column, "problem": problem}


@dataclass(frozen=True)
class RowIssue:
    row: int
    column: str
    code: str
    severity: str = ERROR
    params: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def message(self) -> str:
        return issue_message(self.column, self.code, self.params)

    def as_list(self) -> list:
        return [self.row, self.column, self.severity, self.code, self.params]


class BeneficiaryFileError(ValidationError):
    """A problem with the whole file: nothing of it is read further."""

    def __init__(self, code: str, **params):
        super().__init__(FILE_MESSAGES[code], code=code, params=_format_params(code, params) or None)
        self.problem = code
        self.problem_params = params


# ---------------------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------------------


@dataclass
class SheetRow:
    """One data row as read: its row number in the file (the header is row 1) and its raw cell values."""

    number: int
    values: dict
    # A CSV row with the wrong number of fields: nothing of it is checked.
    broken: tuple[int, int] | None = None


def _header_key(value) -> str:
    return re.sub(r"\s+", "_", str(value if value is not None else "").strip().lower())


def _column_map(header: Iterable) -> dict[str, int]:
    keys = [_header_key(v) for v in header]
    if not any(keys):
        raise BeneficiaryFileError("empty")
    doubled = sorted({k for k in keys if k in COLUMNS and keys.count(k) > 1})
    if doubled:
        raise BeneficiaryFileError("duplicate_columns", columns=", ".join(doubled))
    missing = [c for c in COLUMNS if c not in keys]
    if missing:
        raise BeneficiaryFileError("missing_columns", columns=", ".join(missing))
    return {c: keys.index(c) for c in COLUMNS}


def _is_empty(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _rows_from(records: Iterable[tuple[int, list]], *, limit: int, progress: Callable | None,
               strict_width: bool = False) -> list[SheetRow]:
    """Data rows from (row number, values) records after the header; stops as soon as the limit is passed."""
    records = iter(records)
    try:
        _number, header = next(records)
    except StopIteration:
        raise BeneficiaryFileError("empty") from None
    columns = _column_map(header)
    width = len(header)
    rows: list[SheetRow] = []
    empty_run = 0
    for number, values in records:
        if _is_empty(values):
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                break
            continue
        empty_run = 0
        if len(rows) >= limit:
            raise BeneficiaryFileError("too_many_rows", limit=limit)
        if strict_width and len(values) != width and not (
            len(values) > width and _is_empty(values[width:])
        ):
            rows.append(SheetRow(number, {}, broken=(len(values), width)))
        else:
            rows.append(SheetRow(number, {c: values[i] if i < len(values) else None for c, i in columns.items()}))
        if progress and len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows), None)
    if not rows:
        raise BeneficiaryFileError("no_rows")
    return rows


def _read_xlsx(file, *, limit: int, progress: Callable | None) -> list[SheetRow]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BeneficiaryFileError("unreadable") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise BeneficiaryFileError("unpacked_too_large")
    file.seek(0)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, KeyError for a missing part)
        raise BeneficiaryFileError("unreadable") from None
    try:
        sheet = workbook.worksheets[0]
        records = (
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        try:
            return _rows_from(records, limit=limit, progress=progress)
        except BeneficiaryFileError:
            raise
        except Exception:
            raise BeneficiaryFileError("unreadable") from None
    finally:
        workbook.close()


def _read_csv(file, *, limit: int, progress: Callable | None) -> list[SheetRow]:
    """Streamed: decoding and parsing stop at the row limit. UTF-8 with or without a BOM; the delimiter is
    the one the header uses most, a semicolon (Excel in Indonesian) or a comma."""
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        try:
            header_line = text.readline()
        except UnicodeDecodeError:
            raise BeneficiaryFileError("encoding") from None
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
        reader = csv.reader(itertools.chain([header_line], text), delimiter=delimiter)

        def records():
            # Numbered by record, as a spreadsheet shows the file: a quoted line break stays in its row.
            try:
                for number, values in enumerate(reader, start=1):
                    if any("\x00" in value for value in values):
                        raise BeneficiaryFileError("encoding")
                    yield number, values
            except UnicodeDecodeError:
                raise BeneficiaryFileError("encoding") from None
            except csv.Error:
                raise BeneficiaryFileError("csv_broken", line=reader.line_num) from None

        return _rows_from(records(), limit=limit, progress=progress, strict_width=True)
    finally:
        text.detach()  # the caller's file stays open


def read_beneficiary_file(file, *, name: str, limit: int | None = None,
                          progress: Callable | None = None) -> list[SheetRow]:
    """The data rows of an XLSX (first sheet) or CSV file with the fixed header, or BeneficiaryFileError.

    Reading stops as soon as the row limit is passed, so a huge file is refused without being read whole.
    `progress(rows_read, None)` is called every PROGRESS_EVERY rows.
    """
    limit = limit or max_rows()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    file.seek(0)
    if extension == "xlsx":
        return _read_xlsx(file, limit=limit, progress=progress)
    if extension == "csv":
        return _read_csv(file, limit=limit, progress=progress)
    raise BeneficiaryFileError("file_type")


_UNSAFE_NAME = re.compile(r"[\\/\x00-\x1f\x7f]|\.\.")


def beneficiary_upload_check(upload: File) -> CheckedFile:
    """Check an uploaded beneficiary file by content and size (XLSX through the shared check; CSV here,
    since a text file has no signature: it must be UTF-8 text, not a binary format renamed)."""
    name = unicodedata.normalize("NFC", upload.name or "").strip()[:150]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx":
        return check_upload(upload, allowed=SPREADSHEET_TYPES, max_bytes=max_upload_bytes())
    if extension != "csv":
        raise ValidationError(FILE_MESSAGES["file_type"], code="bad_type")
    if not name or _UNSAFE_NAME.search(upload.name or ""):
        raise ValidationError(
            _("Nama berkas tidak boleh memuat garis miring, '..' atau karakter kendali."), code="bad_name"
        )
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s). Batasnya %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_upload_bytes())},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("Berkas kosong."), code="empty")
    upload.seek(0)
    head = upload.read(65536)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise ValidationError(FILE_MESSAGES["encoding"], code="content_mismatch") from None
    if b"\x00" in head or filetype.guess(head) is not None:
        raise ValidationError(
            _("Isi berkas %(name)s bukan %(ext)s seperti namanya. Periksa berkasnya, lalu unggah lagi.")
            % {"name": name, "ext": "CSV"},
            code="content_mismatch",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload=upload, name=name, content_type="text/csv", size=upload.size,
                       sha256=digest.hexdigest())


# ---------------------------------------------------------------------------------------------------------
# The template
# ---------------------------------------------------------------------------------------------------------


def _column_help() -> list[tuple[str, bool, str]]:
    """(column, required, explanation) for each column, in the active language."""
    lands = ", ".join(code.replace("_", " ") for code in LAND_STATUSES)
    yes_no = _("Isi ya jika rusak atau tidak layak, tidak jika baik. Kosong dianggap tidak.")
    return [
        ("nik", True, _("NIK calon penerima, 16 angka, sesuai KTP. Format sel sebagai teks agar angka tidak "
                        "dibulatkan.")),
        ("no_kk", True, _("Nomor Kartu Keluarga, 16 angka. Format sel sebagai teks.")),
        ("nama", True, _("Nama lengkap sesuai KTP, paling banyak %(limit)d karakter.") % {"limit": MAX_NAME}),
        ("alamat", True, _("Alamat rumah yang akan ditangani (jalan, RT/RW, dusun).")),
        ("kode_desa", True, _("Kode Kemendagri desa/kelurahan, 10 angka, boleh dengan titik (32.73.01.1001). "
                              "Desa harus termasuk lokasi sasaran usulan.")),
        ("penghasilan", True, _("Penghasilan keluarga per bulan dalam rupiah, tanpa Rp. Paling banyak UMP "
                                "provinsi.")),
        ("status_tanah", True, _("Status tanah, salah satu: %(allowed)s.") % {"allowed": lands}),
        ("jumlah_penghuni", True, _("Jumlah orang yang tinggal di rumah itu, bilangan bulat.")),
        ("luas_lantai", True, _("Luas lantai rumah dalam m², boleh dengan koma (24,5).")),
        ("atap_rusak", False, yes_no),
        ("dinding_rusak", False, yes_no),
        ("lantai_rusak", False, yes_no),
        ("sanitasi_tidak_layak", False, _("Isi ya jika tidak ada jamban/MCK atau tidak layak, tidak jika layak.")),
        ("struktur_rusak", False, yes_no),
        ("kegiatan", True, _("PK untuk peningkatan kualitas, PB untuk pembangunan baru.")),
    ]


def beneficiary_template_xlsx() -> bytes:
    """The XLSX template: the header and one example row on the first sheet, a guide on the second."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "penerima"
    sheet.append(list(COLUMNS))
    sheet.append([EXAMPLE_ROW[c] for c in COLUMNS])
    bold = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = bold
        sheet.column_dimensions[letter].width = max(14, len(column) + 4)
        if column in ("nik", "no_kk", "kode_desa"):
            # Text, so that Excel keeps all 16 digits (it rounds numbers after 15).
            sheet.column_dimensions[letter].width = 20
            for row in range(2, 102):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    last = max_rows() + 1
    flags = DataValidation(type="list", formula1='"ya,tidak"', allow_blank=True)
    activity = DataValidation(type="list", formula1='"PK,PB"', allow_blank=False)
    for column, validation in [*((c, flags) for c in CONDITION_COLUMNS), ("kegiatan", activity)]:
        letter = get_column_letter(COLUMNS.index(column) + 1)
        validation.add(f"{letter}2:{letter}{last}")
    sheet.add_data_validation(flags)
    sheet.add_data_validation(activity)

    guide = workbook.create_sheet("petunjuk")
    guide.append([_("kolom"), _("wajib"), _("isi"), _("contoh")])
    for cell in guide[1]:
        cell.font = bold
    for column, required, explanation in _column_help():
        guide.append([column, _("ya") if required else _("tidak"), explanation, str(EXAMPLE_ROW[column])])
    guide.append([])
    guide.append([_("Baris 2 pada lembar penerima adalah contoh: hapus sebelum mengunggah. Paling banyak "
                    "%(limit)s baris data per berkas. Rumus tidak diterima.")
                  % {"limit": formats.number_format(max_rows(), 0, use_l10n=True, force_grouping=True)}])
    for letter, width in zip("ABCD", (22, 8, 90, 24), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2, max_col=3):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def beneficiary_template_csv() -> bytes:
    """The CSV template: UTF-8 with a BOM (so Excel reads it as UTF-8), comma-separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE_ROW[c] for c in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------------------------------------------------
# Checking rows
# ---------------------------------------------------------------------------------------------------------


@dataclass
class CheckedRow:
    """A row after the checks: its issues, and the values of the Beneficiary it becomes when it has no error."""

    number: int
    issues: list[RowIssue] = field(default_factory=list)
    nik: str = ""
    family_card_number: str = ""
    name: str = ""
    address: str = ""
    village: str = ""
    location_id: int | None = None
    monthly_income: Decimal | None = None
    land_status: str = ""
    household_size: int | None = None
    floor_area: Decimal | None = None
    house_condition: dict = field(default_factory=dict)
    activity: str = ""
    nik_info: nik_rules.NikInfo | None = None
    broken: bool = False  # a CSV row with the wrong number of fields: nothing else is checked

    @property
    def ok(self) -> bool:
        return not any(i.severity == ERROR for i in self.issues)

    @property
    def warnings(self) -> list[RowIssue]:
        return [i for i in self.issues if i.severity == WARNING]

    def error(self, column: str, code: str, **params) -> None:
        self.issues.append(RowIssue(self.number, column, code, ERROR, params))

    def warn(self, column: str, code: str, **params) -> None:
        self.issues.append(RowIssue(self.number, column, code, WARNING, params))

    def beneficiary(self, proposal: Proposal) -> Beneficiary:
        return Beneficiary(
            proposal=proposal, location_id=self.location_id, nik=self.nik,
            family_card_number=self.family_card_number, name=self.name, address=self.address,
            village_id=self.village, monthly_income=self.monthly_income, land_status=self.land_status,
            household_size=self.household_size, floor_area=self.floor_area, house_condition=self.house_condition,
            activity=self.activity,
            warnings=[{"column": w.column, "code": w.code, "params": w.params} for w in self.warnings],
        )


_CONTROL_OR_SPACE_RUN = re.compile(r"[\s\x00-\x1f\x7f]+")


def _text(value) -> str:
    if value is None:
        return ""
    if type(value) is str:
        text = value.strip()
        # The common case, without a regular expression: printable text with single spaces.
        if text.isprintable() and "  " not in text:
            return text
        return _CONTROL_OR_SPACE_RUN.sub(" ", text).strip()
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    # Control characters (a NUL cannot even be stored by PostgreSQL) become spaces, then runs of space one.
    return _CONTROL_OR_SPACE_RUN.sub(" ", str(value)).strip()


_FORMULA_START = "".join(FORMULA_PREFIXES)


def _is_formula(value) -> bool:
    if type(value) is not str or not value:
        return False
    first = value[0]
    if first.isspace():
        first = value.lstrip()[:1]
    return bool(first) and first in _FORMULA_START


_PLAIN = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*(?:(?P<dec>[.,])(?P<frac>\d{1,2}))?$")
_DECIMAL = re.compile(r"^\d+(?:[.,]\d+)?$")


def _parse_rupiah(value) -> Decimal | None:
    """Whole rupiah from a number or text such as 2500000, 2.500.000, Rp 2.500.000,00 or 2,500,000."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))
        if not amount.is_finite():
            return None
    else:
        text = re.sub(r"(?i)^rp\.?", "", _text(value)).replace(" ", "")
        if _PLAIN.match(text):
            amount = Decimal(text)
        elif (match := _GROUPED.match(text)) and match["dec"] != match["sep"]:
            whole = re.sub(r"[.,]", "", text[: match.start("dec")] if match["dec"] else text)
            amount = Decimal(f"{whole}.{match['frac'] or 0}")
        elif _DECIMAL.match(text):
            amount = Decimal(text.replace(",", "."))
        else:
            return None
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _parse_decimal(value) -> Decimal | None:
    """A decimal from a number or text written with a comma or a point (24,5 or 24.5)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
        return number if number.is_finite() else None
    text = _text(value).replace(" ", "")
    if not _DECIMAL.match(text):
        return None
    return Decimal(text.replace(",", "."))


def _parse_int(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    return int(text) if _PLAIN.match(text) else None


def _prepare(row: SheetRow) -> CheckedRow:
    """Clean one row without the database: required values, formats, numbers, vocabularies."""
    checked = CheckedRow(number=row.number)
    if row.broken:
        found, expected = row.broken
        checked.error("", "field_count", found=found, expected=expected)
        checked.broken = True
        return checked
    values = {}
    for column in COLUMNS:
        value = row.values.get(column)
        if _is_formula(value):
            checked.error(column, "formula")
            values[column] = None
        else:
            values[column] = value
    formula = {i.column for i in checked.issues}

    def required(column: str) -> str:
        text = _text(values[column])
        if not text and column not in formula:
            checked.error(column, "required")
        return text

    nik = required("nik")
    if nik:
        checked.nik = nik_rules.clean_number(nik)
        if checked.nik == EXAMPLE_ROW["nik"]:
            checked.error("nik", "example_row")
    kk = required("no_kk")
    if kk:
        checked.family_card_number = nik_rules.clean_number(kk)
    for column, attribute, limit in (("nama", "name", MAX_NAME), ("alamat", "address", MAX_ADDRESS)):
        text = required(column)
        if len(text) > limit:
            checked.error(column, "too_long", limit=limit)
        setattr(checked, attribute, text)

    village = required("kode_desa")
    if village:
        try:
            code = normalize(village)
        except InvalidRegionCode:
            code = ""
        if len(code) != 10:
            checked.error("kode_desa", "village_format")
        checked.village = code

    if required("penghasilan"):
        income = _parse_rupiah(values["penghasilan"])
        if income is None:
            checked.error("penghasilan", "number", example="2500000")
        elif income < 0:
            checked.error("penghasilan", "negative")
        elif income > MAX_INCOME:
            checked.error("penghasilan", "too_big")
        else:
            checked.monthly_income = income

    land = required("status_tanah")
    if land:
        key = re.sub(r"[\s_\-]+", " ", land.lower()).strip()
        if key in _LAND_LOOKUP:
            checked.land_status = _LAND_LOOKUP[key]
        else:
            checked.error("status_tanah", "land_status")

    if required("jumlah_penghuni"):
        size = _parse_int(values["jumlah_penghuni"])
        if size is None or size <= 0:
            checked.error("jumlah_penghuni", "integer")
        elif size > MAX_HOUSEHOLD:
            checked.error("jumlah_penghuni", "too_big")
        else:
            checked.household_size = size

    if required("luas_lantai"):
        area = _parse_decimal(values["luas_lantai"])
        if area is None:
            checked.error("luas_lantai", "number", example="24,5")
        elif area <= 0:
            checked.error("luas_lantai", "positive")
        elif area > MAX_AREA:
            checked.error("luas_lantai", "too_big")
        else:
            checked.floor_area = area.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    condition = {}
    for column, key in CONDITION_COLUMNS.items():
        text = _text(values[column]).lower()
        if text in _YES:
            condition[key] = True
        elif text in _NO:
            if column not in formula:
                condition[key] = False
        else:
            checked.error(column, "flag")
    checked.house_condition = condition
    if len(condition) == len(CONDITION_COLUMNS) and not any(condition.values()):
        # No damaged component: only crowding (floor area per person) can make it an RTLH.
        if checked.floor_area is not None and checked.household_size:
            per_person = checked.floor_area / checked.household_size
            minimum = min_floor_area_per_person()
            if per_person >= minimum:
                checked.error("", "not_rtlh", per_person=str(per_person.quantize(Decimal("0.01"))),
                              minimum=str(minimum))

    activity = required("kegiatan")
    if activity:
        key = re.sub(r"\s+", " ", activity.lower())
        if key in _ACTIVITIES:
            checked.activity = _ACTIVITIES[key]
        else:
            checked.error("kegiatan", "activity")
    return checked


def _chunks(items: list, size: int = _QUERY_CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _open_proposal_condition() -> Q:
    """Cases of a proposal kind that are not in a final state of their workflow."""
    condition = Q(pk__in=[])
    for flow in workflow.all_workflows():
        if flow.kind.startswith("proposal_"):
            finals = [s.code for s in flow.states if s.final]
            condition |= Q(proposal__case__kind=flow.kind) & ~Q(proposal__case__state__in=finals)
    return condition


def _niks_in_other_open_proposals(proposal: Proposal, niks: list[str]) -> set[str]:
    found: set[str] = set()
    condition = _open_proposal_condition()
    for chunk in _chunks(niks):
        found.update(
            Beneficiary.objects.filter(condition, nik__in=chunk).exclude(proposal_id=proposal.pk)
            .values_list("nik", flat=True)
        )
    return found


def _niks_in_proposal(proposal: Proposal, niks: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(niks):
        found.update(Beneficiary.objects.filter(proposal_id=proposal.pk, nik__in=chunk).values_list("nik", flat=True))
    return found


@dataclass
class CheckContext:
    """What the checks read from the database, loaded once for a whole file."""

    districts: set[str]
    villages: set[str]
    locations: dict[str, int]  # region code → ProposalLocation id
    proposal_niks: set[str]
    proposal_family_cards: set[str]
    open_niks: set[str]
    assisted: dict[str, int]  # NIK → the latest year of assistance within the interval
    wages: dict[str, Decimal]  # province code → UMP of `wage_year`
    wage_year: int
    interval: int
    today: datetime.date


def _context(proposal: Proposal, rows: list[CheckedRow]) -> CheckContext:
    """Seven to a dozen queries for any number of rows (the NIK sets are read in chunks of 2,000)."""
    niks = sorted({r.nik for r in rows if len(r.nik) == 16 and r.nik.isdigit()})
    village_codes = sorted({r.village for r in rows if len(r.village) == 10})
    villages: set[str] = set()
    for chunk in _chunks(village_codes):
        villages.update(
            Region.objects.filter(code__in=chunk, level=Region.Level.VILLAGE, is_current=True)
            .values_list("code", flat=True)
        )
    existing = list(Beneficiary.objects.filter(proposal_id=proposal.pk).values_list("nik", "family_card_number"))
    today = timezone.localdate()
    interval = assistance_interval_years()
    assisted: dict[str, int] = {}
    for chunk in _chunks(niks):
        for nik, year in AssistedHousehold.objects.filter(nik__in=chunk, year__gte=today.year - interval).values_list(
            "nik", "year"
        ):
            assisted[nik] = max(year, assisted.get(nik, 0))
    provinces = sorted({code[:2] for code in villages})
    wages = dict(
        MinimumWage.objects.filter(province_id__in=provinces, year=today.year).values_list("province_id", "amount")
    )
    locations = dict(proposal.locations.values_list("region_id", "pk"))
    return CheckContext(
        districts=nik_rules.district_codes(),
        villages=villages,
        locations=locations,
        proposal_niks={n for n, _k in existing},
        proposal_family_cards={k for _n, k in existing},
        open_niks=_niks_in_other_open_proposals(proposal, niks),
        assisted=assisted,
        wages=wages,
        wage_year=today.year,
        interval=interval,
        today=today,
    )


def _check(row: CheckedRow, context: CheckContext, first_nik: dict[str, int], first_kk: dict[str, int]) -> None:
    """The checks that need the database's sets, and duplicates within the file."""
    if row.nik:
        info = nik_rules.parse_nik(row.nik, district_codes=context.districts, today=context.today)
        row.nik_info = info
        for issue in info.errors:
            row.error("nik", issue.code)
        for issue in info.warnings:
            row.warn("nik", issue.code)
        if info.district_code:  # 16 digits: the duplicate checks apply
            if row.nik in first_nik:
                row.error("nik", "duplicate_file", row=first_nik[row.nik])
            else:
                first_nik[row.nik] = row.number
            if row.nik in context.proposal_niks:
                row.error("nik", "duplicate_proposal")
            if row.nik in context.open_niks:
                row.error("nik", "duplicate_open")
            if row.nik in context.assisted:
                row.error("nik", "assisted", year=context.assisted[row.nik], years=context.interval)
    if row.family_card_number:
        card = nik_rules.parse_family_card_number(row.family_card_number, district_codes=context.districts)
        for issue in card.errors:
            row.error("no_kk", issue.code)
        if card.valid:
            if row.family_card_number in first_kk:
                row.warn("no_kk", "kk_shared_file", row=first_kk[row.family_card_number])
            else:
                first_kk[row.family_card_number] = row.number
            if row.family_card_number in context.proposal_family_cards:
                row.warn("no_kk", "kk_shared_proposal")
    if len(row.village) == 10:
        if row.village not in context.villages:
            row.error("kode_desa", "village_unknown")
        elif context.locations:
            # The village itself, or the district, regency or province that contains it (longest first).
            row.location_id = next((context.locations[row.village[:n]] for n in (10, 6, 4, 2)
                                    if row.village[:n] in context.locations), None)
            if row.location_id is None:
                row.error("kode_desa", "village_outside")
        if row.village in context.villages and row.monthly_income is not None:
            wage = context.wages.get(row.village[:2])
            if wage is None:
                row.warn("penghasilan", "ump_missing", year=context.wage_year)
            elif row.monthly_income > wage:
                row.error("penghasilan", "income_above_ump", year=context.wage_year, wage=int(wage))


def _as_sheet_rows(rows: Iterable) -> list[SheetRow]:
    """SheetRows as given, or mappings numbered as the rows of a file under a header (2, 3, …)."""
    return [row if isinstance(row, SheetRow) else SheetRow(number, dict(row))
            for number, row in enumerate(rows, start=2)]


def beneficiary_rows_check(proposal: Proposal, rows: Iterable, *, progress: Callable | None = None) -> list[CheckedRow]:
    """Check every row against the BSPS criteria and the data on file. Reads; writes nothing.

    `progress(done, total)` is called every PROGRESS_EVERY rows and at the end.
    """
    prepared = [_prepare(row) for row in _as_sheet_rows(rows)]
    context = _context(proposal, prepared)
    first_nik: dict[str, int] = {}
    first_kk: dict[str, int] = {}
    total = len(prepared)
    for done, row in enumerate(prepared, start=1):
        if not row.broken:
            _check(row, context, first_nik, first_kk)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    if progress:
        progress(total, total)
    return prepared


# ---------------------------------------------------------------------------------------------------------
# Services: import, add, remove
# ---------------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    total: int
    imported: int
    rejected: int  # rows with at least one error
    warned: int  # rows with warnings (imported or not)
    issues: list[RowIssue]

    @property
    def has_errors(self) -> bool:
        return self.rejected > 0

    @property
    def errors(self) -> list[RowIssue]:
        return [i for i in self.issues if i.severity == ERROR]


def _require_editor(user, case: Case) -> str:
    held = roles_for_case(user, case).intersection(EDITOR_ROLES)
    if not held:
        raise PermissionDenied(_("Peran Anda tidak berwenang melakukan tindakan ini."))
    if case.state not in EDITABLE_STATES:
        raise ActionNotAllowed(str(FILE_MESSAGES["not_editable"]))
    return sorted(held)[0]


def _locked(proposal: Proposal) -> Case:
    return Case.objects.select_for_update().get(pk=proposal.case_id)


def _recheck_duplicates(proposal: Proposal, rows: list[CheckedRow]) -> None:
    """Under the case lock: what another writer may have added since the rows were checked."""
    niks = sorted({r.nik for r in rows if r.ok})
    if not niks:
        return
    in_proposal = _niks_in_proposal(proposal, niks)
    elsewhere = _niks_in_other_open_proposals(proposal, niks)
    for row in rows:
        if row.ok and row.nik in in_proposal:
            row.error("nik", "duplicate_proposal")
        if row.ok and row.nik in elsewhere:
            row.error("nik", "duplicate_open")


def beneficiaries_import(
    *, proposal: Proposal, rows: Iterable, user, import_valid_rows: bool, progress: Callable | None = None
) -> ImportResult:
    """Check the rows and import them into the proposal, in one transaction.

    When a row has an error nothing is imported, unless `import_valid_rows`: then the rows without error
    are. Only a proposer operator of the proposal, while it is a draft or under revision (else
    PermissionDenied / ActionNotAllowed). Records one internal event with the counts (no personal data).
    `rows` are SheetRows (read_beneficiary_file) or mappings of column → value.
    """
    _require_editor(user, Case.objects.get(pk=proposal.case_id))  # fail fast, before the work
    checked = beneficiary_rows_check(proposal, rows, progress=progress)
    with transaction.atomic():
        case = _locked(proposal)
        role = _require_editor(user, case)
        _recheck_duplicates(proposal, checked)
        valid = [row for row in checked if row.ok]
        rejected = len(checked) - len(valid)
        if rejected and not import_valid_rows:
            valid = []
        if valid:
            Beneficiary.objects.bulk_create((row.beneficiary(proposal) for row in valid), batch_size=1000)
            append_event(
                case=case, action="beneficiaries_imported", actor=user, actor_role=role, from_state=case.state,
                to_state=case.state, public=False,
                data={"rows": len(checked), "imported": len(valid), "rejected": rejected,
                      "warnings": sum(1 for row in valid if row.warnings)},
            )
    return ImportResult(
        total=len(checked), imported=len(valid), rejected=rejected,
        warned=sum(1 for row in checked if row.warnings),
        issues=[issue for row in checked for issue in row.issues],
    )


def beneficiary_add(*, proposal: Proposal, user, data: Mapping) -> Beneficiary:
    """Add one beneficiary typed in a form; `data` uses the file's column names (nik, no_kk, nama …).

    The same checks as a file; errors raise ValidationError keyed by column ("__all__" for the row).
    """
    _require_editor(user, Case.objects.get(pk=proposal.case_id))
    [row] = beneficiary_rows_check(proposal, [SheetRow(0, dict(data))])
    with transaction.atomic():
        case = _locked(proposal)
        role = _require_editor(user, case)
        _recheck_duplicates(proposal, [row])
        if not row.ok:
            errors: dict[str, list[str]] = {}
            for issue in row.issues:
                if issue.severity == ERROR:
                    errors.setdefault(issue.column or "__all__", []).append(issue_problem(issue.code, issue.params))
            raise ValidationError(errors)
        beneficiary = row.beneficiary(proposal)
        beneficiary.save()
        append_event(case=case, action="beneficiary_added", actor=user, actor_role=role, from_state=case.state,
                     to_state=case.state, public=False,
                     data={"beneficiary": beneficiary.pk, "warnings": len(row.warnings)})
    return beneficiary


def beneficiary_remove(*, beneficiary: Beneficiary, user) -> None:
    proposal = beneficiary.proposal
    with transaction.atomic():
        case = _locked(proposal)
        role = _require_editor(user, case)
        pk = beneficiary.pk
        deleted, _detail = Beneficiary.objects.filter(pk=pk, proposal_id=proposal.pk).delete()
        if deleted:
            append_event(case=case, action="beneficiary_removed", actor=user, actor_role=role,
                         from_state=case.state, to_state=case.state, public=False, data={"beneficiary": pk})


# ---------------------------------------------------------------------------------------------------------
# Background import: start (a request), run (the task), progress and report (reads)
# ---------------------------------------------------------------------------------------------------------


def beneficiary_import_start(*, proposal: Proposal, user, checked: CheckedFile,
                             import_valid_rows: bool = False) -> BeneficiaryImport:
    """Store a checked upload and queue its import; the task runs after the commit.

    One import at a time per proposal: a second one waits until the first is over.
    """
    stored = ""
    try:
        with transaction.atomic():
            case = _locked(proposal)
            _require_editor(user, case)
            busy = BeneficiaryImport.Status.QUEUED, BeneficiaryImport.Status.RUNNING
            recent = Q(created_at__gte=timezone.now() - STALE_JOB_AFTER) | Q(
                started_at__gte=timezone.now() - STALE_JOB_AFTER
            )
            if BeneficiaryImport.objects.filter(recent, proposal=proposal, status__in=busy).exists():
                raise ActionNotAllowed(_("Impor sebelumnya untuk usulan ini masih diproses."), code="import_running")
            job = BeneficiaryImport(proposal=proposal, original_name=checked.name, sha256=checked.sha256,
                                    import_valid_rows=import_valid_rows, created_by=user)
            checked.upload.seek(0)
            job.file.save(checked.name, checked.upload, save=False)
            stored = job.file.name
            job.save()
            transaction.on_commit(lambda: _enqueue(job.pk))
    except BaseException:
        if stored:
            job.file.storage.delete(stored)
        raise
    return job


def _enqueue(job_id: int) -> None:
    try:
        beneficiaries_import_task.enqueue(job_id)
    except Exception:  # the job stays queued; `beneficiary_import_run` can be called again for it
        logger.exception("Could not enqueue beneficiary import %s", job_id)


def _finish(job: BeneficiaryImport, **fields) -> None:
    fields["finished_at"] = timezone.now()
    BeneficiaryImport.objects.filter(pk=job.pk).update(**fields)
    if job.file:
        try:
            job.file.storage.delete(job.file.name)  # personal data: not kept once read
        except OSError:
            logger.warning("Could not delete the file of beneficiary import %s", job.pk)
        BeneficiaryImport.objects.filter(pk=job.pk).update(file="")


def beneficiary_import_run(job_id: int) -> dict:
    """Read, check and import a queued upload, recording progress every PROGRESS_EVERY rows and the report.

    A job is claimed once (queued → running), so a task delivered twice runs it once.
    """
    now = timezone.now()
    claimed = BeneficiaryImport.objects.filter(pk=job_id, status=BeneficiaryImport.Status.QUEUED).update(
        status=BeneficiaryImport.Status.RUNNING, started_at=now
    )
    if not claimed:
        return {"skipped": True}
    job = BeneficiaryImport.objects.select_related("proposal", "created_by").get(pk=job_id)
    jobs = BeneficiaryImport.objects.filter(pk=job_id)

    def reading(done, _total):
        jobs.update(rows_done=done)

    def checking(done, total):
        jobs.update(rows_done=done, rows_total=total)

    try:
        with job.file.open("rb") as file:
            rows = read_beneficiary_file(file, name=job.file.name, progress=reading)
        jobs.update(rows_total=len(rows), rows_done=0)
        result = beneficiaries_import(proposal=job.proposal, rows=rows, user=job.created_by,
                                      import_valid_rows=job.import_valid_rows, progress=checking)
    except BeneficiaryFileError as error:
        _finish(job, status=BeneficiaryImport.Status.FAILED, failure=[error.problem, error.problem_params])
        return {"failure": error.problem}
    except (ActionNotAllowed, PermissionDenied):
        _finish(job, status=BeneficiaryImport.Status.FAILED, failure=["not_editable", {}])
        return {"failure": "not_editable"}
    except Exception:
        _finish(job, status=BeneficiaryImport.Status.FAILED, failure=["internal", {}])
        raise
    status = BeneficiaryImport.Status.REJECTED if result.has_errors and not result.imported else (
        BeneficiaryImport.Status.DONE
    )
    _finish(job, status=status, imported=result.imported, rejected=result.rejected, warned=result.warned,
            rows_total=result.total, rows_done=result.total, issues=[i.as_list() for i in result.issues])
    return {"total": result.total, "imported": result.imported, "rejected": result.rejected,
            "warned": result.warned}


@task()
def beneficiaries_import_task(job_id: int) -> dict:
    return beneficiary_import_run(job_id)


@dataclass(frozen=True)
class ImportProgress:
    job_id: int
    status: str
    status_label: str
    phase: str  # queued, reading, checking, saving, finished
    rows_done: int
    rows_total: int | None
    percent: int | None  # None while the number of rows is not known yet
    imported: int
    rejected: int
    warned: int
    failure: str  # a message for the whole file, or ""
    has_report: bool

    @property
    def finished(self) -> bool:
        return self.phase == "finished"


def beneficiary_import_progress(*, job_id: int, user, tracking_code: str | None = None) -> ImportProgress:
    """The state of an import for its progress bar (one query, plus the case check).

    With `tracking_code`, only a job of that proposal (BeneficiaryImport.DoesNotExist otherwise)."""
    jobs = BeneficiaryImport.objects.select_related("proposal__case").defer("issues")
    if tracking_code is not None:
        jobs = jobs.filter(proposal__case__tracking_code=tracking_code)
    job = jobs.get(pk=job_id)
    if not roles_for_case(user, job.proposal.case):
        raise PermissionDenied(_("Anda tidak berwenang melihat impor ini."))
    return import_progress_of(job)


def import_progress_of(job: BeneficiaryImport) -> ImportProgress:
    """The progress of a job already read and checked by the caller."""
    status = BeneficiaryImport.Status
    if job.status == status.QUEUED:
        phase = "queued"
    elif job.status == status.RUNNING:
        phase = "reading" if job.rows_total is None else "saving" if job.rows_done >= job.rows_total else "checking"
    else:
        phase = "finished"
    percent = None
    if phase == "finished":
        percent = 100
    elif job.rows_total:
        percent = min(99, job.rows_done * 100 // job.rows_total)
    failure = issue_message("", job.failure[0], job.failure[1]) if job.failure else ""
    return ImportProgress(
        job_id=job.pk, status=job.status, status_label=str(status(job.status).label), phase=phase,
        rows_done=job.rows_done, rows_total=job.rows_total, percent=percent, imported=job.imported,
        rejected=job.rejected, warned=job.warned, failure=failure,
        has_report=phase == "finished" and (job.rejected > 0 or job.warned > 0 or bool(job.failure)),
    )


def beneficiary_import_issues(job: BeneficiaryImport, *, limit: int = 20) -> list[tuple[int, str, str]]:
    """The first issues of an import as (row, severity, sentence in the active language), in the report's order."""
    ordered = sorted(job.issues, key=lambda item: (item[0], item[2] != ERROR))[:limit]
    return [(row, severity, issue_message(column, code, params)) for row, column, severity, code, params in ordered]


def _safe_cell(value) -> str:
    text = str(value)
    return "'" + text if text[:1] in FORMULA_PREFIXES else text


def beneficiary_error_report_csv(job: BeneficiaryImport) -> bytes:
    """The import's report as CSV (UTF-8 with BOM, for Excel): row, column, kind, message, in the active language.

    It names rows and columns only, never the personal data in them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_("baris"), _("kolom"), _("jenis"), _("pesan")])
    labels = {ERROR: _("galat"), WARNING: _("peringatan")}
    if job.failure:
        writer.writerow(["", "", labels[ERROR], _safe_cell(issue_message("", job.failure[0], job.failure[1]))])
    for row, column, severity, code, params in sorted(job.issues, key=lambda item: (item[0], item[2] != ERROR)):
        writer.writerow([row, column, labels[severity], _safe_cell(issue_message(column, code, params))])
    return buffer.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------------------------------------------------
# The logged read of personal data
# ---------------------------------------------------------------------------------------------------------


def mask_number(number: str) -> str:
    """A NIK or KK number with its middle hidden: the district code and the last four digits stay (enough to
    tell rows apart and to match a paper list); the birth date and sex in a NIK do not."""
    if len(number) <= 10:
        return "•" * len(number)
    return number[:6] + "•" * (len(number) - 10) + number[-4:]


def beneficiary_warning_messages(beneficiary: Beneficiary) -> list[str]:
    """The warnings kept on a beneficiary, as sentences in the active language."""
    return [issue_message(w.get("column", ""), w["code"], w.get("params")) for w in beneficiary.warnings]


def beneficiaries_for(proposal: Proposal, user, *, reason: str, roles: Iterable[str] | None = None,
                      limit: int = 100, after: int | None = None) -> list[Beneficiary]:
    """A page of the proposal's beneficiaries with their NIK; each call is recorded as an internal event
    "beneficiaries_viewed" (who, why, how many rows) on the case.

    The caller decides which roles may see NIKs by passing `roles`; by default any role in which the user
    may act on the case. `after` is the last id of the previous page (keyset pagination).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Sebutkan alasan melihat data pribadi calon penerima.")]})
    with transaction.atomic():
        case = _locked(proposal)
        held = roles_for_case(user, case)
        if roles is not None:
            held = held.intersection(roles)
        if not held:
            raise PermissionDenied(_("Peran Anda tidak berwenang melihat data calon penerima."))
        rows = Beneficiary.objects.filter(proposal_id=proposal.pk).select_related("village").order_by("pk")
        if after is not None:
            rows = rows.filter(pk__gt=after)
        rows = list(rows[: max(1, min(limit, 1000))])
        append_event(case=case, action="beneficiaries_viewed", actor=user, actor_role=sorted(held)[0],
                     from_state=case.state, to_state=case.state, public=False,
                     data={"reason": reason[:300], "rows": len(rows), "after": after})
    return rows
