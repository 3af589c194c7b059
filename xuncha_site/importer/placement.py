"""Where an imported notice belongs: its round (named, inferred from the unit and dates, or given with --round),
the unit as the round lists it, and the record's slug."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from xuncha_site.core.loader import slugify
from xuncha_site.core.model import Round, UnitRef, unit_key
from xuncha_site.importer.parse import ParsedNotice
from xuncha_site.importer.traditional import simplified_text

_STRONG = 4  # a score at least this high identifies a round (the unit is listed, or the round is named)


@dataclass(frozen=True)
class Placement:
    round_id: str  # "" when no round could be identified
    round: Round | None
    unit: str
    unit_ref: UnitRef | None
    slug: str
    notes: tuple[str, ...]


def text_unit(notice: ParsedNotice) -> str:
    """The inspected unit as the text names it; a self-reference (对我局党组…) is replaced by the issuer."""
    unit = notice.facts.unit
    if (not unit or unit.startswith(("我", "本"))) and notice.issuer:
        return unit_key(notice.issuer)
    return unit


def place(notice: ParsedNotice, rounds: dict[str, Round], requested: str | None) -> Placement:
    """The round, unit and slug for ``notice``; ``requested`` is the --round value, if any."""
    notes: list[str] = []
    unit = text_unit(notice)
    if notice.facts.unit.startswith(("我", "本")) and unit:
        notes.append(f"原文的被巡察单位写作“{notice.facts.unit}”，已按落款取为“{unit}”，请核对")
    round_: Round | None
    if requested:
        round_ = rounds.get(requested)
        round_id = requested
        if round_ is None:
            notes.append(
                f"轮次“{requested}”还没有轮次文件（rounds/{requested}.yml）：请先建立，否则 xuncha check 会报错"
            )
        elif notice.round_name and not _names_round(round_, notice):
            notes.append(f"原文提到“{notice.round_name.text}”，与 --round 指定的“{round_.name}”不一致，请核对")
    else:
        round_, round_id = _infer_round(notice, unit, rounds, notes)
    unit_ref = match_unit(round_, unit) if (round_ and unit) else None
    if unit_ref and unit_ref.name != unit:
        notes.append(f"被巡察单位按轮次文件写作“{unit_ref.name}”（原文为“{unit}”）")
    elif round_ and unit and unit_ref is None:
        notes.append(f"轮次“{round_.name}”没有列出“{unit}”：请核对单位名称，或把它加进轮次文件")
    name = unit_ref.name if unit_ref else unit
    slug = unit_ref.slug if unit_ref else slugify(name or unit_key(notice.issuer) or "通报")
    return Placement(round_id, round_, name, unit_ref, slug, tuple(notes))


def match_unit(round_: Round, name: str) -> UnitRef | None:
    """The round's unit for ``name``: exact or alias, else one name containing the other (东营市人大机关党组 /
    市人大机关党组), else a close spelling."""
    found = round_.find_unit(name) or round_.find_unit(simplified_text(name))
    if found:
        return found
    key = unit_key(simplified_text(name))
    for unit in round_.units:
        keys = [unit_key(unit.name), *(unit_key(alias) for alias in unit.aliases)]
        if any(k and (key.endswith(k) or k.endswith(key)) for k in keys):
            return unit
    names = {unit_key(unit.name): unit for unit in round_.units}
    close = [name for name in difflib.get_close_matches(key, list(names), n=3, cutoff=0.8) if _same_level(key, name)]
    return names[close[0]] if close else None


# Words that make two names different units however alike the rest is: 区/市交通运输局, 交通运输部/局, 一/二院.
_LEVEL = re.compile(r"[省市县区州旗盟镇乡街村部局厅委办院所校司处科\d一二三四五六七八九十]")


def _same_level(a: str, b: str) -> bool:
    """Whether two close spellings differ only in words that do not change which unit is meant (党委/党组, 中共)."""
    matcher = difflib.SequenceMatcher(None, a, b)
    return not any(_LEVEL.search(a[i1:i2] + b[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal")


def _names_round(round_: Round, notice: ParsedNotice) -> bool:
    named = notice.round_name
    if named is None or named.number is None or round_.number is None:
        return True
    if named.number != round_.number:
        return False
    if named.term and round_.term:
        return named.term == round_.term
    if named.year and round_.year:
        return named.year == round_.year
    return True


def _score(round_: Round, notice: ParsedNotice, unit: str) -> int:
    facts = notice.facts
    score = 0
    unit_ref = match_unit(round_, unit) if unit else None
    if unit_ref:
        score += _STRONG
    if notice.round_name and notice.round_name.number is not None and round_.number is not None:
        score += 5 if _names_round(round_, notice) else -5
    if facts.inspection_start and facts.inspection_start == round_.inspection_start:
        score += 2
    feedback = unit_ref.feedback_date if unit_ref and unit_ref.feedback_date else round_.feedback_date
    if facts.feedback_date and facts.feedback_date == feedback:
        score += 2
    if facts.group and simplified_text(facts.group) in (group.name for group in round_.groups):
        score += 1
    if facts.kind and facts.kind == round_.type:
        score += 1
    return score


def _infer_round(
    notice: ParsedNotice, unit: str, rounds: dict[str, Round], notes: list[str]
) -> tuple[Round | None, str]:
    scored = sorted(((_score(r, notice, unit), r.id) for r in rounds.values()), reverse=True)
    named = f"（原文提到“{notice.round_name.text}”）" if notice.round_name else ""
    if not scored or scored[0][0] < _STRONG:
        notes.append(f"未识别巡察轮次{named}，请用 --round 指定")
        return None, ""
    best = [round_id for score, round_id in scored if score == scored[0][0]]
    if len(best) > 1:
        notes.append(f"无法确定巡察轮次：{('、'.join(sorted(best)))} 都有可能{named}，请用 --round 指定")
        return None, ""
    return rounds[best[0]], best[0]
