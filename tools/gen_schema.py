#!/usr/bin/env python3
"""Builds resources/spec/schema.json, the project's own schema, from the reconstructed standard.

Input: the team's machine-readable reconstruction (../shared/spec/spec.json). Output: a compact schema
that the validator embeds. Every place where this script decides something the reconstruction leaves
open is listed in docs/spec-notes.md with its reason; the decisions live here and nowhere else.

    python3 tools/gen_schema.py ../shared/spec/spec.json resources/spec/schema.json
"""
import json
import sys

# Kinds in the order they are matched (longer prefixes first: UPKIHON_SUB1 before UPKIHON).
KIND_ORDER = ["UPKIHON_IMAGE", "UPKIHON_SUB1", "UPKIHON_SUB2", "UPKIHON", "UPYOBO_SUB", "UPYOBO", "UPHOSOKU",
              "UP1KYO", "UP2KYO", "UP3KYO", "UPPLAN", "UPJSK", "UPSIKYU", "DLT1KYO", "DLTPLAN", "DLTJSK",
              "DLTKIHON", "DLTYOBO"]

# Kinds whose file name carries a year-month and whose records must all be of that one month.
MONTH_KINDS = {"UPHOSOKU", "UPPLAN", "UPJSK", "UPSIKYU", "DLTPLAN", "DLTJSK"}
# Kinds that exist only from V4 (no V3 file-name form is accepted for them).
V4_ONLY = {"UP3KYO", "UPKIHON", "UPKIHON_SUB1", "UPKIHON_SUB2", "UPKIHON_IMAGE", "DLTKIHON", "UPYOBO",
           "UPYOBO_SUB", "DLTYOBO"}

ENGLISH = {
    "UPHOSOKU": "User supplementary information", "UP1KYO": "Care plan table 1", "DLT1KYO": "Care plan table 1 delete",
    "UP2KYO": "Care plan table 2", "UP3KYO": "Care plan table 3 (weekly)", "UPPLAN": "Table 6 usage slip (plan)",
    "UPJSK": "Table 6 actuals", "DLTPLAN": "Table 6 plan delete", "DLTJSK": "Actuals delete",
    "UPSIKYU": "Table 7 usage slip annex", "UPKIHON": "Basic user information (prevention)",
    "DLTKIHON": "Basic user information delete", "UPKIHON_SUB1": "Basic information annex 1 (daily life)",
    "UPKIHON_SUB2": "Basic information annex 2 (medical history)", "UPKIHON_IMAGE": "Family structure image",
    "UPYOBO": "Prevention service/support plan", "DLTYOBO": "Prevention plan delete",
    "UPYOBO_SUB": "Prevention plan annex (support plan)",
}


def field_entry(kind, f):
    t = f["type"]
    fmt = f.get("format", "") or ""
    e = {"no": f["no"], "name": f["name"], "type": t}
    if f.get("maxBytes") is not None:
        e["max"] = f["maxBytes"]
    # Required: explicit ○ is an error when missing; a ○ reconstructed from glyph counts is a warning.
    if f.get("required"):
        e["required"] = "warning" if (f.get("inferred") and "required flag" in f.get("inferredWhat", "")) else "error"
    if f.get("required2_hitsuyo") and not f.get("required"):
        e["needed"] = True
    if f.get("codeTable"):
        e["codes"] = f["codeTable"]

    name = f["name"]
    if name == "保険者番号" and t == "numeric":
        e["type"] = "insurerNo"
    if t == "numeric" and "整数" in fmt:
        e["type"] = "integer"  # 整数 may carry a minus sign (減算 service codes have negative units)
    if t == "time4" and kind in ("UPPLAN", "UPJSK"):
        e["type"] = "time4Or9999"
    if kind == "UPHOSOKU" and f["no"] == 4:
        e["type"] = "date8OrZero"
    if kind == "UPHOSOKU" and f["no"] == 63:
        e["type"] = "ym6OrZero"
        e["required"] = "error"
    if kind == "UP2KYO" and f["no"] in (6, 8, 13):
        e["range"] = [1, 99]
    if kind == "UP2KYO" and f["no"] == 17:
        e["typeSeverity"] = "warning"  # 書式 column reads フリーテキスト here (uncertain)
    if kind == "UPYOBO_SUB" and f["no"] in (5, 10, 14):
        e["typeSeverity"] = "warning"  # 書式 column prints フリーテキスト for a 2-digit NO
    if name == "明細判別コード":
        e["max"] = 2
        e["lengthSeverity"] = "warning"  # length not in the extracted text; 2 assumed
    if kind == "UPSIKYU" and name == "前月までの利用日数":
        e["max"] = 5  # V3.2 widened it to 5; V4.1 prints 2 again: accept up to 5
    if kind == "UPSIKYU" and name == "３０日超区分" and "required" in e:
        e["required"] = "warning"  # ○ position uncertain (V4 No.33; the V3 layout is derived from it)
    if t == "phone":
        e["typeSeverity"] = "warning"  # the standard gives phone numbers no format at all
    if t == "text" and "フリーテキスト" in fmt:
        e["quoted"] = True  # only フリーテキスト must be quoted (UPKIHON No.62 is a file name)
    return e


