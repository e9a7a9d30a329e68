package govern.checks.placement_test

import data.govern.checks.placement

_classification := {
	"id": "classification-2026",
	"grades": ["core", "important", "general-4", "general-3", "general-2", "general-1"],
	"levels": ["restricted", "confidential", "internal", "public"],
	"important_data": {"grades": ["core", "important"]},
}

_placement := {
	"id": "placement-2026",
	"rules": [
		{
			"id": "restricted-private-only", "match": {"levels": ["restricted"]},
			"allowed_deployments": ["private", "on_prem"], "allowed_jurisdictions": ["CN"],
		},
		{"id": "personal-info-in-cn", "match": {"personal_info": true}, "allowed_jurisdictions": ["CN"]},
		{"id": "approved-regions", "match": {"all": true}, "allowed_regions": ["cn-north-1", "cn-east-2", "cn-bj-dc1", "cn-sh-dc2"]},
	],
	"cross_border": {
		"security_assessment": {"grades": ["core", "important"], "subjects_at_least": 1000000, "sensitive_subjects_at_least": 10000},
		"contract_or_certification": {"subjects_at_least": 100000},
	},
}

_defs := {"classification_policy": _classification, "placement_policy": _placement}

_datasets := {
	"ds-restricted": {"id": "ds-restricted", "grade": "general-4", "level": "restricted"},
	"ds-pi": {"id": "ds-pi", "grade": "general-3", "level": "confidential", "personal_info": {"contains": true, "sensitive": false, "subjects": 10}},
	"ds-core": {"id": "ds-core", "grade": "core", "level": "restricted"},
	"ds-public": {"id": "ds-public", "grade": "general-1", "level": "public"},
	"ds-internal": {"id": "ds-internal", "grade": "general-2", "level": "internal"},
}

_platforms := {
	"plat-dc1": {"id": "plat-dc1", "deployment": "private", "mlps_level": 4, "dedicated_pool": true},
	"plat-pub": {"id": "plat-pub", "deployment": "public", "mlps_level": 3},
	"plat-hybrid": {"id": "plat-hybrid", "deployment": "hybrid", "mlps_level": 3},
	"plat-bare": {"id": "plat-bare", "deployment": "private"},
}

# A system that satisfies every PLC check; tests override what they exercise.
_sys(id, extra) := object.union(
	{"id": id, "deployment": "private", "region": "cn-bj-dc1", "jurisdiction": "CN", "datasets": ["ds-internal"]},
	extra,
)

_input(systems) := {"as_of": "2026-11-25", "inventory": {
	"datasets": _datasets,
	"platforms": _platforms,
	"systems": {s.id: s | some s in systems},
}}

_with_datasets(datasets, systems) := {"as_of": "2026-11-25", "inventory": {
	"datasets": {d.id: d | some d in datasets},
	"platforms": _platforms,
	"systems": {s.id: s | some s in systems},
}}

_ids(result) := {v.resource.id | some v in result.violations}

_message(result, id) := m if {
	some v in result.violations
	v.resource.id == id
	m := v.message
}

_message_zh(result, id) := m if {
	some v in result.violations
	v.resource.id == id
	m := v.message_zh
}

# ---------------------------------------------------------------- matching
test_rule_matches_if_any_matcher_matches if {
	rule := {"id": "r", "match": {"grades": ["core"], "personal_info": true}}
	placement.matches(rule, _datasets["ds-pi"])
	placement.matches(rule, _datasets["ds-core"])
	not placement.matches(rule, _datasets["ds-public"])
}

test_personal_info_false_matches_datasets_without_personal_info if {
	rule := {"id": "r", "match": {"personal_info": false}}
	placement.matches(rule, _datasets["ds-public"])
	not placement.matches(rule, _datasets["ds-pi"])
}

# ---------------------------------------------------------------- PLC-001
test_plc_001_fires_on_restricted_public_side if {
	r := placement.PLC_001 with input as _input([_sys("sys-pay", {
		"deployment": "hybrid",
		"datasets": ["ds-core", {"id": "ds-restricted", "side": "public"}, {"id": "ds-public", "side": "public"}],
	})])
		with data.govern.definitions as _defs
	_ids(r) == {"sys-pay"}
	_message(r, "sys-pay") == "system sys-pay stores restricted dataset ds-restricted on the public side (rule restricted-private-only allows private, on_prem)"
	_message_zh(r, "sys-pay") == "系统 sys-pay 在 public 侧存放 restricted 级数据集 ds-restricted（规则 restricted-private-only 仅允许 private、on_prem）"
}

