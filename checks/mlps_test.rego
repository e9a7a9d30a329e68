package govern.checks.mlps_test

import data.govern.checks.mlps
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

# as_of 2026-11-25: 2025-11-25 is exactly 365 days old, 2026-05-26 exactly 183.
_defs := {"classification_policy": {
	"id": "classification-2026",
	"grades": ["core", "important", "general-2"],
	"levels": ["restricted", "internal"],
	"important_data": {"grades": ["core", "important"]},
}}

_datasets := {
	"ds-core": {"id": "ds-core", "grade": "core", "level": "restricted"},
	"ds-important": {"id": "ds-important", "grade": "important", "level": "restricted"},
	"ds-general": {"id": "ds-general", "grade": "general-2", "level": "internal"},
}

_sys(id, extra) := object.union({"id": id, "deployment": "private"}, extra)

_input(systems) := {"as_of": "2026-11-25", "inventory": {
	"datasets": _datasets,
	"systems": {s.id: s | some s in systems},
}}

# ---------------------------------------------------------------- MLP-001
test_mlp_001_level_two_and_above_need_filing if {
	r := mlps.MLP_001 with input as _input([
		_sys("sys-unfiled", {"mlps_level": 2}),
		_sys("sys-filed", {"mlps_level": 3, "mlps_filing_id": "11010-00001"}),
		_sys("sys-level-one", {"mlps_level": 1}),
		_sys("sys-unlevelled", {}),
	])
		with data.govern.definitions as _defs
	_ids(r) == {"sys-unfiled"}
	r.evaluated == 2
	_message(r, "sys-unfiled") == "system sys-unfiled at MLPS level 2 has no mlps_filing_id"
	_message_zh(r, "sys-unfiled") == "系统 sys-unfiled 的等级保护级别为第 2 级，但缺少备案编号（mlps_filing_id）"
}

test_mlp_001_not_applicable_without_levelled_systems if {
	r := mlps.MLP_001 with input as _input([_sys("sys-unlevelled", {}), _sys("sys-one", {"mlps_level": 1})])
		with data.govern.definitions as _defs
	r.evaluated == 0
}

# ---------------------------------------------------------------- MLP-002
test_mlp_002_level_three_yearly_boundary if {
	r := mlps.MLP_002 with input as _input([
		_sys("sys-edge", {"mlps_level": 3, "mlps_last_assessment": "2025-11-25"}),
		_sys("sys-late", {"mlps_level": 3, "mlps_last_assessment": "2025-11-24"}),
	])
		with data.govern.definitions as _defs
	_ids(r) == {"sys-late"}
	_message(r, "sys-late") == "system sys-late at MLPS level 3 was last assessed on 2025-11-24, 366 days ago (required every 365 days)"
	_message_zh(r, "sys-late") == "系统 sys-late 的等级保护级别为第 3 级，最近一次测评于 2025-11-24，截至评估基准日已过 366 天（要求每 365 天测评一次）"
}

test_mlp_002_level_four_half_yearly_boundary if {
	r := mlps.MLP_002 with input as _input([
		_sys("sys-edge", {"mlps_level": 4, "mlps_last_assessment": "2026-05-26"}),
		_sys("sys-late", {"mlps_level": 4, "mlps_last_assessment": "2026-05-25"}),
		_sys("sys-five", {"mlps_level": 5, "mlps_last_assessment": "2026-01-01"}),
	])
		with data.govern.definitions as _defs
	_ids(r) == {"sys-late", "sys-five"}
	r.evaluated == 3
	contains(_message(r, "sys-late"), "184 days ago (required every 183 days)")
}

test_mlp_002_missing_assessment_fires_and_level_two_is_out_of_scope if {
	r := mlps.MLP_002 with input as _input([
		_sys("sys-never", {"mlps_level": 3}),
		_sys("sys-two", {"mlps_level": 2}),
		_sys("sys-unlevelled", {}),
	])
		with data.govern.definitions as _defs
	_ids(r) == {"sys-never"}
	r.evaluated == 1
	_message(r, "sys-never") == "system sys-never at MLPS level 3 has no mlps_last_assessment (required every 365 days)"
	_message_zh(r, "sys-never") == "系统 sys-never 的等级保护级别为第 3 级，但未记录最近一次测评日期 mlps_last_assessment（要求每 365 天测评一次）"
}

# ---------------------------------------------------------------- MLP-003
test_mlp_003_important_data_needs_level_three if {
	r := mlps.MLP_003 with input as _input([
		_sys("sys-low", {"mlps_level": 2, "datasets": ["ds-general", "ds-core", {"id": "ds-important", "side": "private"}]}),
		_sys("sys-unlevelled", {"datasets": ["ds-core"]}),
		_sys("sys-three", {"mlps_level": 3, "datasets": ["ds-core"]}),
		_sys("sys-general", {"mlps_level": 1, "datasets": ["ds-general"]}),
	])
		with data.govern.definitions as _defs
	_ids(r) == {"sys-low", "sys-unlevelled"}
	r.evaluated == 3
	_message(r, "sys-low") == "system sys-low holds important data (ds-core, ds-important) at MLPS level 2, below the required level 3"
	_message(r, "sys-unlevelled") == "system sys-unlevelled holds important data (ds-core) with no mlps_level, below the required level 3"
	_message_zh(r, "sys-low") == "系统 sys-low 存放重要数据（ds-core、ds-important），但等级保护级别仅为第 2 级，低于要求的第 3 级"
	_message_zh(r, "sys-unlevelled") == "系统 sys-unlevelled 存放重要数据（ds-core），但未声明等级保护级别（mlps_level），低于要求的第 3 级"
}

test_mlp_003_not_applicable_without_classification_policy if {
	r := mlps.MLP_003 with input as _input([_sys("sys-low", {"mlps_level": 1, "datasets": ["ds-core"]})])
		with data.govern.definitions as {}
	r.evaluated == 0
}
