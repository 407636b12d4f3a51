"""Every UI string is translated into Finnish and Swedish (gettext's own tools read the catalogues)."""

import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "kohtaamo" / "locale"


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="gettext is installed by ./run")
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_catalogue_is_complete(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(["msgattrib", "--untranslated", str(po)], capture_output=True, text=True, check=True)
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", str(po)], capture_output=True, text=True, check=True)
    assert untranslated.stdout == "" and fuzzy.stdout == ""
    subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(po)], check=True)
