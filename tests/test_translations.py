"""The English catalogue (src/sibaru/locale/en) is complete, valid and compiled.

Indonesian is the source language: every msgid in the code and templates is Indonesian and English comes
from the catalogue. These tests re-extract the messages the way `make messages` does, but in a temporary
copy of the sources, so they never write to the working tree. They need GNU gettext (xgettext, msgmerge,
msgfmt, msgen...); without it they fail, they are never skipped.

When one fails: `make messages`, translate what it added to django.po (no `#, fuzzy` left), then
`make messages` again to compile django.mo, and commit both files.
"""

import gettext
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "sibaru"
LOCALE = SRC / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# The same options as `make messages`.
MAKEMESSAGES = ["makemessages", "-l", "en", "--no-obsolete", "--no-location", "--ignore", "tests/*",
                "--ignore", "*/tests/*"]
# What makemessages runs, and what these tests run themselves.
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib", "msgfmt", "msgen")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
        pytest.fail(
            f"GNU gettext is missing ({', '.join(missing)} not found on PATH). The translation tests need it: "
            "install it (Debian/Ubuntu: apt-get install gettext; macOS: brew install gettext).",
            pytrace=False,
        )
    return path


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    # Fixed arguments (gettext tools, this Python), no shell.
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)  # noqa: S603
    if result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
                    pytrace=False)
    return result


def _compile(po: Path, mo: Path, *flags: str) -> gettext.GNUTranslations:
    """msgfmt, which leaves out untranslated and fuzzy entries, then the catalogue Python reads from it."""
    _run([_tool("msgfmt"), *flags, "-o", str(mo), str(po)])
    with mo.open("rb") as file:
        return gettext.GNUTranslations(file)


def _nplurals(translations: gettext.GNUTranslations) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", translations.info().get("plural-forms", ""))
    if match is None:
        pytest.fail(f"{PO.relative_to(ROOT)}: the header has no Plural-Forms (or is marked fuzzy).", pytrace=False)
    return int(match[1])


def _snapshot(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def _extract(tmp_path: Path) -> Path:
    """A fresh, untranslated en catalogue of the current sources, made by `manage.py makemessages` in a copy.

    The copy has its own settings module, so LOCALE_PATHS (and so every file makemessages writes, the
    templates' temporary .py files included) points into tmp_path.
    """
    for tool in GETTEXT_TOOLS:
        _tool(tool)
    copy = tmp_path / "tree"
    shutil.copytree(SRC, copy / "src" / "sibaru",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "*.po", "*.pot", "*.mo"))
    shutil.copy2(ROOT / "manage.py", copy / "manage.py")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(
        DJANGO_SETTINGS_MODULE="sibaru.settings",
        SIBARU_MODE="test",
        SIBARU_VAR_DIR=str(tmp_path / "var"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    cwd = copy / "src" / "sibaru"
    _run([sys.executable, str(copy / "manage.py"), *MAKEMESSAGES], cwd=cwd, env=env)
    fresh = cwd / "locale" / "en" / "LC_MESSAGES" / "django.po"
    assert fresh.is_file(), f"makemessages wrote no catalogue in the copy ({fresh})"
    return fresh


def _label(key) -> str:
    msgid = key[0] if isinstance(key, tuple) else key
    context, _, msgid = msgid.rpartition("\x04")
    return f"msgctxt {context!r}, msgid {msgid!r}" if context else repr(msgid)


def test_every_message_in_the_sources_is_translated(tmp_path):
    assert PO.is_file(), f"{PO.relative_to(ROOT)} is missing: run `make messages`."
    before = _snapshot(LOCALE)
    fresh = _extract(tmp_path)
    assert _snapshot(LOCALE) == before, "the extraction changed the working tree's catalogue"

    # msgen fills every msgstr with its msgid: compiled, it lists every message the sources use.
    filled = tmp_path / "expected.po"
    _run([_tool("msgen"), "-o", str(filled), str(fresh)])
    expected = _compile(filled, tmp_path / "expected.mo")._catalog
    committed = _compile(PO, tmp_path / "committed.mo")
    nplurals = _nplurals(committed)
    catalog = committed._catalog

    missing = []
    for key in expected:
        if key == "" or (isinstance(key, tuple) and key[1] != 0):
            continue
        if isinstance(key, tuple):
            translated = all(catalog.get((key[0], n)) for n in range(nplurals))
        else:
            translated = bool(catalog.get(key))
        if not translated:
            missing.append(_label(key))
    assert len(expected) > 100, f"the extraction found only {len(expected)} messages: is it scanning the sources?"
    if missing:
        pytest.fail(
            f"{len(missing)} message(s) of the sources are not translated (missing, empty or fuzzy) in "
            f"{PO.relative_to(ROOT)}. Run `make messages`, translate them, then `make messages` again:\n  "
            + "\n  ".join(sorted(missing)),
            pytrace=False,
        )


def test_the_catalogue_is_valid_and_has_no_fuzzy_entry(tmp_path):
    assert PO.is_file(), f"{PO.relative_to(ROOT)} is missing: run `make messages`."
    # --check: placeholders match their msgid (python-format), plural forms, header fields.
    translations = _compile(PO, tmp_path / "checked.mo", "--check")
    assert translations.info().get("language") == "en", "the header must say `Language: en` (and not be fuzzy)"
    assert _nplurals(translations) == 2
    fuzzy = [line for line in PO.read_text(encoding="utf-8").splitlines()
             if line.startswith("#,") and "fuzzy" in line]
    assert not fuzzy, f"{PO.relative_to(ROOT)} has {len(fuzzy)} fuzzy entr(y/ies): review them, remove the flag"


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    assert MO.is_file(), f"{MO.relative_to(ROOT)} is missing: run `make messages` (the .mo is committed)."
    # Compared as catalogues, not bytes: another msgfmt version may lay the same catalogue out differently.
    fresh = _compile(PO, tmp_path / "fresh.mo", "--check-format")
    with MO.open("rb") as file:
        committed = gettext.GNUTranslations(file)
    if committed._catalog != fresh._catalog:
        stale = sorted(_label(key) for key in committed._catalog.keys() ^ fresh._catalog.keys())
        changed = sorted(_label(key) for key in committed._catalog.keys() & fresh._catalog.keys()
                         if committed._catalog[key] != fresh._catalog[key])
        pytest.fail(
            f"{MO.relative_to(ROOT)} does not match {PO.relative_to(ROOT)}: run `make messages` (or "
            "`manage.py compilemessages` in src/sibaru) and commit the .mo.\n"
            f"  only in one of them: {stale[:20]}\n  translated differently: {changed[:20]}",
            pytrace=False,
        )
