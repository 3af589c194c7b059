"""Open data (DESIGN §5): notices.json, notices.csv and rounds.json, byte-stable for the same input.

The built site (``/data/…``) and ``xuncha export`` both call :func:`export_text`, so they give the same bytes for the
same content and ``SOURCE_DATE_EPOCH``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from importlib import resources
from typing import TYPE_CHECKING, Any

from xuncha_site.core.catalogue import Catalogue
from xuncha_site.core.disclosure import Disclosure, DisclosureTotals, disclosure
from xuncha_site.core.model import Notice, Problem, Round
from xuncha_site.core.routes import DATA_FILES, notice_url, round_url, theme_url, unit_url
from xuncha_site.core.stats import RoundStatus
from xuncha_site.core.tracking import track

if TYPE_CHECKING:
    from xuncha_site.core.project import Project

NOTICES_SCHEMA = "xuncha-notices/1"
ROUNDS_SCHEMA = "xuncha-rounds/2"  # /2: completion figures cover only notices that state it (open-data page)
THEMES_SCHEMA = "xuncha-themes/1"
DISCLOSURE_SCHEMA = "xuncha-disclosure/1"
UNITS_SCHEMA = "xuncha-units/1"
DISCLOSURE_COLUMNS = (
    "round_id",
    "round_name",
    "group",
    "unit",
    "unit_url",
    "feedback_date",
    "due_date",
    "first_notice",
    "first_published",
    "days_taken",
    "state",
    "state_label",
    "days_late",
)

COUNT_KEYS = (
    "problems",
    "specific_problems",
    "suggestions",
    "measures",
    "rules",
    "completed",
    "basically_completed",
    "in_progress",
    "long_term",
    "not_completed",
    "completion_rate",
)


def notice_updated(notice: Notice) -> datetime:
    """When the notice's page last changed: its publication, or its latest correction if that came later."""
    moments = [notice.published]
    moments += [datetime.combine(c.date, time(0), notice.published.tzinfo) for c in notice.corrections]
    return max(moments)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def problem_data(problem: Problem, themes: dict[int, tuple[str, ...]] | None = None) -> dict[str, Any]:
    """One problem node; ``themes``: the notice's problem themes by line (ThemeIndex.problems)."""
    themes = themes or {}
    return {
        "title": problem.title,
        "status": problem.status.value,
        "status_text": problem.status_text or None,
        "themes": list(themes.get(problem.line, ())),
        "children": [problem_data(child, themes) for child in problem.children],
    }


def derived_counts_data(notice: Notice) -> dict[str, Any]:
    """``derived_counts``: figures only when every leaf of the problem tree states its status, else all null.

    ``problems`` is then the number of leaves (the one counting level); what only a notice can state (具体问题数 as
    such, 意见建议, 措施, 制度) is always null here.
    """
    derived = notice.derived_counts.as_dict()
    return {key: derived[key] for key in COUNT_KEYS}


def notice_data(
    notice: Notice, rounds: dict[str, Round], base_url: str = "/", themes: dict[int, tuple[str, ...]] | None = None
) -> dict[str, Any]:
    """One notice as the open-data object of schema xuncha-notices/1."""
    round_ = rounds.get(notice.round_id)
    counts = notice.counts.as_dict()
    return {
        "id": notice.id,
        "url": notice_url(notice, base_url),
        "title": notice.title,
        "round": {"id": notice.round_id, "name": round_.name if round_ else notice.round_id},
        "unit": notice.unit,
        "issuer": notice.issuer,
        "group": notice.group,
        "inspection_start": _iso(notice.inspection_start),
        "inspection_end": _iso(notice.inspection_end),
        "feedback_date": _iso(notice.feedback_date),
        "notice_date": _iso(notice.notice_date),
        "published": _iso(notice.published),
        "stage": notice.stage,
        "counts": {key: counts[key] for key in COUNT_KEYS},
        "derived_counts": derived_counts_data(notice),
        "problems": [problem_data(problem, themes) for problem in notice.problems],
        "contact": {
            "phones": list(notice.contact.phones),
            "emails": list(notice.contact.emails),
            "mailbox": notice.contact.mailbox or None,
            "address": notice.contact.address or None,
            "postcode": notice.contact.postcode or None,
            "text": notice.contact.text or None,
        },
        "source": {
            "name": notice.source.name or None,
            "url": notice.source.url or None,
            "editor": notice.source.editor or None,
        },
        "corrections": [{"date": c.date.isoformat(), "text": c.text} for c in notice.corrections],
    }


def notices_document(
    notices: Iterable[Notice],
    rounds: dict[str, Round],
    base_url: str = "/",
    themes: dict[str, dict[int, tuple[str, ...]]] | None = None,
) -> dict[str, Any]:
    ordered = sorted(notices, key=lambda n: (n.published, n.id), reverse=True)
    themes = themes or {}
    return {"schema": NOTICES_SCHEMA, "notices": [notice_data(n, rounds, base_url, themes.get(n.id)) for n in ordered]}


