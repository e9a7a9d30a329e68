package govern.checks.placement_test

import data.govern.checks.placement
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

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
	_message(r, "sys-pay") == "system sys-pay stores restricted dataset ds-restricted on the public cloud side (rule restricted-private-only allows private cloud, on premises)"
	_message_zh(r, "sys-pay") == "系统 sys-pay 在公有云侧存放受限级数据集 ds-restricted（规则 restricted-private-only 仅允许私有云、本地部署）"
}

test_plc_001_fires_on_public_deployment_listing_each_dataset if {
	r := placement.PLC_001 with input as _input([_sys("sys-web", {"deployment": "public", "datasets": ["ds-core", "ds-restricted", "ds-public"]})])
		with data.govern.definitions as _defs
	_message(r, "sys-web") == concat("", [
		"system sys-web stores restricted dataset ds-core on its public cloud deployment (rule restricted-private-only allows private cloud, on premises); ",
		"restricted dataset ds-restricted on its public cloud deployment (rule restricted-private-only allows private cloud, on premises)",
	])
	_message_zh(r, "sys-web") == concat("", [
		"系统 sys-web 在其公有云部署上存放受限级数据集 ds-core（规则 restricted-private-only 仅允许私有云、本地部署）；",
		"在其公有云部署上存放受限级数据集 ds-restricted（规则 restricted-private-only 仅允许私有云、本地部署）",
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
	_message(r, "sys-elastic") == "system sys-elastic is elastic on its private cloud deployment and holds only internal or public data (ds-internal internal, ds-public public): a candidate for public cloud"
	_message(r, "sys-empty") == "system sys-empty is elastic on its on premises deployment and holds no dataset: a candidate for public cloud"
	_message_zh(r, "sys-elastic") == "系统 sys-elastic 为弹性负载，部署方式为私有云，且仅存放内部或公开级数据（ds-internal 为内部级、ds-public 为公开级）：可考虑迁移至公有云"
	_message_zh(r, "sys-empty") == "系统 sys-empty 为弹性负载，部署方式为本地部署，且未存放任何数据集：可考虑迁移至公有云"
}