test_plc_001_fires_on_public_deployment_listing_each_dataset if {
	r := placement.PLC_001 with input as _input([_sys("sys-web", {"deployment": "public", "datasets": ["ds-core", "ds-restricted", "ds-public"]})])
		with data.govern.definitions as _defs
	_message(r, "sys-web") == concat("", [
		"system sys-web stores restricted dataset ds-core on its public deployment (rule restricted-private-only allows private, on_prem); ",
		"restricted dataset ds-restricted on its public deployment (rule restricted-private-only allows private, on_prem)",
	])
	_message_zh(r, "sys-web") == concat("", [
		"系统 sys-web 在其 public 部署上存放 restricted 级数据集 ds-core（规则 restricted-private-only 仅允许 private、on_prem）；",
		"在其 public 部署上存放 restricted 级数据集 ds-restricted（规则 restricted-private-only 仅允许 private、on_prem）",
	])
}

test_plc_001_passes_private_side_and_unrestricted_data if {
	r := placement.PLC_001 with input as _input([
		_sys("sys-hybrid", {"deployment": "hybrid", "datasets": ["ds-core", {"id": "ds-restricted", "side": "private"}, {"id": "ds-public", "side": "public"}]}),
		_sys("sys-onprem", {"deployment": "on_prem", "datasets": ["ds-restricted"]}),
		_sys("sys-web", {"deployment": "public", "datasets": ["ds-public", "ds-pi"]}),
	])
		with data.govern.definitions as _defs
	count(r.violations) == 0

	# sys-web holds nothing a deployment rule matches
	r.evaluated == 2
}

test_plc_001_not_applicable_without_policy if {
	r := placement.PLC_001 with input as _input([_sys("sys-web", {"deployment": "public", "datasets": ["ds-core"]})])
		with data.govern.definitions as {}
	r.evaluated == 0
}

# ---------------------------------------------------------------- PLC-002
test_plc_002_fires_listing_every_rule_and_dimension if {
	r := placement.PLC_002 with input as _input([_sys("sys-sg", {"region": "ap-southeast-1", "jurisdiction": "SG", "datasets": ["ds-pi", "ds-public"]})])
		with data.govern.definitions as _defs
	_ids(r) == {"sys-sg"}
	_message(r, "sys-sg") == concat("", [
		"system sys-sg (SG, ap-southeast-1) holds data its placement rules keep elsewhere: ",
		"ds-pi under rule approved-regions: region ap-southeast-1 not in [cn-north-1, cn-east-2, cn-bj-dc1, cn-sh-dc2]; ",
		"ds-pi under rule personal-info-in-cn: jurisdiction SG not in [CN]; ",
		"ds-public under rule approved-regions: region ap-southeast-1 not in [cn-north-1, cn-east-2, cn-bj-dc1, cn-sh-dc2]",
	])
	_message_zh(r, "sys-sg") == concat("", [
		"系统 sys-sg（司法辖区 SG，区域 ap-southeast-1）存放的数据按其部署位置规则应置于别处：",
		"数据集 ds-pi 按规则 approved-regions：区域 ap-southeast-1 不在允许范围（cn-north-1、cn-east-2、cn-bj-dc1、cn-sh-dc2）内；",
		"数据集 ds-pi 按规则 personal-info-in-cn：司法辖区 SG 不在允许范围（CN）内；",
		"数据集 ds-public 按规则 approved-regions：区域 ap-southeast-1 不在允许范围（cn-north-1、cn-east-2、cn-bj-dc1、cn-sh-dc2）内",
	])
}

