"""What an edit changes: the files of ``content/`` that changed since the last look, and the pages they affect.

``xuncha serve`` renders again only the pages whose view data an edit can change (``docs/架构.md``, 预览). The rules
follow what each view reads from the catalogue (:mod:`xuncha_site.views`):

- a notice's page shows the notice, its round's name (nothing else of the round: a notice that inherits a round's
  dates is read again with it, and compared), its neighbours in its round and the other notices of its unit (each
  with its round's name), its unit's tracker links and its problems' themes;
- a round's page shows the round, its status (its units and notices) and its common problems;
- a unit's page shows the unit's rounds (their names), its status in each and its notices, and its tracker;
- a theme's page shows its hits (notices, their units and rounds) and the rounds' names;
- the listing pages (home, rounds, units, themes, feedback, site map, disclosure) show notices and rounds of every
  round: they are rendered again on any change.

An edit that adds, removes or renames a page, changes what is public, the build date, the settings, the themes list or
anything else than notice and round records is *structural*: :func:`affected_pages` returns None and the caller
builds the whole site, as it does for a file it does not know.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from xuncha_site.core import routes
from xuncha_site.core.catalogue import Catalogue
from xuncha_site.core.loader import RECORD_SUFFIXES
from xuncha_site.core.model import Notice

Stamp = tuple[int, int]  # (mtime in ns, size)
Stamps = dict[str, Stamp]  # path relative to the scanned folder (POSIX) → its stamp

# The listing pages: they show notices and rounds of every round.
LISTINGS = (
    routes.HOME,
    routes.ROUNDS,
    routes.UNITS,
    routes.FEEDBACK,
    routes.SITEMAP,
    routes.DISCLOSURE,
)


def scan(folder: Path) -> Stamps:
    """Every file below ``folder`` (hidden ones included: a swap file is no record, but it is a change) by stamp."""
    found: Stamps = {}
    top = os.fspath(folder)
    for where, _, names in os.walk(top):
        relative = os.path.relpath(where, top)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        for name in names:
            try:
                stat = os.stat(os.path.join(where, name))
            except OSError:
                continue
            found[prefix + name] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed_files(before: Stamps, after: Stamps) -> set[str]:
    """Files added, removed or changed (modification time or size) between two scans."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def is_record(path: str) -> bool:
    """A notice (``notices/<round>/<slug>.md``) or round (``rounds/<id>.yml``) record, relative to ``content/``."""
    parts = path.split("/")
    if any(part.startswith(".") for part in parts):
        return False
    if len(parts) == 3 and parts[0] == "notices":
        return parts[2].endswith(".md")
    return len(parts) == 2 and parts[0] == "rounds" and os.path.splitext(parts[1])[1] in RECORD_SUFFIXES


def _shape(catalogue: Catalogue) -> tuple[object, ...]:
    """What fixes the site's set of pages and files: when it differs, the whole site is built."""
    return (
        catalogue.today,
        catalogue.settings,
        tuple(notice.id for notice in catalogue.notices),
        tuple((notice.round_id, notice.slug, notice.unit_slug, notice.attachments) for notice in catalogue.notices),
        tuple(catalogue.rounds),
        tuple(round_.id for round_ in catalogue.rounds_newest_first),
        tuple(catalogue.units),
        tuple(entry.theme for entry in catalogue.themes.entries),
        tuple(catalogue.trackers),
    )


def _by_id(notices: Iterable[Notice]) -> dict[str, Notice]:
    return {notice.id: notice for notice in notices}


def affected_pages(old: Catalogue, new: Catalogue, changed_paths: Iterable[str]) -> set[str] | None:
    """The routes (:mod:`xuncha_site.core.routes` paths) of the pages whose view data may differ between ``old`` and
    ``new`` after ``changed_paths`` (relative to ``content/``) changed; None when the change is structural.

    A page left out is the same, byte for byte, as the one rendered from ``old`` (tests/test_preview_refresh.py
    compares with a full build). Notices are compared by identity first: the preview's cache hands back the same
    object for a record that did not change.
    """
    changed = set(changed_paths)
    if not all(is_record(path) for path in changed) or _shape(old) != _shape(new):
        return None
    before, after = _by_id(old.notices), _by_id(new.notices)
    notices = {key for key, notice in after.items() if notice is not before[key] and notice != before[key]}
    rounds = {key for key, round_ in new.rounds.items() if round_ is not old.rounds[key] and round_ != old.rounds[key]}
    if not notices and not rounds:
        return set()
    renamed = {key for key in rounds if new.rounds[key].name != old.rounds[key].name}
    pages: set[str] = set(LISTINGS)
    units: set[str] = set()  # units whose page changes
    named: set[str] = set()  # units whose notices show a changed round name or a changed notice
    shown = set(rounds)  # rounds whose page changes: those edited and those of the notices edited
    for catalogue, known in ((old, before), (new, after)):
        for key in notices:
            notice = known[key]
            shown.add(notice.round_id)
            units.add(notice.unit_slug)
            named.add(notice.unit_slug)
            pages.add(routes.notice_path(notice.round_id, notice.slug))
            pages.update(
                routes.notice_path(other.round_id, other.slug)
                for other in catalogue.neighbours.get(key, (None, None))
                if other is not None
            )
        for round_id in rounds:  # an edited round shows on its units' pages (their status), its name on their notices'
            in_round = {notice.unit_slug for notice in catalogue.in_round.get(round_id, ())}
            status = catalogue.statuses.get(round_id)
            if status is not None:
                in_round.update(unit.unit.slug for unit in status.units)
            units |= in_round
            if round_id in renamed:
                named |= in_round
    pages.update(routes.round_path(round_id) for round_id in shown)
    pages.update(routes.unit_path(slug) for slug in units | named)
    for slug in named:
        for catalogue in (old, new):
            entry = catalogue.units.get(slug)
            if entry is not None:  # the unit's notices list each other (with their rounds' names), and its tracker
                pages.update(routes.notice_path(notice.round_id, notice.slug) for notice in entry.notices)
    for was, now in zip(old.themes.entries, new.themes.entries, strict=True):
        if was != now or any(round_id in now.rounds or round_id in was.rounds for round_id in renamed):
            pages.add(routes.theme_path(now.theme.slug))
    if new.themes.entries:  # the themes' summaries
        pages.add(routes.THEMES)
    return pages
