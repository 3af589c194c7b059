"""No review finding on the real notices in ../shared: the seeds and the openings in real-notices, imported as an
editor would import them (the contact paragraph goes to the contact block), then checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import make_site, run_import

from xuncha_site.core.review import ReviewList, scan_line, scan_record

pytestmark = pytest.mark.seeds


def _shared() -> Path:
    """../shared beside the repository, or beside the folder of its worktrees."""
    for folder in Path(__file__).resolve().parents[2:]:
        if (folder / "shared" / "seeds").is_dir():
            return folder / "shared"
    pytest.fail("../shared/seeds is missing: run the seed tests only where ../shared is present")


def _notices(folder: str) -> list[Path]:
    return sorted((_shared() / folder).glob("*.txt"))


@pytest.mark.parametrize("folder", ["seeds", "real-notices"])
def test_imported_real_notices_give_no_review_finding(folder, tmp_path, capsys):
    files = _notices(folder)
    assert files
    config = make_site(tmp_path / "site")
    notices = config.parent / "content" / "notices"
    imported = 0
    for path in files:
        run = run_import(config, path, "--round", "2024-r5", "--force", capsys=capsys)
        records = list(notices.rglob("*.md"))
        if not records:
            # A round's announcement (a 巡察办's summary of a whole round) is refused, never made a unit notice.
            assert "这是一轮巡察的整体整改情况" in run.err, f"{path.name} was not imported:\n{run.err}"
            continue
        imported += 1
        for record in records:
            # Imported records may lack what the editor must supply (issuer, dates), so that check would not load
            # them: the review reads the record file itself, as check does for every loaded notice.
            hits, public = scan_record(record.read_text(encoding="utf-8"), ReviewList())
            assert public is not None
            assert [f"{hit.line}: {hit.message}" for hit in hits] == [], path.name
        for record in records:
            record.unlink()
    assert imported >= len(files) - 1


def test_real_notice_texts_have_no_privacy_finding_outside_their_contact_paragraph():
    for path in _notices("seeds") + _notices("real-notices"):
        lines = path.read_text(encoding="utf-8").split("\n")
        body = [line for line in lines if "联系方式" not in line and "电子邮箱" not in line]
        assert [hit.message for n, line in enumerate(body, 1) for hit in scan_line(line, n, ReviewList())] == []
