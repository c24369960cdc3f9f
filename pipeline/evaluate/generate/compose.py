"""One generated report: agency, tables, narrative, injections -> blocks to render + ground truth."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from typing import Any

from pipeline.evaluate.generate import wording as W
from pipeline.evaluate.generate.inject import RULES, apply_table_injection
from pipeline.evaluate.generate.narrative import Para, Q, T, Tpl, Z
from pipeline.evaluate.generate.render import Heading, Line, TableBlock, t2_grid, t3_grid, t4_grid
from pipeline.evaluate.generate.tables import RESULT_ROWS_COMMON, build_t2, build_t3, build_t4, derived, t3_rows

W_ROWS = RESULT_ROWS_COMMON


@dataclass
class Agency:
    name: str
    level: str
    short: str  # 县 / 区 / 局 … as in 我县
    city: str
    city_short: str
    domain: str
    can_rules: bool = False  # only governments of 设区的市 and provinces make 规章 (not their departments)


def make_agency(rng: random.Random) -> Agency:
    levels = list(W.LEVEL_WEIGHTS)
    level = rng.choices(levels, weights=[W.LEVEL_WEIGHTS[k] for k in levels])[0]
    p = rng.choice(W.PLACE_A) + rng.choice(W.PLACE_B)
    q = rng.choice(W.PLACE_A) + rng.choice(W.PLACE_B)
    c = rng.choice(W.PLACE_A) + rng.choice(W.PLACE_B)
    s = rng.choice(W.PROVINCE_A) + rng.choice(W.PROVINCE_B)
    tpl = rng.choice(W.LEVELS[level]["names"])
    name = tpl.format(p=p, q=q, c=c, s=s, b=rng.choice(W.CITY_BUREAUS), o=rng.choice(W.PROVINCE_OFFICES))
    if name.endswith("局"):
        short = "局"
    elif name.endswith("厅"):
        short = "厅"
    elif name.endswith("委员会"):
        short = "委"
    elif name.endswith("办公室"):
        short = "办"
    elif name.endswith("街道办事处"):
        short = "街道"
    else:
        short = {"county": "县", "district": "区", "town": "镇", "city_gov": "市", "province_office": "省"}.get(level, "单位")
    domain = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 8)))
    can_rules = W.LEVELS[level]["rules"] and (level != "province_office" or name.endswith("人民政府办公厅"))
    return Agency(name, level, short, c, c[0], domain, can_rules)


def templates_for(year: int, rng: random.Random) -> tuple[str, str, str]:
    """(t2 template, t3 template, report template) — hybrids are v2021 table 二 with a single （六） row."""
    if year <= 2020:
        return "v2019", "v2019", "v2019"
    if rng.random() < 0.15:
        return "v2021", "v2019", "hybrid"
    return "v2021", "v2021", "v2021"


@dataclass
class Report:
    blocks: list[Any]
    title: str
    meta: dict[str, Any]
    tables: dict[str, Any]
    findings: list[dict[str, Any]]
    values: dict[str, Any]
    templates: tuple[str, str, str]
    sections: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- cell display


def display_tables(rng: random.Random, ag: Agency, t2v: str, t3v: str, vals: dict[str, Any], allow_blank: bool) -> tuple[dict[str, str], dict[str, Any]]:
    """Printed text of every cell and the gold tables (values as the record should read them)."""
    disp: dict[str, str] = {}
    gold: dict[str, Any] = {}
    # table 二
    cells2: dict[str, Any] = {}
    prov2: dict[str, str] = {}
    slash_rules = not ag.can_rules and rng.random() < 0.3 and all(vals[k] == 0 for k in vals if k.startswith("t2.rules."))
    yuan_amount = rng.random() < 0.25
    for cid in sorted(k for k in vals if k.startswith("t2.")):
        v = vals[cid]
        if slash_rules and cid.startswith("t2.rules."):
            disp[cid], cells2[cid], prov2[cid] = "/", None, "na"
            continue
        if cid.endswith(".items_change"):
            disp[cid] = f"+{v}" if v > 0 and rng.random() < 0.8 else str(v)
        elif cid == "t2.gov_procurement.amount":
            if v and yuan_amount:
                disp[cid] = f"{round(v * 10000)}元"
            elif v:
                disp[cid] = f"{v:.4f}".rstrip("0").rstrip(".") + "万元"
            else:
                disp[cid] = "0"
        elif cid == "t2.admin_fees.amount":
            disp[cid] = f"{v:.2f}".rstrip("0").rstrip(".") if v else "0"
        else:
            disp[cid] = str(v)
        cells2[cid] = v
    gold["t2"] = {"template": t2v, "complete": True, "cells": cells2, **({"provenance": prov2} if prov2 else {})}
    # table 三: some reports leave the zero result cells blank (as the template's users often do)
    blank_results = allow_blank and rng.random() < 0.2
    cells3: dict[str, Any] = {}
    prov3: dict[str, str] = {}
    result_keys = set(t3_rows(t3v)[2:-2]) | {"results_total"}
    for row in t3_rows(t3v):
        for col in W.T3_COLS:
            cid = f"t3.{row}.{col}"
            v = vals[cid]
            if blank_results and v == 0 and row in result_keys:
                disp[cid], cells3[cid], prov3[cid] = "", None, "blank"
            else:
                disp[cid], cells3[cid] = str(v), v
    gold["t3"] = {"template": t3v, "complete": True, "cells": cells3, **({"provenance": prov3} if prov3 else {})}
    cells4 = {f"t4.{b}.{k}": vals[f"t4.{b}.{k}"] for b in W.T4_BLOCKS for k in W.T4_KEYS}
    for cid, v in cells4.items():
        disp[cid] = str(v)
    gold["t4"] = {"template": t2v if t2v == t3v else "v2021", "complete": True, "cells": cells4}
    return disp, gold


# ---------------------------------------------------------------- narrative


class Writer:
    """Builds the narrative paragraphs of one report from the phrase grammar."""

    def __init__(self, rng: random.Random, ag: Agency, year: int, t2v: str, t3v: str, vals: dict[str, Any], inj: dict[str, Any]) -> None:
        self.rng = rng
        self.ag = ag
        self.year = year
        self.t2v = t2v
        self.t3v = t3v
        self.v = vals
        self.inj = inj
        self.table_slots: list[Q] = []
        self.findings: list[dict[str, Any]] = []
        self.site_name = rng.choice(W.SITE_NAMES)

    # helpers -------------------------------------------------------------
    def ok(self, indicator: str) -> bool:
        """False when an identity injection changed a cell this indicator depends on: the narrative then stays
        silent about it (stating it would add failures the gold file does not list)."""
        cell = self.inj.get("cell") if self.inj.get("kind") == "identity" else None
        if not cell:
            return True
        t, row, _col = cell.split(".")
        it, irow, _icol = indicator.split(".")
        if it != t:
            return True
        if t == "t4":
            return False
        groups = {
            "denied": [r for r in W_ROWS if r.startswith("denied_")],
            "unable": [r for r in W_ROWS if r.startswith("unable_")],
            "unprocessed": [r for r in W_ROWS if r.startswith("unprocessed_")],
            "other_handling": ["other_handling", "other_no_correction", "other_unpaid_fee", "other_misc"],
            "granted_or_partial": ["granted", "partial_granted"],
            "received_total": ["new_received", "carried_over"],
        }
        return row not in {irow, *groups.get(irow, [])}

    def base_slots(self) -> dict[str, Any]:
        return {"year_t": T(f"{self.year}年", "year"), "unit_short": self.ag.short, "site_name": self.site_name}

    def tq(self, value: Any, indicator: str, unit: str = "件", action: str | None = None, kind: str = "count") -> Q:
        """A table-linked quantity; exact in most reports, approximate in some."""
        style = "eq" if self.rng.random() < 0.8 else "auto"
        q = Q(value, unit, indicator=indicator, action=action, kind=kind, style=style, tag="table")
        self.table_slots.append(q)
        return q

    def para(self, template: str, slots: dict[str, Any], end: str = "。") -> Para:
        p = Para()
        p.fill(self.rng, template + end, {**self.base_slots(), **slots})
        return p

    # applications --------------------------------------------------------
    def applications(self, p: Para) -> None:
        rng, v = self.rng, self.v
        n_new = v["t3.new_received.total"]
        force_zero = self.inj.get("kind") == "narrative_table_zero" and self.inj.get("target") == "apps"
        slots = self.base_slots()
        if not self.ok("t3.new_received.total"):
            p.add(rng.choice(W.APPS_NO_NUMBERS))
            return
        if n_new == 0 or force_zero:
            p.zero_fill(rng, Z(rng.choice(W.ZERO_APPS), ["t3.new_received.total"], "政府信息公开申请"), slots)
            if force_zero:
                self.findings.append(
                    {"rule": RULES["narrative_table_zero"], "status": "fail", "indicator": "t3.new_received.total", "injected": "narrative_table"}
                )
            if v["t3.carried_over.total"] and not force_zero and self.ok("t3.carried_over.total"):
                p.fill(rng, "，上年度结转的{m}已全部办结", {"m": self.tq(v["t3.carried_over.total"], "t3.carried_over.total")})
            p.add("。")
            return
        u = rng.choice(W.UNIT_APPS)
        p.fill(rng, rng.choice(W.APPS_NEW), {**slots, "n": self.tq(n_new, "t3.new_received.total", u, "收到")})
        if rng.random() < 0.15:
            pct = round(rng.uniform(0.5, 60), 1)
            p.fill(rng, rng.choice(W.APPS_TREND), {"pct": Q(pct, "%", kind="percent", claim=False)})
        np_, orgs = v["t3.new_received.natural_person"], n_new - v["t3.new_received.natural_person"]
        r = rng.random()
        if not all(self.ok(f"t3.new_received.{c}") for c in ("natural_person", "org_subtotal")):
            pass
        elif orgs and orgs == v["t3.new_received.org_commercial"] and r < 0.2:
            p.fill(rng, rng.choice(W.APPS_SPLIT_COMMERCIAL), {"c": self.tq(orgs, "t3.new_received.org_commercial", u)})
        elif orgs and np_ and r < 0.5:
            p.fill(
                rng,
                rng.choice(W.APPS_SPLIT),
                {"a": self.tq(np_, "t3.new_received.natural_person", u), "b": self.tq(orgs, "t3.new_received.org_subtotal", u)},
            )
        elif not orgs and r < 0.5:
            p.add(rng.choice(W.APPS_SPLIT_NP_ONLY))
        if v["t3.carried_over.total"] and rng.random() < 0.7 and self.ok("t3.carried_over.total"):
            p.fill(rng, rng.choice(W.APPS_CARRIED), {"m": self.tq(v["t3.carried_over.total"], "t3.carried_over.total", u)})
        if rng.random() < 0.75 and self.ok("t3.results_total.total"):
            cutoff = rng.choice(W.CUTOFFS)
            p.fill(
                rng,
                rng.choice(W.APPS_RESULTS),
                {"r": self.tq(v["t3.results_total.total"], "t3.results_total.total", u, "办结"), "cutoff": T(cutoff, "date") if "月" in cutoff else cutoff},
            )
            parts = [
                ("granted", "t3.granted.total"),
                ("partial", "t3.partial_granted.total"),
                ("denied", "t3.denied.total"),
                ("unable", "t3.unable.total"),
                ("unprocessed", "t3.unprocessed.total"),
                ("other", "t3.other_handling.total"),
            ]
            parts = [(k, ind) for k, ind in parts if v.get(ind)]
            if not all(self.ok(ind) for _k, ind in parts):
                parts = []
            if parts and rng.random() < 0.7:
                p.add(rng.choice(W.RESULT_INTRO))
                for i, (k, ind) in enumerate(parts):
                    if i:
                        p.add(rng.choice(["，", "；", "、"]) if i < len(parts) - 1 else rng.choice(["，", "；"]))
                    p.fill(rng, rng.choice(W.RESULT_PARTS[k]), {"v": self.tq(v[ind], ind, u)})
        if v["t3.carry_forward.total"] and rng.random() < 0.6 and self.ok("t3.carry_forward.total"):
            p.fill(rng, rng.choice(W.CARRY_FORWARD), {"v": self.tq(v["t3.carry_forward.total"], "t3.carry_forward.total", u)})
        p.add("。")

    def review_litigation(self, p: Para) -> None:
        rng, v = self.rng, self.v
        r, lit = v["t4.review.total"], v["t4.litigation.total"]
        force_zero = self.inj.get("kind") == "narrative_table_zero" and self.inj.get("target") == "t4"
        slots = self.base_slots()
        if not (self.ok("t4.review.total") and self.ok("t4.litigation.total")):
            p.add(rng.choice(W.REVIEW_NO_NUMBERS))
            return
        if (r == 0 and lit == 0) or force_zero:
            p.zero_fill(rng, Z(rng.choice(W.ZERO_REVIEW_LIT), ["t4.review.total", "t4.litigation.total"], "行政复议和行政诉讼"), slots)
            if force_zero:
                for ind, val in (("t4.review.total", r), ("t4.litigation.total", lit)):
                    if val:
                        self.findings.append({"rule": RULES["narrative_table_zero"], "status": "fail", "indicator": ind, "injected": "narrative_table"})
        elif r and lit:
            u = rng.choice(W.UNIT_CASES)
            p.fill(rng, rng.choice(W.REVIEW_LIT), {**slots, "r": self.tq(r, "t4.review.total", u), "l": self.tq(lit, "t4.litigation.total", u)})
        elif r:
            u = rng.choice(W.UNIT_CASES)
            z = Z(rng.choice(W.ZERO_LIT_PART), ["t4.litigation.total"], "行政诉讼")
            p.fill(rng, rng.choice(W.REVIEW_ONLY), {**slots, "r": self.tq(r, "t4.review.total", u), "z": z})
        else:
            u = rng.choice(W.UNIT_CASES)
            z = Z(rng.choice(W.ZERO_REVIEW_PART), ["t4.review.total"], "行政复议")
            p.fill(rng, rng.choice(W.LIT_ONLY), {**slots, "l": self.tq(lit, "t4.litigation.total", u), "z": z})
        p.add("。")

    # table 二 facts ------------------------------------------------------
    def t2_facts(self) -> Para | None:
        rng, v = self.rng, self.v
        p = Para()
        p.add(rng.choice(W.T2_INTRO))
        items: list[tuple[str, dict[str, Any]]] = []
        if self.t2v == "v2019":
            if v.get("t2.normative_docs.new_made"):
                items.append(
                    (
                        rng.choice(W.NORMATIVE_V2019),
                        {"v": self.tq(v["t2.normative_docs.new_made"], "t2.normative_docs.new_made", rng.choice(W.UNIT_DOCS), "制发")},
                    )
                )
            if v.get("t2.rules.new_made"):
                items.append((rng.choice(W.RULES), {"v": self.tq(v["t2.rules.new_made"], "t2.rules.new_made", "件", "制定")}))
        else:
            if v.get("t2.normative_docs.issued"):
                tpl = rng.choice(W.NORMATIVE_V2021)
                slots: dict[str, Any] = {"v": self.tq(v["t2.normative_docs.issued"], "t2.normative_docs.issued", "件", "制发")}
                if v.get("t2.normative_docs.repealed") and rng.random() < 0.6:
                    tpl += "{rep}"
                    slots["rep"] = Tpl(
                        rng.choice(W.NORMATIVE_REPEALED), {"v": self.tq(v["t2.normative_docs.repealed"], "t2.normative_docs.repealed", "件", "废止")}
                    )
                if v.get("t2.normative_docs.valid") and rng.random() < 0.5:
                    tpl += "{val}"
                    slots["val"] = Tpl(rng.choice(W.NORMATIVE_VALID), {"v": self.tq(v["t2.normative_docs.valid"], "t2.normative_docs.valid", "件")})
                items.append((tpl, slots))
            if v.get("t2.rules.issued"):
                items.append((rng.choice(W.RULES), {"v": self.tq(v["t2.rules.issued"], "t2.rules.issued", "件", "制定")}))
            if v.get("t2.admin_fees.amount") and rng.random() < 0.4:
                yuan = round(v["t2.admin_fees.amount"] * 10000)
                items.append((rng.choice(W.FEES_V2021), {"v": self.tq(yuan, "t2.admin_fees.amount", "元", kind="money")}))
        if v.get("t2.admin_license.decisions") and rng.random() < 0.5:
            items.append((rng.choice(W.LICENSE), {"v": self.tq(v["t2.admin_license.decisions"], "t2.admin_license.decisions", "件")}))
        if v.get("t2.admin_penalty.decisions") and rng.random() < 0.4:
            items.append((rng.choice(W.PENALTY), {"v": self.tq(v["t2.admin_penalty.decisions"], "t2.admin_penalty.decisions", "件")}))
        if v.get("t2.admin_coercion.decisions") and rng.random() < 0.2:
            items.append((rng.choice(W.COERCION), {"v": self.tq(v["t2.admin_coercion.decisions"], "t2.admin_coercion.decisions", "件")}))
        if not items:
            return None
        rng.shuffle(items)
        for i, (tpl, slots) in enumerate(items):
            if i:
                p.add(rng.choice(["，", "；"]))
            p.fill(rng, tpl, {**self.base_slots(), **slots})
        p.add("。")
        return p

    # narrative-only topics -------------------------------------------------
    def topics(self) -> list[Para]:
        rng = self.rng
        big = {"county": 1, "district": 1.5, "town": 0.2, "city_gov": 4, "city_bureau": 0.6, "province_office": 5}[self.ag.level]
        out: list[Para] = []
        nn = self.inj.get("kind") == "narrative_narrative"
        nn_target = self.inj.get("target")
        done_nn = False

        def topic(value: int, unit: str, key: str, action: str | None = None, style: str = "auto") -> Q:
            return Q(value, unit, indicator=key, action=action, style=style)

        if rng.random() < 0.75:
            tpl, action = rng.choice(W.WEBSITE)
            n = int(rng.randint(80, 6000) * big) + 1
            out.append(self.para(tpl, {"n": topic(n, "条", "topic.website_updates", action)}))
        if rng.random() < 0.45 or (nn and nn_target == "parts"):
            n = rng.randint(5, 80)
            a = rng.randint(0, n)
            b = n - a  # a complete 其中 list: the parts sum to the total
            if nn and nn_target == "parts":
                b = n - a + rng.randint(2, 10)
                done_nn = True
                self.findings.append(
                    {"rule": RULES["nn_parts"], "status": "fail", "indicator": "topic.policy_interpretation", "injected": "narrative_narrative"}
                )
            st = "eq"
            out.append(
                self.para(
                    rng.choice(W.POLICY_INTERP),
                    {
                        "n": topic(n, "篇", "topic.policy_interpretation", "发布", st),
                        "a": topic(a, "篇", "topic.policy_interpretation", None, st),
                        "b": topic(b, "篇", "topic.policy_interpretation", None, st),
                    },
                )
            )
        if rng.random() < 0.25:
            out.append(self.para(rng.choice(W.PRESS), {"n": topic(rng.randint(1, 12), "场", "topic.press_conferences", "召开")}))
        if rng.random() < 0.4:
            k = rng.randint(2, 5)
            names = rng.sample(W.MEDIA_NAMES, k)
            p = Para()
            p.fill(rng, rng.choice(W.NEW_MEDIA), {**self.base_slots(), "k": topic(k, "个", "topic.new_media", None, "eq"), "names": "、".join(names)})
            if rng.random() < 0.6:
                p.fill(rng, rng.choice(W.NEW_MEDIA_POSTS), {"n": topic(int(rng.randint(50, 3000) * big) + 1, "条", "topic.new_media", "发布")})
            p.add("。")
            out.append(p)
        if rng.random() < 0.5 or (nn and nn_target == "messages"):
            tpl, extra = rng.choice(W.MESSAGES)
            r = rng.randint(3, 400)
            d = r if rng.random() < 0.6 else rng.randint(0, r)
            if nn and nn_target == "messages":
                d = r + rng.randint(1, 20)
                done_nn = True
                self.findings.append({"rule": RULES["nn_resolved"], "status": "fail", "indicator": "topic.messages", "injected": "narrative_narrative"})
            u = rng.choice(["条", "件"])
            slots = {"r": topic(r, u, "topic.messages", "收到", "eq"), "d": topic(d, u, "topic.messages", "办结", "eq")}
            if extra:
                slots["a"] = topic(rng.randint(0, min(r, d)), u, "topic.messages", "答复", "eq")
            out.append(self.para(tpl, slots))
        if rng.random() < 0.3:
            out.append(
                self.para(
                    rng.choice(W.HOTLINE),
                    {"hotline": T(rng.choice(W.HOTLINES), "phone"), "n": topic(int(rng.randint(20, 5000) * big) + 1, "件", "topic.hotline", "办理")},
                )
            )
        if rng.random() < 0.5:
            k = rng.randint(1, 10)
            p = self.para(
                rng.choice(W.TRAINING),
                {"k": topic(k, rng.choice(["次", "期", "场"]), "topic.training", "培训"), "p": topic(rng.randint(20, 600), "人次", "topic.training", "培训")},
            )
            out.append(p)
        if rng.random() < 0.3:
            x = rng.randint(1, 60) * 5000
            out.append(self.para(rng.choice(W.IT_SPENDING), {"x": Q(x, "元", indicator="topic.it_spending", kind="money")}))
        if self.ag.level in ("county", "district", "city_gov", "province_office") and rng.random() < 0.15:
            tpl = rng.choice(W.GAZETTE)
            out.append(
                self.para(tpl, {"k": topic(rng.randint(4, 24), "期", "topic.gazette", "编印"), "n": topic(rng.randint(5, 80), "件", "topic.gazette", "刊登")})
            )
        if rng.random() < 0.15:
            out.append(self.para(rng.choice(W.OPEN_DAY), {"k": topic(rng.randint(1, 8), "次", "topic.open_day", "举办")}))
        if self.ag.level != "town" and rng.random() < 0.3:
            out.append(
                self.para(
                    rng.choice(W.PROPOSALS),
                    {
                        "a": topic(rng.randint(1, 120), "件", "topic.proposals", "办理"),
                        "b": topic(rng.randint(1, 150), "件", "topic.proposals", "办理"),
                        "pct": Q(100, "%", kind="percent", claim=False),
                    },
                )
            )
        assert done_nn or not nn, "a narrative_narrative injection always finds its target"
        return out

    def filler(self) -> Para:
        rng = self.rng
        p = Para()
        picks = rng.sample(W.FILLER_S1, rng.randint(2, 4))
        for i, tpl in enumerate(picks):
            if i:
                p.add("，")
            slots = self.base_slots()
            if "{work_doc}" in tpl:
                docno = rng.choice(W.DOC_NUMBER_FORMS).format(c_short=self.ag.city_short, year=self.year, k=rng.randint(1, 60))
                slots["work_doc"] = Tpl(rng.choice(W.WORK_DOCS), {"c": self.ag.city, "year_y": T(f"{self.year}年", "year"), "docno": T(docno, "doc_number")})
            if "{art}" in tpl:
                slots["art"] = T("第二十条", "article")
            if "{date}" in tpl:
                slots["date"] = T(rng.choice(W.FILLER_DATES), "date")
            if "{congress}" in tpl:
                slots["congress"] = T(rng.choice(W.CONGRESSES), "name")
            p.fill(rng, tpl, slots)
        p.add("。")
        return p


# ---------------------------------------------------------------- the report


def compose(
    rng: random.Random, ag: Agency, year: int, inj: dict[str, Any], prev: Report | None = None, templates: tuple[str, str, str] | None = None
) -> Report:
    t2v, t3v, tmpl = templates or templates_for(year, rng)
    carried = None
    prev_vals = None
    prev_t2v = None
    if prev is not None:
        carried = {c: prev.values[f"t3.carry_forward.{c}"] for c in W.T3_COLS[:6]}
        prev_vals, prev_t2v = prev.values, prev.templates[0]
    vals: dict[str, Any] = {}
    vals.update(build_t2(rng, ag.level, t2v, prev_vals, prev_t2v, can_rules=ag.can_rules))
    vals.update(build_t3(rng, ag.level, t3v, carried))
    vals.update(build_t4(rng, ag.level, vals["t3.new_received.total"]))
    findings: list[dict[str, Any]] = []
    kind = inj.get("kind")
    if kind in ("identity", "cross_year", "plausibility"):
        findings += apply_table_injection(rng, inj, ag.level, t2v, t3v, vals)
    if kind == "narrative_table_zero":
        # the narrative will deny what the table records: make sure the table records something
        if inj["target"] == "apps" and vals["t3.new_received.total"] == 0:
            inj["target"] = "t4" if (vals["t4.review.total"] or vals["t4.litigation_direct.total"] or vals["t4.litigation_after_review.total"]) else "apps"
            if inj["target"] == "apps":
                findings += apply_table_injection(rng, {"kind": "force_apps"}, ag.level, t2v, t3v, vals)
        elif inj["target"] == "t4" and not (vals["t4.review.total"] or vals["t4.litigation_direct.total"] or vals["t4.litigation_after_review.total"]):
            findings += apply_table_injection(rng, {"kind": "force_review"}, ag.level, t2v, t3v, vals)
    vals.update(derived(vals, t3v))
    disp, gold_tables = display_tables(rng, ag, t2v, t3v, vals, allow_blank=kind in (None, "narrative_narrative"))

    state = rng.getstate()
    blocks, writer = _blocks(rng, ag, year, t2v, t3v, tmpl, vals, disp, inj)
    if kind == "narrative_table" and writer.table_slots:
        # second pass with the same random stream: one table-linked number is stated wrongly
        k = rng.randrange(len(writer.table_slots))
        rng.setstate(state)
        blocks, writer2 = _blocks(rng, ag, year, t2v, t3v, tmpl, vals, disp, inj, tamper=k)
        writer = writer2
    findings += writer.findings
    title = f"{ag.name}{year}年政府信息公开工作年度报告"
    meta = {"agency": ag.name, "year": year, "template": tmpl, "level": ag.level}
    return Report(blocks, title, meta, gold_tables, findings, vals, (t2v, t3v, tmpl), ["s1", "s2", "s3", "s4", "s5", "s6"])


def _blocks(
    rng: random.Random,
    ag: Agency,
    year: int,
    t2v: str,
    t3v: str,
    tmpl: str,
    vals: dict[str, Any],
    disp: dict[str, str],
    inj: dict[str, Any],
    tamper: int | None = None,
) -> tuple[list[Any], Writer]:
    w = Writer(rng, ag, year, t2v, t3v, vals, inj)
    if tamper is not None:
        orig_tq = w.tq

        def tq(*a: Any, **k: Any) -> Q:
            q = orig_tq(*a, **k)
            if len(w.table_slots) - 1 == tamper:
                true = q.value
                # a wrong number that matches no other figure of the tables (it must not be explainable
                # as a sub-row or another column the narrative could have meant)
                taken = {x for key, x in vals.items() if key.startswith(("t2.", "t3.", "t4.")) and isinstance(x, (int, float))}
                shown = true
                for step in (1, 2, 3, 5, 7, 10, 20, 30, 50, 100):
                    for cand in (true + step, true - step) if rng.random() < 0.5 else (true - step, true + step):
                        if cand >= 0 and cand not in taken:
                            shown = cand
                            break
                    if shown != true:
                        break
                if q.kind == "money":
                    shown = true + rng.choice([1, 2, 3, 5]) * 10000
                q.shown = shown
                rule = RULES["narrative_table_value"]
                if q.indicator == "t2.admin_fees.amount":
                    rule = RULES["narrative_table_admin_fees"]
                elif q.kind == "money":
                    rule = RULES["narrative_table_money"]
                w.findings.append({"rule": rule, "status": "fail", "indicator": q.indicator, "injected": "narrative_table"})
            return q

        w.tq = tq  # type: ignore[method-assign]
    blocks: list[Any] = []
    notice = W.NOTICES["v2019" if t2v == "v2019" else "v2021"]
    # title block
    if rng.random() < 0.6:
        blocks.append(Line(_plain(ag.name)))
        tt = Para()
        tt.fill(rng, rng.choice([t for t in W.TITLES if "{agency}" not in t]), {"year": str(year)})
        _retag_year(tt, year)
        blocks.append(Line(tt))
    else:
        tt = Para()
        tt.fill(rng, rng.choice([t for t in W.TITLES if "{agency}" in t]), {"agency": ag.name, "year": str(year)})
        _retag_year(tt, year)
        blocks.append(Line(tt))
    blocks.append(Line(Para()))
    # preamble
    pre = Para()
    pre.fill(rng, rng.choice(W.PREAMBLES), {"decree": T(W.DECREES[0], "doc_number"), "notice": T(notice, "doc_number") if rng.random() < 0.7 else "有关文件"})
    if rng.random() < 0.7:
        pre.add(rng.choice(W.PREAMBLE_CONTENTS))
    pre.fill(rng, rng.choice(W.PREAMBLE_PERIOD), {"period_start": T(f"{year}年1月1日", "date"), "period_end": T(f"{year}年12月31日", "date")})
    if rng.random() < 0.8:
        phone = f"0{rng.randint(100, 999)}-{rng.randint(2000000, 8999999)}"
        pre.fill(rng, rng.choice(W.PREAMBLE_CONTACT), {"site": T(f"http://www.{ag.domain}.gov.cn", "url"), "agency": ag.name, "phone": T(phone, "phone")})
    blocks.append(pre)

    def heading(key: str) -> Heading:
        sep = rng.choice(W.HEADING_SEPARATORS)
        return Heading(key, W.HEADING_NUMERALS[key] + sep + rng.choice(W.HEADINGS[key]))

    # 一
    blocks.append(heading("s1"))
    blocks.append(w.filler())
    t2p = w.t2_facts()
    apps = Para()
    w.applications(apps)
    topics = w.topics()
    rl = Para()
    w.review_litigation(rl)
    rl_in_s4 = rng.random() < 0.35
    if tmpl != "v2019" and rng.random() < 0.6:
        subs = W.S1_SUBHEADS_V2021
        groups: list[list[Para]] = [[*([t2p] if t2p else []), *topics[:2]], [apps], topics[2:4], topics[4:], [] if rl_in_s4 else [rl]]
    elif rng.random() < 0.4:
        subs = W.S1_SUBHEADS_V2019
        groups = [[*([t2p] if t2p else []), *topics[:3]], [apps], topics[3:], [] if rl_in_s4 else [rl]]
    else:
        subs = []
        groups = [[*([t2p] if t2p else []), *topics, apps, *([] if rl_in_s4 else [rl])]]
    for i, g in enumerate(groups):
        if subs:
            sh = Para(kind="subhead")
            sh.trap(T(subs[i][:3], "list_marker"))
            sh.add(subs[i][3:])
            blocks.append(sh)
        blocks.extend(g)
    # 二 三 四: tables
    blocks.append(heading("s2"))
    blocks.append(TableBlock("t2", t2_grid(t2v, disp)))
    blocks.append(heading("s3"))
    blocks.append(TableBlock("t3", t3_grid(t3v, disp, rng, variant_rate=0.05)))
    blocks.append(heading("s4"))
    blocks.append(TableBlock("t4", t4_grid(disp)))
    if rl_in_s4:
        blocks.append(rl)
    # 五
    blocks.append(heading("s5"))
    intro = Para()
    intro.fill(rng, rng.choice(W.PROBLEMS_INTRO), w.base_slots())
    probs = rng.sample(W.PROBLEMS, rng.randint(2, 3))
    for i, pr in enumerate(probs):
        intro.trap(T(W.ORDINALS[i], "ordinal"))
        intro.add(pr + ("；" if i < len(probs) - 1 else "。"))
    blocks.append(intro)
    imp = Para()
    imp.fill(rng, rng.choice(W.IMPROVE_INTRO), w.base_slots())
    blocks.append(imp)
    for i, pr in enumerate(rng.sample(W.IMPROVE, rng.randint(2, 3))):
        p = Para()
        if rng.random() < 0.5:
            p.trap(T(f"{i + 1}.", "list_marker"))
        else:
            p.trap(T(W.ORDINALS[i], "ordinal"))
        p.add(pr + "。")
        blocks.append(p)
    # 六
    blocks.append(heading("s6"))
    s6 = Para()
    if t2v == "v2021" and rng.random() < 0.5:
        if rng.random() < 0.5:
            s6.zero_fill(rng, Z(rng.choice(W.INFO_FEE_ZERO), ["topic.info_processing_fee"], "信息处理费"), w.base_slots())
            s6.add("。")
        else:
            # fee notices sent: at least the applications table 三 dropped for an unpaid fee
            k = int(vals.get("t3.other_unpaid_fee.total", 0) or 0) + rng.randint(1 if not vals.get("t3.other_unpaid_fee.total") else 0, 3)
            s6.fill(
                rng,
                rng.choice(W.INFO_FEE),
                {
                    "k": Q(k, "件", indicator="topic.info_processing_fee", action="发出", style="eq"),
                    "x": Q(rng.randint(1, 40) * 10 * k, "元", indicator="topic.info_processing_fee", action="收取", kind="money", style="eq"),
                },
            )
    else:
        s6.add(rng.choice(W.S6_NONE))
    blocks.append(s6)
    # signature
    blocks.append(Line(_plain(" " * rng.randint(10, 30) + ag.name)))
    sig = Para()
    sig.add(" " * rng.randint(10, 30))
    sig.trap(T(rng.choice(W.SIGNATURE_DATES).format(year1=year + 1, d=rng.randint(5, 31)), "date"))
    blocks.append(Line(sig))
    if rng.random() < 0.2:
        pg = Para()
        pg.trap(T(str(rng.randint(1, 9)), "page_number"))
        blocks.append(Line(pg))
    return blocks, w


def _plain(s: str) -> Para:
    p = Para()
    p.add(s)
    return p


def _retag_year(p: Para, year: int) -> None:
    """Mark the year in a title as a year trap."""
    needle = f"{year}年"
    i = p.text.find(needle)
    if i >= 0:
        p.traps.append({"start": i, "end": i + len(needle), "text": needle, "category": "year"})
