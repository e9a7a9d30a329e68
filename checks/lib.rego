# Shared vocabulary for every check: indexes keyed by id (built once per
# query, so checks look up instead of scanning), date arithmetic on `as_of`,
# and the one result shape the engine expects from a check.
package govern.lib

default defs := {}

defs := data.govern.definitions

inventory := object.get(input, "inventory", {})

people := object.get(inventory, "people", {})

platforms := object.get(inventory, "platforms", {})

systems := object.get(inventory, "systems", {})

datasets := object.get(inventory, "datasets", {})

projects := object.get(inventory, "projects", {})

budget_lines := object.get(inventory, "budget_lines", {})

spend := object.get(inventory, "spend", {})

meetings := object.get(inventory, "meetings", {})

decisions := object.get(inventory, "decisions", {})

goals := object.get(inventory, "goals", {})

maturity_assessments := object.get(inventory, "maturity_assessments", {})

actions := object.get(inventory, "actions", {})

value_streams := object.get(inventory, "value_streams", {})

pain_points := object.get(inventory, "pain_points", {})

root_causes := object.get(inventory, "root_causes", {})

benchmarks := object.get(inventory, "benchmarks", {})

waivers := object.get(input, "waivers", {})

committees := object.get(defs, "committees", {})

authority := object.get(defs, "authority_matrix", null)

# An absent policy is null. Read its fields with refs and defaults
# (`null.x` is undefined), never object.get(policy, ...) which is an error on
# null under strict builtin errors.
budget_policy := object.get(defs, "budget_policy", null)

classification := object.get(defs, "classification_policy", null)

placement := object.get(defs, "placement_policy", null)

strategy := object.get(defs, "strategy_policy", null)

default object_or_empty(_) := {}

# `x` if it is an object, else {}: the one guard for reading an optional
# policy (null when absent) with object.get, which is an error on null under
# strict builtin errors. Bind it once per file and read through the binding:
# `_policy := lib.object_or_empty(lib.budget_policy)`.
object_or_empty(x) := x if is_object(x)

# The result every check rule produces. `subjects` is the collection of
# resources the rule applies to (its size is the `evaluated` count), and
# `violations` a set built with `violation(...)`.
check(meta, subjects, violations) := {
	"meta": meta,
	"evaluated": count(subjects),
	"violations": violations,
}

# check(...) plus `observations`: what the check measured on each subject,
# for a report to draw from the check's own reading (BUD-002's shares and
# bands per phase). Other checks use check(...).
check_observed(meta, subjects, violations, observations) := object.union(
	check(meta, subjects, violations),
	{"observations": observations},
)

# A check result: any value under data.govern.checks.<package> (or the waiver
# checks) that carries METADATA with a custom id. main.rego reports these and
# the waiver checks read these: one definition, so they read the same set.
is_check(r) if {
	is_object(r)
	is_string(r.meta.custom.id)
}

# The id prefix of the action checks (package govern.action_checks). A check
# of another package cannot take it (the run refuses it at its METADATA:
# governance/evaluate/policy.py, which reserves WAV- for govern.waiver_checks
# the same way), so where that package cannot be read (the waiver checks:
# the action checks read theirs) the prefix says which checks are ACT's.
action_check_prefix := "ACT-"

# A finding on one resource. `message` is English text, or an object
# {"en": ..., "zh": ...} so the committee reads the finding in Chinese: the
# check writes both sentences beside each other, from the same values, so
# neither language can say something the other does not. OPA's answer carries
# the English as `message` and the Chinese as `message_zh` (the guide to writing checks in docs/).
violation(kind, id, message) := {"resource": {"kind": kind, "id": id}, "message": message} if is_string(message)

violation(kind, id, message) := {
	"resource": {"kind": kind, "id": id},
	"message": message.en,
	"message_zh": message.zh,
} if is_object(message)

# ---------------------------------------------------------------- dates
day_ns := ((24 * 60) * 60) * 1000000000

date_ns(d) := time.parse_ns("2006-01-02", d)