def themes_document(catalogue: Catalogue, base_url: str = "/") -> dict[str, Any]:
    """The theme list with its counts per round and year and its problems (schema xuncha-themes/1)."""
    items = []
    for entry in catalogue.themes.entries:
        theme = entry.theme
        items.append(
            {
                "id": theme.slug,
                "url": theme_url(theme.slug, base_url),
                "name": theme.name,
                "description": theme.description or None,
                "words": list(theme.words),
                "exclude": list(theme.exclude),
                "total": {"units": entry.total.units, "problems": entry.total.problems},
                "rounds": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "units": entry.rounds[r.id].units,
                        "problems": entry.rounds[r.id].problems,
                    }
                    for r in catalogue.rounds_newest_first
                    if r.id in entry.rounds
                ],
                "years": [
                    {"year": year, "units": count.units, "problems": count.problems}
                    for year, count in entry.years.items()
                ],
                "problems": [
                    {
                        "notice": hit.notice.id,
                        "round": hit.notice.round_id,
                        "unit": hit.notice.unit,
                        "title": hit.problem.title,
                        "url": f"{notice_url(hit.notice, base_url)}#{hit.problem.anchor}",
                        "status": hit.status.value,
                        "status_text": hit.status_text or None,
                    }
                    for hit in entry.hits
                ],
            }
        )
    return {"schema": THEMES_SCHEMA, "themes": items}


def round_data(status: RoundStatus, base_url: str = "/") -> dict[str, Any]:
    """One round of schema xuncha-rounds/1."""
    round_ = status.round
    fig = status.figures
    return {
        "id": round_.id,
        "url": round_url(round_.id, base_url),
        "name": round_.name,
        "committee": round_.committee or None,
        "term": round_.term or None,
        "number": round_.number,
        "year": round_.year,
        "type": round_.type,
        "topic": round_.topic or None,
        "inspection_start": _iso(round_.inspection_start),
        "inspection_end": _iso(round_.inspection_end),
        "feedback_date": _iso(round_.feedback_date),
        "figures": {
            "units": len(status.units),
            "units_disclosed": sum(1 for unit in status.units if unit.disclosed),
            "units_missing": len(status.missing),
            "units_overdue": len(status.overdue),
            "notices": fig.notices,
            "notices_counted": fig.counted,
            "notices_not_counted": fig.not_counted,
            "problems": fig.problems,
            "completed": fig.completed,
            "basically_completed": fig.basically_completed,
            "in_progress": fig.in_progress,
            "long_term": fig.long_term,
            "not_completed": fig.not_completed,
            "unsplit": fig.unsplit,
            "completion_rate": fig.completion_rate,
        },
        "groups": [
            {
                "name": name,
                "units": [
                    {
                        "name": unit.unit.name,
                        "url": unit_url(unit.unit.slug, base_url),
                        "feedback_date": _iso(unit.feedback_date),
                        "due_date": _iso(unit.due_date),
                        "disclosed": unit.disclosed,
                        "overdue": unit.overdue,
                        "days_since_feedback": unit.days_since_feedback,
                        "notices": [n.id for n in unit.notices],
                    }
                    for unit in units
                ],
            }
            for name, units in status.groups
        ],
        "missing": [unit.unit.name for unit in status.missing],
        "overdue": [unit.unit.name for unit in status.overdue],
        "other_notices": [n.id for n in status.extra_notices],
    }


def rounds_document(catalogue: Catalogue, base_url: str = "/") -> dict[str, Any]:
    """All rounds, newest first, with each unit's disclosure status as of the build date."""
    settings = catalogue.settings
    return {
        "schema": ROUNDS_SCHEMA,
        "as_of": catalogue.today.isoformat(),
        "deadline_days": settings.deadline_days,
        "grace_days": settings.grace_days,
        "rounds": [round_data(catalogue.statuses[r.id], base_url) for r in catalogue.rounds_newest_first],
    }


def _totals_data(t: DisclosureTotals) -> dict[str, Any]:
    return {
        "units": t.units,
        "on_time": t.on_time,
        "late": t.late,
        "pending": t.pending,
        "overdue": t.overdue,
        "unknown": t.unknown,
        "share_on_time": t.share_on_time,
    }


