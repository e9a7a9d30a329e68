# Unit tests of placement_platforms.rego; the fixtures they share are in placement_test.rego.
package govern.checks.placement_test

import data.govern.checks.placement
import data.govern.testing.ids as _ids
import data.govern.testing.message as _message
import data.govern.testing.message_zh as _message_zh

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
	_message(r, "sys-mismatch") == "system sys-mismatch is declared private cloud but runs on public cloud platform plat-pub"
	_message_zh(r, "sys-mismatch") == "系统 sys-mismatch 的部署方式为私有云，但运行在部署方式为公有云的平台 plat-pub 上"
}