as_of_ns := date_ns(input.as_of)

# Whole days from `d` to as_of (positive when `d` is in the past).
days_since(d) := (as_of_ns - date_ns(d)) / day_ns

# "Within N days" means as_of - date <= N.
within_days(d, n) if days_since(d) <= n

# Whole days from `a` to `b`.
days_between(a, b) := (date_ns(b) - date_ns(a)) / day_ns

# A project is running on `as_of` (input.as_of) when start <= as_of <= end
# (BUD-006, STR-005, STR-009). ISO dates compare as strings.
running(p, as_of) if {
	p.start <= as_of
	as_of <= p.end
}

# ---------------------------------------------------------------- people
# `persons` is lib.people (or any people by id).
has_role(persons, person_id, role) if role in persons[person_id].roles

# ---------------------------------------------------------------- money
# 2730000 -> "2,730,000"; other amounts are rounded to the cent first and
# keep two decimals unless they round to a whole number. Rounding once, to
# cents, keeps the carry: 1,800,000 × 1.05 computes to 1889999.99999..., which
# is 1,890,000, not 1,889,999 and a cent part of "1.00".
money(x) := concat("", [_grouped(sprintf("%d", [whole]), x), _cents(cents - (whole * 100))]) if {
	cents := round(abs(x) * 100)
	whole := floor(cents / 100)
}

_cents(0) := ""

_cents(c) := sprintf(".%02d", [c]) if c != 0

_grouped(digits, x) := s if {
	n := count(digits)
	head := n % 3
	first := [substring(digits, 0, head) | head > 0]

	# range_step(2, 1, 3) is [2], not []: guard so "94" does not become "94,"
	rest := [substring(digits, i, 3) | some i in numbers.range_step(head, n - 1, 3); i < n]
	sign := {true: "-", false: ""}[x < 0]
	s := concat("", [sign, concat(",", array.concat(first, rest))])
}

# ---------------------------------------------------------------- text
# A list or set for messages: "none" when empty, else its items joined by ", ".
list_text(xs) := "none" if count(xs) == 0

list_text(xs) := concat(", ", [sprintf("%v", [x]) | some x in xs]) if count(xs) > 0

# list_text for a Chinese message: 无 for none, items joined by 、
list_text_zh(xs) := "无" if count(xs) == 0

list_text_zh(xs) := concat("、", [sprintf("%v", [x]) | some x in xs]) if count(xs) > 0

# Percentages for messages: 0.4567 -> "45.7%".
# Built from tenths because sprintf's %f prints garbage for a whole number (71).
pct(share) := sprintf("%s%d.%d%%", [sign, floor(tenths / 10), tenths % 10]) if {
	signed := round(share * 1000)
	tenths := abs(signed)
	sign := {true: "-", false: ""}[signed < 0]
}

# ---------------------------------------------------------------- classification
# `classification` is null without a ClassificationPolicy.
_classification_fields := object_or_empty(classification)

levels := object.get(_classification_fields, "levels", [])

# Position in `ordered` (ClassificationPolicy.levels, lib.levels); 0 is the highest level.
level_rank(ordered, level) := i if ordered[i] == level

important_grades := {g | some g in object.get(_classification_fields, ["important_data", "grades"], [])}

# `grades`: the grades of important data (lib.important_grades).
is_important(grades, d) if d.grade in grades

# ---------------------------------------------------------------- holdings
# A system's datasets may be given as a plain id or {id, side}.
ref_id(ref) := ref if is_string(ref)

ref_id(ref) := ref.id if is_object(ref)

# Effective deployment of a dataset on a system: the system's
# deployment, or on a hybrid system the declared side (plain id = private).
effective_deployment(system, _) := system.deployment if system.deployment != "hybrid"

effective_deployment(system, ref) := object.get(ref, "side", "private") if {
	system.deployment == "hybrid"
	is_object(ref)
}

effective_deployment(system, ref) := "private" if {
	system.deployment == "hybrid"
	is_string(ref)
}