def disclosure_document(report: Disclosure, base_url: str = "/") -> dict[str, Any]:
    """Every listed unit's first disclosure against its deadline (schema xuncha-disclosure/1), rounds newest first."""
    return {
        "schema": DISCLOSURE_SCHEMA,
        "as_of": report.today.isoformat(),
        "deadline_days": report.deadline_days,
        "grace_days": report.grace_days,
        "totals": _totals_data(report.totals),
        "rounds": [
            {
                "id": r.round.id,
                "url": round_url(r.round.id, base_url),
                "name": r.round.name,
                "totals": _totals_data(r.totals),
                "units": [
                    {
                        "group": row.group,
                        "name": row.unit.name,
                        "url": unit_url(row.unit.slug, base_url),
                        "feedback_date": _iso(row.feedback_date),
                        "due_date": _iso(row.due_date),
                        "first_notice": row.first_notice.id if row.first_notice else None,
                        "first_published": _iso(row.first_published),
                        "days_taken": row.days_taken,
                        "state": row.state.value,
                        "state_label": row.state.label,
                        "days_late": row.days_late,
                    }
                    for row in r.rows
                ],
            }
            for r in report.rounds
        ],
    }


def disclosure_csv(document: dict[str, Any]) -> str:
    """One row per listed unit of every round (BOM, CRLF: Excel opens it as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(DISCLOSURE_COLUMNS)
    for round_ in document["rounds"]:
        for unit in round_["units"]:
            values = (
                round_["id"],
                round_["name"],
                unit["group"],
                unit["name"],
                unit["url"],
                unit["feedback_date"],
                unit["due_date"],
                unit["first_notice"],
                unit["first_published"],
                unit["days_taken"],
                unit["state"],
                unit["state_label"],
                unit["days_late"],
            )
            writer.writerow(inert_cells(*("" if value is None else value for value in values)))
    return "\ufeff" + buffer.getvalue()


def units_document(catalogue: Catalogue, base_url: str = "/") -> dict[str, Any]:
    """Every unit with its public notices and its problems followed across them (schema xuncha-units/1).

    A problem's ``statuses`` has one entry per notice of the unit, oldest first: whether that notice lists it, and the
    status it states (its own words), or null when it states none (core/tracking.py matches the problems).
    """
    items = []
    for entry in catalogue.units.values():
        tracker = catalogue.trackers.get(entry.slug) or (track(entry.notices) if entry.notices else None)
        notices = tracker.notices if tracker else ()
        problems = []
        for row in tracker.rows if tracker else ():
            statuses = []
            for notice in notices:
                seen = row.at(notice.id)
                problem = seen.problem if seen else None
                statuses.append(
                    {
                        "notice": notice.id,
                        "listed": problem is not None,
                        "title": problem.title if problem else None,
                        "url": f"{notice_url(notice, base_url)}#{problem.anchor}" if problem else None,
                        "status": problem.status.value if problem else None,
                        "status_text": (problem.status_text or None) if problem else None,
                    }
                )
            problems.append({"id": row.key, "title": row.title, "statuses": statuses})
        items.append(
            {
                "id": entry.slug,
                "url": unit_url(entry.slug, base_url),
                "name": entry.name,
                "notices": [
                    {
                        "id": n.id,
                        "url": notice_url(n, base_url),
                        "round": n.round_id,
                        "stage": n.stage,
                        "notice_date": n.notice_date.isoformat(),
                        "published": n.published.isoformat(),
                    }
                    for n in notices
                ],
                "problems": problems,
            }
        )
    return {"schema": UNITS_SCHEMA, "units": items}


def dump_json(document: dict[str, Any]) -> str:
    """JSON text in a fixed layout: one top-level key per line, each item of a top-level list on its own line.

    Keys keep the order the builders write them; Chinese is not escaped. One notice per line keeps ``git diff`` of
    the data readable, and compact items let the C encoder do the work (``indent`` falls back to pure Python, which
    takes seconds for 10,000 notices).
    """
    return "".join(json_parts(document))


def json_parts(document: dict[str, Any]) -> Iterator[str]:
    """:func:`dump_json` in pieces (about one list item each): a caller that writes each as it comes never holds the
    whole text, which for the notices of a large site is tens of MB, and as many again while it is joined."""
    yield "{\n"
    for number, (key, value) in enumerate(document.items()):
        separator = ",\n" if number else ""
        if isinstance(value, list) and value:
            yield f"{separator}{_compact(key)}:[\n{_compact(value[0])}"
            for item in value[1:]:
                yield ",\n" + _compact(item)
            yield "\n]"
        else:
            yield f"{separator}{_compact(key)}:{_compact(value)}"
    yield "\n}\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


CSV_COLUMNS = (
    "id",
    "url",
    "title",
    "round_id",
    "round_name",
    "unit",
    "issuer",
    "group",
    "inspection_start",
    "inspection_end",
    "feedback_date",
    "notice_date",
    "published",
    "stage",
    *(f"counts_{key}" for key in COUNT_KEYS),
    "problems_listed",
    "contact_phones",
    "contact_emails",
    "contact_mailbox",
    "contact_address",
    "contact_postcode",
    "source_name",
    "source_url",
    "source_editor",
)


def notices_csv(document: dict[str, Any]) -> str:
    """The notices of ``document`` (:func:`notices_document`) one per row, counts and contact flattened.

    Starts with a BOM and ends lines with CRLF so that Excel opens it as UTF-8.
    """
    return "".join(notices_csv_parts(document))


_CSV_ROWS = 200  # rows per piece of notices_csv_parts


def notices_csv_parts(document: dict[str, Any]) -> Iterator[str]:
    """:func:`notices_csv` in pieces of :data:`_CSV_ROWS` rows (see :func:`json_parts`)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for number, item in enumerate(document["notices"], 1):
        counts = item["counts"]
        contact, source = item["contact"], item["source"]
        writer.writerow(
            inert_cells(
                item["id"],
                item["url"],
                item["title"],
                item["round"]["id"],
                item["round"]["name"],
                item["unit"],
                item["issuer"],
                item["group"],
                item["inspection_start"] or "",
                item["inspection_end"] or "",
                item["feedback_date"] or "",
                item["notice_date"],
                item["published"],
                item["stage"],
                *("" if counts[key] is None else counts[key] for key in COUNT_KEYS),
                sum(1 for _ in _leaves(item["problems"])),
                ";".join(contact["phones"]),
                ";".join(contact["emails"]),
                contact["mailbox"] or "",
                contact["address"] or "",
                contact["postcode"] or "",
                source["name"] or "",
                source["url"] or "",
                source["editor"] or "",
            )
        )
        if number % _CSV_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# A cell that a spreadsheet would read as a formula (OWASP, "CSV Injection"): it starts with one of these.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cells(*values: Any) -> list[Any]:
    """CSV cells that a spreadsheet shows as text: a leading ``'`` before text it would run as a formula."""
    return ["'" + value if isinstance(value, str) and value.startswith(_FORMULA_STARTS) else value for value in values]