def layout(kind, fields):
    return [field_entry(kind, f) for f in fields]


def main(src, dst):
    spec = json.load(open(src, encoding="utf-8"))
    kinds = []
    by_id = {f["id"]: f for f in spec["files"]}
    for kid in KIND_ORDER:
        f = by_id[kid]
        entry = {"id": kid, "name": f["japaneseName"], "nameEn": ENGLISH[kid],
                 "month": kid in MONTH_KINDS, "v4Only": kid in V4_ONLY}
        if kid == "UPKIHON_IMAGE":
            entry["image"] = True
            kinds.append(entry)
            continue
        layouts = {"v4": layout(kid, f["fields"])}
        if kid not in V4_ONLY:
            layouts["v3"] = layout(kid, f.get("fieldsV3", f["fields"]))
        entry["layouts"] = layouts
        kinds.append(entry)

    st = spec["serviceTypesInScope"]
    schema = {
        "comment": "Generated by tools/gen_schema.py from the reconstructed standard; decisions in docs/spec-notes.md",
        "standard": "ケアプランデータ連携標準仕様 V4.1 (CSV 202407) + V3 (202208)",
        "csvVersions": {
            "202407": {"layout": "v4", "appliesFrom": "202504", "status": "current"},
            "202504": {"layout": "v4", "appliesFrom": "202504", "status": "v4.0"},
            "202208": {"layout": "v3", "appliesFrom": "202301", "status": "v3"},
            "202003": {"layout": "v3", "appliesFrom": "202010", "status": "legacy"},
            "201910": {"layout": "v3", "appliesFrom": "202003", "status": "legacy"},
        },
        "serviceKinds": {
            "inScope": st["kaigo_in"] + st["yobo_in"] + st["sogo_jigyo_in"],
            "outOfScope": sorted(set(st["kaigo_out"] + st["yobo_out"])),
            "senderCareManagement": ["43", "46"],
        },
        "codeTables": spec["codeTables"],
        "kinds": kinds,
        "sendUnits": {
            "v4": [
                {"name": "plan", "required": ["UP1KYO", "UP2KYO", "UP3KYO", "UPHOSOKU"], "optional": []},
                {"name": "usage", "required": ["UPPLAN", "UPSIKYU", "UPHOSOKU"], "optional": []},
                {"name": "planDelete", "required": ["DLT1KYO"], "optional": []},
                {"name": "usageDelete", "required": ["DLTPLAN"], "optional": []},
                {"name": "actuals", "required": ["UPJSK"], "optional": []},
                {"name": "actualsDelete", "required": ["DLTJSK"], "optional": []},
                {"name": "basicInfo", "required": ["UPKIHON"],
                 "optional": ["UPKIHON_SUB1", "UPKIHON_SUB2", "UPKIHON_IMAGE"]},
                {"name": "preventionPlanWithBasicInfo", "required": ["UPYOBO", "UPKIHON"],
                 "optional": ["UPYOBO_SUB", "UPKIHON_SUB1", "UPKIHON_SUB2", "UPKIHON_IMAGE"]},
                {"name": "preventionPlan", "required": ["UPYOBO"], "optional": ["UPYOBO_SUB"]},
                {"name": "basicInfoDelete", "required": ["DLTKIHON"], "optional": []},
                {"name": "preventionPlanDelete", "required": ["DLTYOBO"], "optional": []},
            ],
            "v3": [
                {"name": "plan", "required": ["UP1KYO", "UP2KYO", "UPHOSOKU"], "optional": []},
                {"name": "usage", "required": ["UPPLAN", "UPSIKYU", "UPHOSOKU"], "optional": []},
                {"name": "planDelete", "required": ["DLT1KYO"], "optional": []},
                {"name": "usageDelete", "required": ["DLTPLAN"], "optional": []},
                {"name": "actuals", "required": ["UPJSK"], "optional": []},
                {"name": "actualsDelete", "required": ["DLTJSK"], "optional": []},
            ],
            "expectedCompanions": {"UPKIHON": ["UPKIHON_SUB1", "UPKIHON_SUB2"], "UPYOBO": ["UPYOBO_SUB"]},
        },
    }
    with open(dst, "w", encoding="utf-8") as out:
        json.dump(schema, out, ensure_ascii=False, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
