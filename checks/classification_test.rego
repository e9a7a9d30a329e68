package govern.checks.classification_test

import data.govern.checks.classification
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

# as_of 2026-11-25: 2026-05-29 is exactly 180 days old, 2025-11-25 exactly 365.
_as_of := "2026-11-25"

_policy := {
	"id": "classification-2026",
	"grades": ["core", "important", "general-4", "general-3", "general-2", "general-1"],
	"levels": ["restricted", "confidential", "internal", "public"],
	"min_level": {
		"core": "restricted", "important": "restricted", "general-4": "restricted",
		"general-3": "confidential", "general-2": "internal", "general-1": "public",
	},
	"review_interval_days": {"core": 180, "important": 365, "default": 730},
	"encryption_at_rest": {"restricted": "cmk", "confidential": "required"},
	"important_data": {"grades": ["core", "important"], "risk_assessment_interval_days": 365},
}

_defs := {"classification_policy": _policy}

# A dataset that passes every CLS check once some system holds it.
_ds(id, extra) := object.union(
	{
		"id": id, "grade": "general-2", "level": "internal", "classified_at": "2026-06-01",
		"encryption_at_rest": "none",
	},
	extra,
)

_input(datasets, systems) := {"as_of": _as_of, "inventory": {
	"datasets": {d.id: d | some d in datasets},
	"systems": {s.id: s | some s in systems},
}}

_holder(ids) := {"id": "sys-holder", "deployment": "private", "datasets": ids, "labels": {"data_level": "restricted"}}

# ---------------------------------------------------------------- CLS-001
test_cls_001_fires_below_minimum_level if {
	r := classification.CLS_001 with input as _input([_ds("ds-a", {"grade": "general-3", "level": "internal"})], [])
		with data.govern.definitions as _defs
	_ids(r) == {"ds-a"}
	_message(r, "ds-a") == "dataset ds-a (general data, grade 3) is classified internal, below the minimum level confidential"
	_message_zh(r, "ds-a") == "数据集 ds-a（分级为一般数据3级）的级别为内部，低于最低级别机密"
}

test_cls_001_passes_at_or_above_minimum_level if {
	r := classification.CLS_001 with input as _input(
		[
			_ds("ds-equal", {"grade": "general-3", "level": "confidential"}),
			_ds("ds-higher", {"grade": "general-3", "level": "restricted"}),
		],
		[],
	)
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 2
}

test_cls_001_not_applicable_without_policy if {
	r := classification.CLS_001 with input as _input([_ds("ds-a", {})], [])
		with data.govern.definitions as {}
	r.evaluated == 0
}

