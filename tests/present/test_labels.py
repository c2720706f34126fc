"""Term-name parsing and display labels (leftbehind.present.labels)."""

import pytest

from leftbehind.errors import InputError
from leftbehind.present.labels import Labels, TermPart, parse_term, split_top_level

LABELS = Labels(
    variables={"migration": "Parental migration", "belong": "School belonging", "age": "Age",
               "income": "Family income", "grade": "Grade", "girl": "Girl"},
    values={"migration": {"none": "Neither parent away", "mother": "Mother only away",
                          "father": "Father only away", "both": "Both parents away"},
            "siblings": {0: "No sibling", 1: "One sibling", "2+": "Two or more"}},
)


@pytest.mark.parametrize("term, expected", [
    ("C(migration, Treatment('none'))[T.mother]", "Mother only away"),
    ('C(migration, Treatment("none"))[T.father]', "Father only away"),
    ("C(migration, Treatment(reference='none'))[T.both]", "Both parents away"),
    ("C(migration)[T.mother]", "Mother only away"),
    ("migration[T.mother]", "Mother only away"),
    ("C(migration, Sum)[S.mother]", "Mother only away"),
    ("C(migration)[mother]", "Mother only away"),
    ("C(siblings)[T.1]", "One sibling"),
    ("C(siblings)[T.1.0]", "One sibling"),
    ("C(siblings)[T.2+]", "Two or more"),
    ("C(grade)[T.8]", "Grade: 8"),                     # no value label: variable label + level
    ("C(region)[T.north]", "region: north"),           # nothing known: raw names
    ("migration[T.mother]:belong", "Mother only away × School belonging"),
    ("C(migration, Treatment('none'))[T.mother]:belong", "Mother only away × School belonging"),
    ("belong:age", "School belonging × Age"),
    ("girl:age:belong", "Girl × Age × School belonging"),
    ("Intercept", "Constant"),
    ("const", "Constant"),
    ("age", "Age"),
    ("unknown_var", "unknown_var"),
    ("I(age ** 2)", "Age²"),
    ("I(age**3)", "Age³"),
    ("np.log(income)", "log(Family income)"),
    ("center(belong)", "center(School belonging)"),
    ("I(age - 12)", "I(age - 12)"),
    ("C(age_band)[T.[12, 14)]:girl", "age_band: [12, 14) × Girl"),   # pd.cut interval level                    # arbitrary expression: left as written
])
def test_term_labels(term, expected):
    assert LABELS.term(term) == expected


def test_level_containing_colon_and_brackets_is_not_split():
    parts = parse_term("C(x, Treatment('a:b'))[T.c:d]:z")
    assert parts == (TermPart("C(x, Treatment('a:b'))", "x", "c:d"), TermPart("z", "z", None))
    assert parse_term("x[T.[1, 2)]")[0].level == "[1, 2)"


def test_split_top_level_ignores_nested_and_quoted_separators():
    assert split_top_level("a:(b:c):'d:e':[f:g]", ":") == ["a", "(b:c)", "'d:e'", "[f:g]"]
    assert split_top_level("", ":") == [""]


def test_whole_term_overrides_and_plain_mapping():
    labels = Labels(terms={"migration[T.mother]:belong": "Mother away × belonging"})
    assert labels.term("migration[T.mother]:belong") == "Mother away × belonging"
    plain = Labels.coerce({"girl": "Girl", "C(migration)[T.mother]": "Mother away"})
    assert plain.term("girl") == "Girl"
    assert plain.term("C(migration)[T.mother]") == "Mother away"
    assert Labels.coerce(None).term("Intercept") == "Constant"
    assert Labels(intercept="(Intercept)").term("const") == "(Intercept)"


def test_values_and_merging():
    assert LABELS.value("siblings", 0) == "No sibling"
    assert LABELS.value("siblings", "0") == "No sibling"
    assert LABELS.value("siblings", 3) == "3"
    assert LABELS.value("siblings", 2.5) == "2.5"
    assert LABELS.variable("nope") == "nope"
    merged = LABELS.merged(Labels(variables={"age": "Age in years"}, values={"siblings": {0: "None"}}))
    assert merged.variable("age") == "Age in years"
    assert merged.value("siblings", 0) == "None"
    assert merged.value("siblings", 1) == "One sibling"
    assert LABELS.variable("age") == "Age"                # the original is unchanged


def test_labels_are_immutable_and_serialisable():
    with pytest.raises(TypeError):
        LABELS.variables["age"] = "x"
    data = LABELS.to_dict()
    assert data["values"]["siblings"]["0"] == "No sibling"
    assert Labels(**data).to_dict() == data


@pytest.mark.parametrize("bad", ["", "   ", None, 3])
def test_bad_term_names_raise_input_error(bad):
    with pytest.raises(InputError):
        parse_term(bad)


def test_bad_constructor_arguments():
    with pytest.raises(InputError):
        Labels(variables=["age"])
    with pytest.raises(InputError):
        Labels.coerce(["age"])


@pytest.mark.parametrize("term, shown", [
    ("C(care)[T.2]", "Father away"), ("C(care)[T.2.0]", "Father away"), ("care[T.2.0]", "Father away"),
    ("C(care, Treatment(1))[T.3.0]", "Mother away"), ("C(care)[T.4.0]", "Caregiver: 4"),
    ("C(care)[T.2.0]:age", "Father away × Age"), ("C(care)[T.2.5]", "Caregiver: 2.5"),
])
def test_numeric_codes_as_patsy_prints_them(term, shown):
    from types import SimpleNamespace

    data = SimpleNamespace(variable_labels={"care": "Caregiver", "age": "Age", "blank": ""},
                           value_labels={"care": {1: "Both home", 2: "Father away", 3: "Mother away"}})
    assert Labels.from_data(data).term(term) == shown
    assert Labels.coerce(data).term(term) == shown
    assert "blank" not in Labels.from_data(data).variables


def test_from_data_overrides_and_bad_input():
    from types import SimpleNamespace

    data = SimpleNamespace(variable_labels={"care": "Caregiver"}, value_labels={"care": {2: "Father away"}})
    labels = Labels.from_data(data, variables={"care": "Who cares"}, values={"care": {3: "Mother away"}})
    assert labels.variable("care") == "Who cares"
    assert (labels.value("care", 2.0), labels.value("care", 3)) == ("Father away", "Mother away")
    with pytest.raises(InputError, match="variable_labels"):
        Labels.from_data(object())