def _leaves(problems: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for problem in problems:
        if problem["children"]:
            yield from _leaves(problem["children"])
        else:
            yield problem


def export_text(project: Project, fmt: str, base_url: str = "/") -> str:
    """The open-data file ``fmt`` (``json``, ``csv`` or ``rounds``) for the notices public at the build time."""
    if fmt not in DATA_FILES:
        raise ValueError(f"未知的导出格式“{fmt}”，应为 {'、'.join(DATA_FILES)} 之一")
    return open_data(project, base_url, formats=(fmt,))[fmt]


def open_data(project: Project, base_url: str = "/", formats: Iterable[str] = tuple(DATA_FILES)) -> dict[str, str]:
    """The open-data files of ``formats`` by format; JSON and CSV share one notices document."""
    return dict(open_data_texts(project, base_url, formats))


def open_data_texts(
    project: Project, base_url: str = "/", formats: Iterable[str] = tuple(DATA_FILES)
) -> Iterator[tuple[str, str]]:
    """:func:`open_data` one file at a time (format, text), each document let go before the next is made."""
    for fmt, parts in open_data_parts(project, base_url, formats):
        yield fmt, "".join(parts)


def open_data_parts(
    project: Project, base_url: str = "/", formats: Iterable[str] = tuple(DATA_FILES)
) -> Iterator[tuple[str, Iterator[str]]]:
    """:func:`open_data_texts` with each file's text in pieces (:func:`json_parts`), to be read before the next file
    is asked for: a caller that writes the pieces as they come holds neither a whole text nor its encoded bytes."""
    wanted = set(formats)
    public = project.public_notices()
    rounds = project.corpus.rounds
    if wanted & {"json", "csv"}:
        document = notices_document(public, rounds, base_url, project.catalogue.themes.problems)
        if "json" in wanted:
            yield "json", json_parts(document)
        if "csv" in wanted:
            yield "csv", notices_csv_parts(document)
        del document
    if "rounds" in wanted:
        yield "rounds", json_parts(rounds_document(project.catalogue, base_url))
    if "themes" in wanted:
        yield "themes", json_parts(themes_document(project.catalogue, base_url))
    if "units" in wanted:
        yield "units", json_parts(units_document(project.catalogue, base_url))
    if wanted & {"disclosure", "disclosure-csv"}:
        report = disclosure_document(disclosure(project.catalogue), base_url)
        if "disclosure" in wanted:
            yield "disclosure", json_parts(report)
        if "disclosure-csv" in wanted:
            yield "disclosure-csv", iter((disclosure_csv(report),))


def schema_bytes(name: str) -> bytes:
    """A shipped JSON Schema (``notices.schema.json``, ``rounds.schema.json``, ``themes.schema.json``), byte for byte."""
    return (resources.files("xuncha_site.outputs") / "schemas" / name).read_bytes()