# ---------------------------------------------------------------- CLS-002
test_cls_002_passes_exactly_at_interval if {
	r := classification.CLS_002 with input as _input([_ds("ds-core", {"grade": "core", "classified_at": "2026-05-29"})], [])
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_cls_002_fires_one_day_past_interval if {
	r := classification.CLS_002 with input as _input([_ds("ds-core", {"grade": "core", "classified_at": "2026-05-28"})], [])
		with data.govern.definitions as _defs
	_ids(r) == {"ds-core"}
	_message(r, "ds-core") == "dataset ds-core (core data) was classified on 2026-05-28, 181 days ago (review interval 180 days, grade)"
	_message_zh(r, "ds-core") == "数据集 ds-core（分级为核心数据）于 2026-05-28 完成分类分级，距评估基准日 181 天（复核周期 180 天，按分级设定）"
}

test_cls_002_uses_default_interval if {
	r := classification.CLS_002 with input as _input(
		[
			_ds("ds-old", {"grade": "general-2", "classified_at": "2024-11-24"}),
			_ds("ds-edge", {"grade": "general-2", "classified_at": "2024-11-25"}),
		],
		[],
	)
		with data.govern.definitions as _defs
	_ids(r) == {"ds-old"}
	contains(_message(r, "ds-old"), "731 days ago (review interval 730 days, default)")
	_message_zh(r, "ds-old") == "数据集 ds-old（分级为一般数据2级）于 2024-11-24 完成分类分级，距评估基准日 731 天（复核周期 730 天，默认周期）"
}

test_cls_002_fires_without_classified_at if {
	d := object.remove(_ds("ds-never", {}), ["classified_at"])
	r := classification.CLS_002 with input as _input([d], [])
		with data.govern.definitions as _defs
	_ids(r) == {"ds-never"}
	contains(_message(r, "ds-never"), "has no classified_at")
	_message(r, "ds-never") == "dataset ds-never (general data, grade 2) has no classified_at (review interval 730 days, default)"
	_message_zh(r, "ds-never") == "数据集 ds-never（分级为一般数据2级）未填写分类分级日期 classified_at（复核周期 730 天，默认周期）"
}

test_cls_002_grade_without_interval_or_default_is_not_evaluated if {
	defs := {"classification_policy": object.union(object.remove(_policy, ["review_interval_days"]), {"review_interval_days": {"core": 180}})}
	r := classification.CLS_002 with input as _input(
		[
			_ds("ds-general", {"grade": "general-2", "classified_at": "2020-01-01"}),
			_ds("ds-core", {"grade": "core", "classified_at": "2026-11-01"}),
		],
		[],
	)
		with data.govern.definitions as defs
	r.evaluated == 1
	count(r.violations) == 0
}

# ---------------------------------------------------------------- CLS-003
test_cls_003_fires_on_sensitive_without_pipia if {
	r := classification.CLS_003 with input as _input(
		[
			_ds("ds-a", {"personal_info": {"contains": true, "sensitive": true, "subjects": 2400000}}),
			_ds("ds-b", {"personal_info": {"contains": true, "sensitive": true, "subjects": 10}, "pipia_ref": "doc://pipia/1"}),
			_ds("ds-c", {"personal_info": {"contains": true, "sensitive": false, "subjects": 10}}),
		],
		[],
	)
		with data.govern.definitions as _defs
	_ids(r) == {"ds-a"}
	r.evaluated == 2
	_message(r, "ds-a") == "dataset ds-a holds sensitive personal information of 2,400,000 subjects but names no pipia_ref"
	_message_zh(r, "ds-a") == "数据集 ds-a 含有 2,400,000 名个人信息主体的敏感个人信息，但未列明个人信息保护影响评估 pipia_ref"
}

test_cls_003_not_applicable_without_sensitive_data if {
	r := classification.CLS_003 with input as _input([_ds("ds-a", {})], [])
		with data.govern.definitions as _defs
	r.evaluated == 0
}

# ---------------------------------------------------------------- CLS-004
_levelled := [
	_ds("ds-r", {"grade": "general-4", "level": "restricted"}),
	_ds("ds-c", {"grade": "general-3", "level": "confidential"}),
	_ds("ds-i", {"grade": "general-2", "level": "internal"}),
]

_sys(id, datasets, label) := {"id": id, "deployment": "hybrid", "datasets": datasets, "labels": {"data_level": label}}

test_cls_004_passes_when_label_is_highest_level if {
	r := classification.CLS_004 with input as _input(_levelled, [_sys("s", ["ds-i", {"id": "ds-r", "side": "private"}, "ds-c"], "restricted")])
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_cls_004_fires_when_label_is_lower if {
	r := classification.CLS_004 with input as _input(_levelled, [_sys("s", ["ds-i", "ds-c"], "internal")])
		with data.govern.definitions as _defs
	_ids(r) == {"s"}
	_message(r, "s") == "system s is labelled data_level internal but holds confidential data (ds-c)"
	_message_zh(r, "s") == "系统 s 的 data_level 标签为内部，但存放有机密级数据（ds-c）"
}

test_cls_004_fires_when_label_is_higher if {
	r := classification.CLS_004 with input as _input(_levelled, [_sys("s", ["ds-i"], "restricted")])
		with data.govern.definitions as _defs
	_ids(r) == {"s"}
}

test_cls_004_names_every_dataset_at_the_highest_level if {
	datasets := array.concat(_levelled, [_ds("ds-c2", {"grade": "general-3", "level": "confidential"})])
	r := classification.CLS_004 with input as _input(datasets, [_sys("s", ["ds-i", "ds-c2", "ds-c"], "internal")])
		with data.govern.definitions as _defs
	_message(r, "s") == "system s is labelled data_level internal but holds confidential data (ds-c, ds-c2)"
	_message_zh(r, "s") == "系统 s 的 data_level 标签为内部，但存放有机密级数据（ds-c、ds-c2）"
}

test_cls_004_fires_when_label_missing if {
	r := classification.CLS_004 with input as _input(_levelled, [{"id": "s", "deployment": "private", "datasets": ["ds-c", "ds-i"]}])
		with data.govern.definitions as _defs
	_message(r, "s") == "system s has no labels.data_level but holds confidential data (ds-c)"
	_message_zh(r, "s") == "系统 s 未设置 labels.data_level，但存放有机密级数据（ds-c）"
}

test_cls_004_skips_systems_without_datasets if {
	r := classification.CLS_004 with input as _input(_levelled, [{"id": "s", "deployment": "private"}, _sys("t", [], "public")])
		with data.govern.definitions as _defs
	r.evaluated == 0
}

# ---------------------------------------------------------------- CLS-005
test_cls_005_fires_on_important_without_officer if {
	r := classification.CLS_005 with input as _input(
		[
			_ds("ds-core", {"grade": "core", "level": "restricted"}),
			_ds("ds-imp", {"grade": "important", "level": "restricted", "security_officer": "p-sec"}),
			_ds("ds-gen", {}),
		],
		[],
	)
		with data.govern.definitions as _defs
	_ids(r) == {"ds-core"}
	r.evaluated == 2
	_message(r, "ds-core") == "dataset ds-core (important, graded core data) names no security_officer"
	_message_zh(r, "ds-core") == "数据集 ds-core（重要数据，分级为核心数据）未指定数据安全负责人 security_officer"
}

test_cls_005_not_applicable_without_important_data if {
	r := classification.CLS_005 with input as _input([_ds("ds-gen", {})], [])
		with data.govern.definitions as _defs
	r.evaluated == 0
}

# ---------------------------------------------------------------- CLS-006
test_cls_006_boundary_of_risk_assessment_interval if {
	r := classification.CLS_006 with input as _input(
		[
			_ds("ds-edge", {"grade": "important", "last_risk_assessment": "2025-11-25"}),
			_ds("ds-late", {"grade": "important", "last_risk_assessment": "2025-11-24"}),
			_ds("ds-none", {"grade": "core"}),
		],
		[],
	)
		with data.govern.definitions as _defs
	_ids(r) == {"ds-late", "ds-none"}
	r.evaluated == 3
	_message(r, "ds-late") == "dataset ds-late (important, graded important data) was last risk-assessed on 2025-11-24, 366 days ago, beyond the 365-day interval"
	_message(r, "ds-none") == "dataset ds-none (important, graded core data) has no last_risk_assessment"
	_message_zh(r, "ds-late") == "数据集 ds-late（重要数据，分级为重要数据）最近一次风险评估于 2025-11-24，距评估基准日 366 天，超过 365 天的评估周期"
	_message_zh(r, "ds-none") == "数据集 ds-none（重要数据，分级为核心数据）没有风险评估记录 last_risk_assessment"
}

test_cls_006_without_interval_only_missing_fires if {
	defs := {"classification_policy": object.union(object.remove(_policy, ["important_data"]), {"important_data": {"grades": ["core"]}})}
	r := classification.CLS_006 with input as _input(
		[
			_ds("ds-old", {"grade": "core", "last_risk_assessment": "2010-01-01"}),
			_ds("ds-none", {"grade": "core"}),
		],
		[],
	)
		with data.govern.definitions as defs
	_ids(r) == {"ds-none"}
}

# ---------------------------------------------------------------- CLS-007
test_cls_007_fires_when_weaker_than_required if {
	r := classification.CLS_007 with input as _input(
		[
			_ds("ds-r-required", {"level": "restricted", "encryption_at_rest": "required"}),
			object.remove(_ds("ds-c-absent", {"level": "confidential"}), ["encryption_at_rest"]),
			_ds("ds-r-cmk", {"level": "restricted", "encryption_at_rest": "cmk"}),
			_ds("ds-c-cmk", {"level": "confidential", "encryption_at_rest": "cmk"}),
			_ds("ds-c-required", {"level": "confidential", "encryption_at_rest": "required"}),
			_ds("ds-internal", {"level": "internal", "encryption_at_rest": "none"}),
		],
		[],
	)
		with data.govern.definitions as _defs
	_ids(r) == {"ds-r-required", "ds-c-absent"}
	r.evaluated == 5
	_message(r, "ds-r-required") == "dataset ds-r-required of level restricted has encryption_at_rest required, weaker than the required cmk"
	contains(_message(r, "ds-c-absent"), "has encryption_at_rest none")
	_message_zh(r, "ds-r-required") == "数据集 ds-r-required（级别为受限）的静态加密为已加密（required），弱于要求的客户管理密钥加密（cmk）"
	_message_zh(r, "ds-c-absent") == "数据集 ds-c-absent（级别为机密）的静态加密为未加密（none），弱于要求的已加密（required）"
}

# ---------------------------------------------------------------- CLS-008
test_cls_008_fires_on_orphan_dataset if {
	r := classification.CLS_008 with input as _input(
		[_ds("ds-held", {}), _ds("ds-side", {}), _ds("ds-orphan", {})],
		[_holder(["ds-held", {"id": "ds-side", "side": "public"}])],
	)
		with data.govern.definitions as {}
	_ids(r) == {"ds-orphan"}
	r.evaluated == 3
	_message(r, "ds-orphan") == "dataset ds-orphan is held by no system"
	_message_zh(r, "ds-orphan") == "数据集 ds-orphan 未存放于任何系统"
}

test_cls_008_passes_when_all_held if {
	r := classification.CLS_008 with input as _input([_ds("ds-held", {})], [_holder(["ds-held"])])
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}
