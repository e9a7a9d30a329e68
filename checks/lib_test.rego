# The English naming helpers of lib beside the Chinese ones: a value the
# vocabulary names reads by its name, any other value as written.
package govern.lib_test

import data.govern.lib

_named := {"scale_up": {"zh": "推广期", "en": "scale-up"}, "on_prem": {"zh": "本地部署", "en": "on premises"}}

_persons := {"p-cdo": {"name": "Chen Jing"}, "p-nameless": {}}

test_en_names_a_value_the_vocabulary_names if {
	lib.en(_named, "on_prem") == "on premises"
	lib.en(_named, "team") == "team"
	lib.en_list(_named, ["on_prem", "team"]) == "on premises, team"
	lib.en_list(_named, []) == "none"
}

test_en_called_puts_the_noun_after_a_name_and_before_an_id if {
	lib.en_called(_named, "scale_up", "phase") == "the scale-up phase"
	lib.en_called(_named, "p1", "phase") == "phase p1"
}

test_person_en_shows_a_name_with_the_id if {
	lib.person_en(_persons, "p-cdo") == "Chen Jing (p-cdo)"
	lib.person_en(_persons, "p-nameless") == "p-nameless"
	lib.person_en(_persons, "p-gone") == "p-gone"
	lib.people_en(_persons, ["p-cdo", "p-gone"]) == "Chen Jing (p-cdo), p-gone"
}

test_the_vocabulary_names_values_in_english if {
	lib.en(lib.names.deployments, "on_prem") == "on premises"
	lib.en_called(lib.names.phases, "scale_up", "phase") == "the scale-up phase"
}

test_person_zh_shows_an_unknown_id_as_written if {
	lib.person_zh(_persons, "p-cdo") == "Chen Jing（p-cdo）"
	lib.person_zh(_persons, "p-gone") == "p-gone"
}

# Money rounds once, to the cent, so a computed limit keeps its carry.
test_money_groups_thousands_and_keeps_the_carry if {
	lib.money(2730000) == "2,730,000"
	lib.money(94) == "94"
	lib.money(1800000 * 1.05) == "1,890,000"
	lib.money(1234.5) == "1,234.50"
	lib.money(1234.567) == "1,234.57"
	lib.money(0.05) == "0.05"
	lib.money(-1500.25) == "-1,500.25"
}
