# Unit tests of placement_cross_border.rego; the fixtures they share are in placement_test.rego.
package govern.checks.placement_test

import data.govern.checks.placement
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

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
	_message(r, "ds-grade") == "dataset ds-grade flows abroad without the required security_assessment (graded important data): to partner-SG-contract (SG) by contract"
	_message(r, "ds-million") == "dataset ds-million flows abroad without the required security_assessment (1,000,000 subjects ≥ 1,000,000): to partner-SG-certification (SG) by certification"
	_message(r, "ds-sensitive") == "dataset ds-sensitive flows abroad without the required security_assessment (sensitive, 10,000 subjects ≥ 10,000): to partner-SG-contract (SG) by contract"
	_message_zh(r, "ds-grade") == "数据集 ds-grade 出境未采用所需的安全评估（分级为重要数据）：流向 partner-SG-contract（SG），采用标准合同"
	_message_zh(r, "ds-million") == "数据集 ds-million 出境未采用所需的安全评估（个人信息主体 1,000,000 人 ≥ 1,000,000 人）：流向 partner-SG-certification（SG），采用认证"
	_message_zh(r, "ds-sensitive") == "数据集 ds-sensitive 出境未采用所需的安全评估（敏感个人信息主体 10,000 人 ≥ 10,000 人）：流向 partner-SG-contract（SG），采用标准合同"
}

# Several reasons, in the English order, joined by a full-width comma in Chinese.
test_plc_007_lists_every_reason_in_both_languages if {
	datasets := [_exporter("ds-core-pi", "core", {"contains": true, "sensitive": true, "subjects": 2000000}, [_flow("SG", "contract")])]
	r := placement.PLC_007 with input as _with_datasets(datasets, [])
		with data.govern.definitions as _defs
	_message(r, "ds-core-pi") == "dataset ds-core-pi flows abroad without the required security_assessment (graded core data, 2,000,000 subjects ≥ 1,000,000, sensitive, 2,000,000 subjects ≥ 10,000): to partner-SG-contract (SG) by contract"
	_message_zh(r, "ds-core-pi") == "数据集 ds-core-pi 出境未采用所需的安全评估（分级为核心数据，个人信息主体 2,000,000 人 ≥ 1,000,000 人，敏感个人信息主体 2,000,000 人 ≥ 10,000 人）：流向 partner-SG-contract（SG），采用标准合同"
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