test_plc_002_passes_in_approved_place if {
	r := placement.PLC_002 with input as _input([_sys("sys-cn", {"datasets": ["ds-pi", "ds-core"]})])
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

test_plc_002_undeclared_region_fails if {
	r := placement.PLC_002 with input as _input([object.remove(_sys("sys-x", {}), ["region"])])
		with data.govern.definitions as _defs
	contains(_message(r, "sys-x"), "ds-internal under rule approved-regions: region undeclared not in")
	_message_zh(r, "sys-x") == concat("", [
		"系统 sys-x（司法辖区 CN，区域未声明）存放的数据按其部署位置规则应置于别处：",
		"数据集 ds-internal 按规则 approved-regions：区域未声明，无法证明在允许范围（cn-north-1、cn-east-2、cn-bj-dc1、cn-sh-dc2）内",
	])
}

test_plc_002_rule_without_allowed_fields_does_not_restrict if {
	defs := {"placement_policy": {"id": "p", "rules": [{"id": "deploy-only", "match": {"all": true}, "allowed_deployments": ["private"]}]}}
	r := placement.PLC_002 with input as _input([_sys("sys-sg", {"region": "ap-southeast-1", "jurisdiction": "SG"})])
		with data.govern.definitions as defs
	r.evaluated == 0
	count(r.violations) == 0
}

# ---------------------------------------------------------------- PLC-003
test_plc_003_fires_on_foreign_replica if {
	r := placement.PLC_003 with input as _input([_sys("sys-a", {
		"datasets": ["ds-pi"],
		"replicas": [{"region": "cn-sh-dc2", "jurisdiction": "CN"}, {"region": "ap-southeast-1", "jurisdiction": "SG"}],
	})])
		with data.govern.definitions as _defs
	_message(r, "sys-a") == concat("", [
		"system sys-a replicates data outside what its placement rules allow: replica 2 (SG, ap-southeast-1): ",
		"ds-pi under rule approved-regions: region ap-southeast-1 not in [cn-north-1, cn-east-2, cn-bj-dc1, cn-sh-dc2]; ",
		"ds-pi under rule personal-info-in-cn: jurisdiction SG not in [CN]",
	])
	_message_zh(r, "sys-a") == concat("", [
		"系统 sys-a 的副本位于其部署位置规则允许的范围之外：第 2 个副本（司法辖区 SG，区域 ap-southeast-1）：",
		"数据集 ds-pi 按规则 approved-regions：区域 ap-southeast-1 不在允许范围（cn-north-1、cn-east-2、cn-bj-dc1、cn-sh-dc2）内；",
		"数据集 ds-pi 按规则 personal-info-in-cn：司法辖区 SG 不在允许范围（CN）内",
	])
}

test_plc_003_replica_lacking_fields_fails if {
	r := placement.PLC_003 with input as _input([_sys("sys-a", {"datasets": ["ds-pi"], "replicas": [{"region": "cn-sh-dc2"}]})])
		with data.govern.definitions as _defs
	_message(r, "sys-a") == "system sys-a replicates data outside what its placement rules allow: replica 1 (undeclared, cn-sh-dc2): ds-pi under rule personal-info-in-cn: jurisdiction undeclared not in [CN]"
	_message_zh(r, "sys-a") == "系统 sys-a 的副本位于其部署位置规则允许的范围之外：第 1 个副本（司法辖区未声明，区域 cn-sh-dc2）：数据集 ds-pi 按规则 personal-info-in-cn：司法辖区未声明，无法证明在允许范围（CN）内"
}

test_plc_003_passes_and_skips_systems_without_replicas if {
	r := placement.PLC_003 with input as _input([
		_sys("sys-a", {"datasets": ["ds-pi"], "replicas": [{"region": "cn-sh-dc2", "jurisdiction": "CN"}]}),
		_sys("sys-b", {"region": "ap-southeast-1"}),
	])
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

# ---------------------------------------------------------------- PLC-004
test_plc_004_fires_on_ciio_data_abroad if {
	r := placement.PLC_004 with input as _input([
		_sys("sys-replica", {"ciio": true, "datasets": ["ds-pi"], "replicas": [{"region": "cn-sh-dc2", "jurisdiction": "CN"}, {"region": "ap-southeast-1", "jurisdiction": "SG"}]}),
		_sys("sys-core", {"ciio": true, "jurisdiction": "HK", "datasets": ["ds-core", "ds-public"]}),
		object.remove(_sys("sys-unknown", {"ciio": true, "datasets": ["ds-pi"]}), ["jurisdiction"]),
	])
		with data.govern.definitions as _defs
	_ids(r) == {"sys-replica", "sys-core", "sys-unknown"}
	_message(r, "sys-replica") == "CIIO system sys-replica holds personal information or important data (ds-pi) outside CN: replica 2 jurisdiction SG"
	_message(r, "sys-core") == "CIIO system sys-core holds personal information or important data (ds-core) outside CN: system jurisdiction HK"
	contains(_message(r, "sys-unknown"), "system jurisdiction undeclared")
	_message_zh(r, "sys-replica") == "关键信息基础设施系统 sys-replica 在 CN 以外存储个人信息或重要数据（ds-pi）：第 2 个副本所在司法辖区为 SG"
	_message_zh(r, "sys-core") == "关键信息基础设施系统 sys-core 在 CN 以外存储个人信息或重要数据（ds-core）：系统所在司法辖区为 HK"
	_message_zh(r, "sys-unknown") == "关键信息基础设施系统 sys-unknown 在 CN 以外存储个人信息或重要数据（ds-pi）：系统未声明司法辖区"
}

test_plc_004_passes_in_cn_and_skips_out_of_scope if {
	r := placement.PLC_004 with input as _input([
		_sys("sys-cn", {"ciio": true, "datasets": ["ds-pi", "ds-core"], "replicas": [{"region": "cn-sh-dc2", "jurisdiction": "CN"}]}),
		_sys("sys-not-ciio", {"jurisdiction": "SG", "datasets": ["ds-pi"]}),
		_sys("sys-ciio-public-data", {"ciio": true, "jurisdiction": "SG", "datasets": ["ds-public"]}),
	])
		with data.govern.definitions as _defs
	count(r.violations) == 0
	r.evaluated == 1
}

# ---------------------------------------------------------------- PLC-005
test_plc_005_fires_above_platform_level if {
	r := placement.PLC_005 with input as _input([
		_sys("sys-high", {"platform": "plat-pub", "mlps_level": 4}),
		_sys("sys-bare", {"platform": "plat-bare", "mlps_level": 2}),
		_sys("sys-equal", {"platform": "plat-pub", "mlps_level": 3}),
		_sys("sys-unlevelled", {"platform": "plat-pub"}),
		_sys("sys-no-platform", {"mlps_level": 5}),
	])
		with data.govern.definitions as _defs
	_ids(r) == {"sys-high", "sys-bare"}
	r.evaluated == 3
	_message(r, "sys-high") == "system sys-high at MLPS level 4 runs on platform plat-pub at level 3"
	_message(r, "sys-bare") == "system sys-bare at MLPS level 2 runs on platform plat-bare that declares no mlps_level"
	_message_zh(r, "sys-high") == "系统 sys-high 的等级保护级别为第 4 级，但其运行的平台 plat-pub 仅为第 3 级"
	_message_zh(r, "sys-bare") == "系统 sys-bare 的等级保护级别为第 2 级，但其运行的平台 plat-bare 未声明 mlps_level"
}

# ---------------------------------------------------------------- PLC-006
test_plc_006_level_four_needs_dedicated_pool if {
	r := placement.PLC_006 with input as _input([
		_sys("sys-shared", {"platform": "plat-pub", "mlps_level": 4}),
		_sys("sys-dedicated", {"platform": "plat-dc1", "mlps_level": 4}),
		_sys("sys-nowhere", {"mlps_level": 5}),
		_sys("sys-three", {"platform": "plat-pub", "mlps_level": 3}),
	])
		with data.govern.definitions as _defs
	_ids(r) == {"sys-shared", "sys-nowhere"}
	r.evaluated == 3
	_message(r, "sys-shared") == "system sys-shared at MLPS level 4 runs on platform plat-pub, which is not a dedicated pool"
	_message(r, "sys-nowhere") == "system sys-nowhere at MLPS level 5 names no platform, so no dedicated pool"
	_message_zh(r, "sys-shared") == "系统 sys-shared 的等级保护级别为第 4 级，但运行在平台 plat-pub 上，该平台不是专用资源池"
	_message_zh(r, "sys-nowhere") == "系统 sys-nowhere 的等级保护级别为第 5 级，但未指定平台，因而没有专用资源池"
}

# ---------------------------------------------------------------- PLC-007
_flow(jurisdiction, mechanism) := {"to": concat("-", ["partner", jurisdiction, mechanism]), "jurisdiction": jurisdiction, "mechanism": mechanism}

_exporter(id, grade, pi, flows) := {"id": id, "grade": grade, "level": "internal", "personal_info": pi, "flows": flows}

test_plc_007_security_assessment_thresholds if {
	datasets := [
		_exporter("ds-grade", "important", {"contains": false}, [_flow("SG", "contract")]),
		_exporter("ds-million", "general-3", {"contains": true, "subjects": 1000000}, [_flow("SG", "certification")]),
		_exporter("ds-sensitive", "general-3", {"contains": true, "sensitive": true, "subjects": 10000}, [_flow("SG", "contract")]),
		_exporter("ds-assessed", "core", {"contains": true, "subjects": 5000000}, [_flow("SG", "security_assessment")]),
	]
	r := placement.PLC_007 with input as _with_datasets(datasets, [])
		with data.govern.definitions as _defs
	_ids(r) == {"ds-grade", "ds-million", "ds-sensitive"}
	r.evaluated == 4
	_message(r, "ds-grade") == "dataset ds-grade flows abroad without the required security_assessment (grade important): to partner-SG-contract (SG) by contract"
	_message(r, "ds-million") == "dataset ds-million flows abroad without the required security_assessment (1,000,000 subjects ≥ 1,000,000): to partner-SG-certification (SG) by certification"
	_message(r, "ds-sensitive") == "dataset ds-sensitive flows abroad without the required security_assessment (sensitive, 10,000 subjects ≥ 10,000): to partner-SG-contract (SG) by contract"
	_message_zh(r, "ds-grade") == "数据集 ds-grade 出境未采用所需的安全评估（分级为 important）：流向 partner-SG-contract（SG），采用标准合同"
	_message_zh(r, "ds-million") == "数据集 ds-million 出境未采用所需的安全评估（个人信息主体 1,000,000 人 ≥ 1,000,000 人）：流向 partner-SG-certification（SG），采用认证"
	_message_zh(r, "ds-sensitive") == "数据集 ds-sensitive 出境未采用所需的安全评估（敏感个人信息主体 10,000 人 ≥ 10,000 人）：流向 partner-SG-contract（SG），采用标准合同"
}

# Several reasons, in the English order, joined by a full-width comma in Chinese.
test_plc_007_lists_every_reason_in_both_languages if {
	datasets := [_exporter("ds-core-pi", "core", {"contains": true, "sensitive": true, "subjects": 2000000}, [_flow("SG", "contract")])]
	r := placement.PLC_007 with input as _with_datasets(datasets, [])
		with data.govern.definitions as _defs
	_message(r, "ds-core-pi") == "dataset ds-core-pi flows abroad without the required security_assessment (grade core, 2,000,000 subjects ≥ 1,000,000, sensitive, 2,000,000 subjects ≥ 10,000): to partner-SG-contract (SG) by contract"
	_message_zh(r, "ds-core-pi") == "数据集 ds-core-pi 出境未采用所需的安全评估（分级为 core，个人信息主体 2,000,000 人 ≥ 1,000,000 人，敏感个人信息主体 2,000,000 人 ≥ 10,000 人）：流向 partner-SG-contract（SG），采用标准合同"
}

test_plc_007_contract_thresholds if {
	datasets := [
		_exporter("ds-below-million", "general-3", {"contains": true, "subjects": 999999}, [_flow("SG", "contract")]),
		_exporter("ds-at-contract", "general-3", {"contains": true, "subjects": 100000}, [_flow("SG", "none"), _flow("US", "certification"), _flow("CN", "none")]),
		_exporter("ds-below-contract", "general-3", {"contains": true, "subjects": 99999}, [_flow("SG", "none")]),
		{"id": "ds-no-pi", "grade": "general-2", "level": "internal", "flows": [_flow("SG", "none")]},
		{"id": "ds-no-mechanism", "grade": "general-3", "level": "internal", "personal_info": {"contains": true, "subjects": 100000}, "flows": [{"to": "partner-x", "jurisdiction": "SG"}]},
	]
	r := placement.PLC_007 with input as _with_datasets(datasets, [])
		with data.govern.definitions as _defs
	_ids(r) == {"ds-at-contract", "ds-no-mechanism"}
	r.evaluated == 5
	_message(r, "ds-at-contract") == "dataset ds-at-contract flows abroad without the required contract, certification or security_assessment (100,000 subjects ≥ 100,000): to partner-SG-none (SG) by none"
	_message(r, "ds-no-mechanism") == "dataset ds-no-mechanism flows abroad without the required contract, certification or security_assessment (100,000 subjects ≥ 100,000): to partner-x (SG) by none"
	_message_zh(r, "ds-at-contract") == "数据集 ds-at-contract 出境未采用所需的标准合同、认证或安全评估（个人信息主体 100,000 人 ≥ 100,000 人）：流向 partner-SG-none（SG），未采用任何出境机制"
}

# CAC 2024 art. 8: sensitive personal information below the assessment
# threshold (but at least one subject) still needs a contract, a
# certification or an assessment.
test_plc_007_sensitive_below_the_assessment_threshold if {
	datasets := [
		_exporter("ds-sensitive-below", "general-3", {"contains": true, "sensitive": true, "subjects": 9999}, [_flow("SG", "none")]),
		_exporter("ds-sensitive-one", "general-3", {"contains": true, "sensitive": true, "subjects": 1}, [_flow("SG", "none"), _flow("JP", "contract")]),
		_exporter("ds-sensitive-certified", "general-3", {"contains": true, "sensitive": true, "subjects": 9999}, [_flow("SG", "certification")]),
		_exporter("ds-sensitive-none", "general-3", {"contains": true, "sensitive": true, "subjects": 0}, [_flow("SG", "none")]),
		_exporter("ds-sensitive-at", "general-3", {"contains": true, "sensitive": true, "subjects": 10000}, [_flow("SG", "contract")]),
	]
	r := placement.PLC_007 with input as _with_datasets(datasets, [])
		with data.govern.definitions as _defs
	_ids(r) == {"ds-sensitive-below", "ds-sensitive-one", "ds-sensitive-at"}
	r.evaluated == 5
	_message(r, "ds-sensitive-below") == "dataset ds-sensitive-below flows abroad without the required contract, certification or security_assessment (sensitive, 9,999 subjects ≥ 1): to partner-SG-none (SG) by none"
	_message(r, "ds-sensitive-one") == "dataset ds-sensitive-one flows abroad without the required contract, certification or security_assessment (sensitive, 1 subjects ≥ 1): to partner-SG-none (SG) by none"
	_message_zh(r, "ds-sensitive-one") == "数据集 ds-sensitive-one 出境未采用所需的标准合同、认证或安全评估（敏感个人信息主体 1 人 ≥ 1 人）：流向 partner-SG-none（SG），未采用任何出境机制"
	contains(_message(r, "ds-sensitive-at"), "required security_assessment (sensitive, 10,000 subjects ≥ 10,000)")
}

test_plc_007_sensitive_rule_applies_without_a_contract_threshold if {
	datasets := [_exporter("ds-sensitive-below", "general-3", {"contains": true, "sensitive": true, "subjects": 5}, [_flow("SG", "none")])]
	policy := json.remove(_placement, ["cross_border/contract_or_certification"])
	r := placement.PLC_007 with input as _with_datasets(datasets, [])
		with data.govern.definitions as {"placement_policy": policy}
	_ids(r) == {"ds-sensitive-below"}
}

# CAC 2024 art. 7: personal information held by a CIIO goes abroad only
# after a security assessment, whatever the number of subjects.
test_plc_007_personal_information_held_by_a_ciio_needs_an_assessment if {
	datasets := [
		_exporter("ds-ciio-pi", "general-3", {"contains": true, "subjects": 10}, [_flow("SG", "contract"), _flow("CN", "none")]),
		_exporter("ds-ciio-assessed", "general-3", {"contains": true, "subjects": 10}, [_flow("SG", "security_assessment")]),
		_exporter("ds-ciio-no-pi", "general-3", {"contains": false}, [_flow("SG", "none")]),
		_exporter("ds-plain-pi", "general-3", {"contains": true, "subjects": 10}, [_flow("SG", "none")]),
		_exporter("ds-twice-held", "general-3", {"contains": true, "subjects": 0}, [_flow("US", "certification")]),
	]
	systems := [
		_sys("sys-ciio", {"ciio": true, "datasets": ["ds-ciio-pi", "ds-ciio-assessed", "ds-ciio-no-pi"]}),
		_sys("sys-plain", {"ciio": false, "datasets": ["ds-plain-pi", "ds-twice-held"]}),
		_sys("sys-ciio-b", {"ciio": true, "datasets": ["ds-twice-held"]}),
		_sys("sys-ciio-a", {"ciio": true, "datasets": [{"id": "ds-twice-held", "side": "public"}]}),
	]
	r := placement.PLC_007 with input as _with_datasets(datasets, systems)
		with data.govern.definitions as _defs
	_ids(r) == {"ds-ciio-pi", "ds-twice-held"}
	r.evaluated == 5
	_message(r, "ds-ciio-pi") == "dataset ds-ciio-pi flows abroad without the required security_assessment (personal information held by CIIO system sys-ciio): to partner-SG-contract (SG) by contract"
	_message(r, "ds-twice-held") == "dataset ds-twice-held flows abroad without the required security_assessment (personal information held by CIIO system sys-ciio-a, sys-ciio-b): to partner-US-certification (US) by certification"
	_message_zh(r, "ds-twice-held") == "数据集 ds-twice-held 出境未采用所需的安全评估（个人信息由关键信息基础设施系统 sys-ciio-a、sys-ciio-b 持有）：流向 partner-US-certification（US），采用认证"
}

test_plc_007_domestic_flows_are_not_evaluated if {
	datasets := [_exporter("ds-cn", "core", {"contains": true, "subjects": 5000000}, [_flow("CN", "none")])]
	r := placement.PLC_007 with input as _with_datasets(datasets, [])
		with data.govern.definitions as _defs
	r.evaluated == 0
}

test_plc_007_not_applicable_without_cross_border_policy if {
	datasets := [_exporter("ds-grade", "important", {"contains": false}, [_flow("SG", "none")])]
	r := placement.PLC_007 with input as _with_datasets(datasets, [])
		with data.govern.definitions as {"placement_policy": object.remove(_placement, ["cross_border"])}
	r.evaluated == 0
}

# ---------------------------------------------------------------- PLC-008
test_plc_008_deployment_differs_from_platform if {
	r := placement.PLC_008 with input as _input([
		_sys("sys-mismatch", {"platform": "plat-pub", "deployment": "private"}),
		_sys("sys-on-hybrid", {"platform": "plat-hybrid", "deployment": "public"}),
		_sys("sys-match", {"platform": "plat-dc1", "deployment": "private"}),
		_sys("sys-hybrid-on-private", {"platform": "plat-dc1", "deployment": "hybrid"}),
		_sys("sys-no-platform", {"deployment": "public"}),
	])
		with data.govern.definitions as _defs
	_ids(r) == {"sys-mismatch", "sys-hybrid-on-private"}
	r.evaluated == 4
	_message(r, "sys-mismatch") == "system sys-mismatch is declared private but runs on public platform plat-pub"
	_message_zh(r, "sys-mismatch") == "系统 sys-mismatch 声明为 private 部署，但运行在 public 部署的平台 plat-pub 上"
}

# ---------------------------------------------------------------- PLC-009
test_plc_009_elastic_private_without_sensitive_data if {
	r := placement.PLC_009 with input as _input([
		_sys("sys-elastic", {"elastic": true, "datasets": ["ds-internal", "ds-public"]}),
		_sys("sys-empty", {"elastic": true, "deployment": "on_prem", "datasets": []}),
		_sys("sys-sensitive", {"elastic": true, "datasets": ["ds-internal", "ds-pi"]}),
		_sys("sys-public", {"elastic": true, "deployment": "public"}),
		_sys("sys-hybrid", {"elastic": true, "deployment": "hybrid"}),
		_sys("sys-steady", {"elastic": false}),
	])
		with data.govern.definitions as _defs
	_ids(r) == {"sys-elastic", "sys-empty"}
	r.evaluated == 3
	_message(r, "sys-elastic") == "system sys-elastic is elastic on its private deployment and holds only internal or public data (ds-internal internal, ds-public public): a candidate for public cloud"
	_message(r, "sys-empty") == "system sys-empty is elastic on its on_prem deployment and holds no dataset: a candidate for public cloud"
	_message_zh(r, "sys-elastic") == "系统 sys-elastic 为弹性负载，当前为 private 部署，且仅存放 internal 或 public 级数据（ds-internal 为 internal 级、ds-public 为 public 级）：可考虑迁移至公有云"
	_message_zh(r, "sys-empty") == "系统 sys-empty 为弹性负载，当前为 on_prem 部署，且未存放任何数据集：可考虑迁移至公有云"
}