# Indexes are complete rules (evaluated once per query and cached; looking up
# a partial rule by key re-runs its body). Grouping uses distinct keys and a
# comprehension that compares a field with the key: OPA indexes such a
# comprehension once, so the group-by is linear. A partial set rule
# (`idx[k] contains v`) is not: building it slows quadratically (300 s+ at 100k).

# (dataset id, system id) for every holding
_holdings := [[ref_id(ref), sys_id] |
	some sys_id, s in systems
	some ref in object.get(s, "datasets", [])
]

# dataset id -> ids of systems holding it
held_by := {ds_id: sys_ids |
	some ds_id in {h[0] | some h in _holdings}
	sys_ids := {h[1] | some h in _holdings; h[0] == ds_id}
}

# spend ids per budget line, and the sum per line
spend_by_line := {line_id: sp_ids |
	some line_id in {sp.budget_line | some sp in spend}
	sp_ids := {sp_id | spend[sp_id].budget_line == line_id}
}

spent_on(line_id) := sum([spend[sp_id].amount | some sp_id in spend_by_line[line_id]])

# budget line ids per project
lines_of := {project_id: line_ids |
	some project_id in {line.project | some line in budget_lines}
	line_ids := {line_id | budget_lines[line_id].project == project_id}
}

# ---------------------------------------------------------------- the product's words

# The product's vocabulary, checks/vocabulary.json, which govern loads as
# data.govern.vocabulary: names[category][value] is {"zh": ..., "en": ...}
# (docs/reference/glossary.md lists them). Without it every value reads as
# written: a message never vanishes for want of a word.
default names := {}

names := data.govern.vocabulary.names

# The words for the domain's ideas, terms[key] {"zh": ..., "en": ...}
# (docs/reference/glossary.md, "Terms"); none without the vocabulary.
default terms := {}

terms := data.govern.vocabulary.terms

# `value` as the Chinese names it in `named` (one category of `names`, e.g.
# names.deployments); a value with no name there (a workspace's own id) as written.
zh(named, value) := object.get(named, [value, "zh"], value)

# Several values so named, joined as list_text_zh joins them.
zh_list(named, values) := list_text_zh([zh(named, v) | some v in values])

# `value`'s Chinese name in `named` where it has one, standing alone ("试点期");
# else the value after `noun` ("阶段 p1").
zh_called(named, value, _) := named[value].zh

zh_called(named, value, noun) := sprintf("%s %v", [noun, value]) if not named[value].zh

# A person as the Chinese messages show them: by name, with their id
# ("陈静（p-cdo）"); an id naming no one with a name in `persons` (lib.people),
# as written.
person_zh(persons, id) := sprintf("%s（%s）", [persons[id].name, id]) if is_string(persons[id].name)

person_zh(persons, id) := id if not is_string(object.get(persons, [id, "name"], null))

# Several people so shown, joined as list_text_zh joins them.
people_zh(persons, ids) := list_text_zh([person_zh(persons, id) | some id in ids])

# The English twins of the helpers above, for the `en` message: `value` as the
# English names it in `named`; a value with no name there as written.
en(named, value) := object.get(named, [value, "en"], value)

# Several values so named, joined as list_text joins them.
en_list(named, values) := list_text([en(named, v) | some v in values])

# `value`'s English name in `named` where it has one, with `noun` after it
# ("the scale-up phase"); else the value after `noun` ("phase p1").
en_called(named, value, noun) := sprintf("the %s %s", [named[value].en, noun]) if named[value].en

en_called(named, value, noun) := sprintf("%s %v", [noun, value]) if not named[value].en

# A person as the English messages show them: by name, with their id
# ("Chen Jing (p-cdo)"); an id naming no one with a name in `persons`, as written.
person_en(persons, id) := sprintf("%s (%s)", [persons[id].name, id]) if is_string(persons[id].name)

person_en(persons, id) := id if not is_string(object.get(persons, [id, "name"], null))

# Several people so shown, joined as list_text joins them.
people_en(persons, ids) := list_text([person_en(persons, id) | some id in ids])
