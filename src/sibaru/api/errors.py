"""The API's one error shape: {"error": {"code", "message", "fields"}}, in the request's language.

Services raise ApiError (or Django's ValidationError / PermissionDenied / Http404); the handlers below
turn every failure a client can cause into that shape, so bad input never becomes a 500.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from sibaru.core.services import IdempotencyConflict


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Wajib diisi.")
    if kind in {"string_too_long", "too_long"}:
        return _("Terlalu panjang: paling banyak %(max)s karakter.") % {"max": ctx.get("max_length", "?")}
    if kind in {"string_too_short", "too_short"}:
        return _("Terlalu pendek: paling sedikit %(min)s karakter.") % {"min": ctx.get("min_length", "?")}
    if kind.startswith("int_") or kind.startswith("float_"):
        return _("Harus berupa angka.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Tanggal tidak valid; gunakan format YYYY-MM-DD.")
    if kind in {"enum", "literal_error"}:
        return _("Nilai tidak dikenal. Pilihan: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    return _("Nilai tidak valid.")


def _field_name(loc: list) -> str:
    # ninja reports ("body", "payload", "reporter", "name"); clients know the field as reporter.name.
    # Only the leading markers go: a field may itself be called "body" (a comment's text).
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "form", "file"):
        parts.pop(0)
    if parts and parts[0] == "payload":
        parts.pop(0)
    return ".".join(parts) or "__all__"


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, code: str, message: str, fields=None, headers=None):
        response = api.create_response(request, error_body(code, message, fields), status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return respond(request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(list(error.get("loc", []))), []).append(_pydantic_message(error))
        if "__all__" in fields and any("json" in str(e.get("type", "")).lower() for e in exc.errors):
            return respond(request, 400, "malformed_json", _("Isi permintaan bukan JSON yang sah."))
        return respond(request, 422, "invalid", _("Ada isian yang tidak valid."), fields)

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request, exc: DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return respond(request, 422, "invalid", _("Ada isian yang tidak valid."), fields)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(
            request, 401, "unauthenticated", _("Masuk diperlukan: kirim token yang sah di header Authorization."),
            headers={"WWW-Authenticate": "Bearer"},
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, "forbidden", str(exc) or _("Anda tidak berwenang melakukan ini."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, "not_found", _("Tidak ditemukan."))

    @api.exception_handler(IdempotencyConflict)
    def idempotency_conflict(request, exc: IdempotencyConflict):
        return respond(request, 409, "idempotency_conflict", str(exc))

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        headers = {"Retry-After": str(int(exc.wait))} if exc.wait else {}
        message = _("Terlalu banyak permintaan. Coba lagi sebentar lagi.")
        return respond(request, 429, "rate_limited", message, headers=headers)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        codes = {400: "bad_request", 405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type"}
        return respond(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))
