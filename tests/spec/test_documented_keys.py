"""Every key docs/study-file.md documents has a test showing that it changes the output.

The keys are read from the tables of the section headings (``### `[survey]` ``, ...): the
first cell of every ``| `key` | ... |`` row, one entry per backticked name (a quoted name is a
rule, ``rule="blank"``). ``EFFECT_TESTS`` maps each to a test that sets the key in a study
(a study file, a study spec or its rule objects) and asserts on what comes out. Keys with no
such test yet are listed in ``NO_EFFECT_TEST_YET`` (known gaps, reported in the issue); a key that is
neither mapped nor listed fails at once, and so does a listed gap that gains a mapping.
"""

from __future__ import annotations

import re
from pathlib import Path


TESTS = Path(__file__).parents[1]
DOC = TESTS.parent / "docs" / "study-file.md"


def documented_keys(text: str) -> list[str]:
    """``"[section] key"`` for every key row of the tables under the ``###``/``####`` headings."""
    keys, section = [], None
    for line in text.splitlines():
        if line.startswith("## "):
            section = None
        heading = re.match(r"^#{3,4} (.*)", line)
        if heading:
            names = re.findall(r"`(\[[^`]*\])`", heading.group(1))
            section = names[0] if names else None
            continue
        if section and line.startswith("| `"):
            for name in re.findall(r"`([^`]+)`", line.split("|")[1]):
                keys.append(f"{section} rule={name.strip(chr(34))}" if name.startswith('"') else f"{section} {name}")
    return list(dict.fromkeys(keys))


HYP = "report/test_mixed_report_keys.py::"
EFFECT_TESTS = {
    "[study] title": "report/test_study_keys.py::test_title_heads_the_report_and_results",
    "[study] description": "report/test_study_keys.py::test_description_opens_the_report",
    "[qual] title": "report/test_study_keys.py::test_qual_title_names_the_interview_part",
    "[survey] id": "report/test_study_keys.py::test_id_names_the_case_column",
    "[survey] files": "survey/test_prepare.py::test_stacked_files_report_their_own_rows",
    "[survey] distributed": "report/test_run.py::test_flow_and_table2_match_statsmodels",
    "[survey] cluster": "report/test_few_clusters_run.py::test_every_model_has_cr2_tests",
    "[survey] out_of_range": "survey/test_cleaning.py::test_out_of_range_missing_and_invalid",
    "[items.NAME] label": "survey/test_prepare.py::test_labels",
    "[items.NAME] range": "survey/test_cleaning.py::test_out_of_range_missing_and_invalid",
    "[items.NAME] labels": "survey/test_prepare.py::test_labels",
    "[items.NAME] missing": "survey/test_labelled_files.py::test_study_missing_codes_in_text",
    "[[validity]] rule": "survey/test_cleaning.py::test_every_reason_is_logged_and_first_decides",
    "[[validity]] rule=blank": "survey/test_cleaning.py::test_every_reason_is_logged_and_first_decides",
    "[[validity]] rule=duplicate_id": "survey/test_cleaning.py::test_duplicate_id_keep_none_and_straightlining_min_items",
    "[[validity]] rule=straightlining":
        "survey/test_cleaning.py::test_duplicate_id_keep_none_and_straightlining_min_items",
    "[[validity]] rule=condition": "survey/test_cleaning.py::test_every_reason_is_logged_and_first_decides",
    "[derived.NAME] rule": "survey/test_derive.py::test_apply_rule_dispatch",
    "[derived.NAME] rule=parental_migration": "survey/test_derive.py::test_parental_migration_branches",
    "[derived.NAME] rule=recode": "survey/test_derive.py::test_recode",
    "[derived.NAME] rule=cut": "survey/test_derive.py::test_cut",
    "[derived.NAME] rule=copy": "survey/test_derive.py::test_apply_rule_dispatch",
    "[derived.NAME] rule=reverse": "survey/test_derive.py::test_reverse",
    "[scales.NAME] items": "report/test_measure_keys.py::test_scale_items_are_the_items_summed",
    "[scales.NAME] label": "report/test_measure_keys.py::test_scale_and_factor_labels_name_them_in_the_report",
    "[factors.NAME] items": "report/test_measure_keys.py::test_factor_items_and_method_choose_the_analysis",
    "[factors.NAME] method": "report/test_measure_keys.py::test_factor_items_and_method_choose_the_analysis",
    "[factors.NAME] label": "report/test_measure_keys.py::test_scale_and_factor_labels_name_them_in_the_report",
    "[scales.NAME] score": "report/test_scoring_keys.py::test_min_items_scores_respondents_with_one_item_missing",
    "[scales.NAME] min_items": "report/test_scoring_keys.py::test_min_items_scores_respondents_with_one_item_missing",
    "[factors.NAME] scores": "report/test_scoring_keys.py::test_scores_key_selects_bartlett_scores",
    "[analysis] outcome": "report/test_run.py::test_flow_and_table2_match_statsmodels",
    "[analysis] group": "report/test_run.py::test_flow_and_table2_match_statsmodels",
    "[analysis] reference": "report/test_run.py::test_flow_and_table2_match_statsmodels",
    "[analysis] controls": "report/test_run.py::test_flow_and_table2_match_statsmodels",
    "[analysis] categorical": "report/test_analysis_keys.py::test_categorical_enters_a_control_as_a_factor",
    "[analysis] se": "report/test_few_clusters_run.py::test_every_model_has_cr2_tests",
    "[analysis] cluster_df": "report/test_few_clusters_run.py::test_g_minus_one_and_caution",
    "[analysis.wild_bootstrap] reps": "report/test_few_clusters_run.py::test_bootstrap_of_the_group_terms",
    "[analysis.wild_bootstrap] weights": "report/test_few_clusters_run.py::test_bootstrap_of_the_group_terms",
    "[analysis.wild_bootstrap] seed": "report/test_few_clusters_run.py::test_bootstrap_of_the_group_terms",
    "[analysis.wild_bootstrap] terms": "report/test_analysis_keys.py::test_wild_bootstrap_terms_choose_the_tested_coefficients",
    "[missing] method": "report/test_imputation.py::test_impute_results_of_a_study_run",
    "[missing] m": "report/test_imputation.py::test_impute_results_of_a_study_run",
    "[missing] auxiliary": "report/test_imputation.py::test_auxiliary_variables_join_the_imputation_model",
    "[missing] maxit": "report/test_missing_keys.py::test_seed_maxit_and_donors_change_the_imputations",
    "[missing] seed": "report/test_missing_keys.py::test_seed_maxit_and_donors_change_the_imputations",
    "[missing] donors": "report/test_missing_keys.py::test_seed_maxit_and_donors_change_the_imputations",
    "[qual] folder": "cli/test_select.py::test_extreme_cases_are_recorded_in_the_sampling_log",
    "[qual] link_column": "cli/test_select.py::test_link_column_decides_which_participant_a_chosen_case_is",
    "[qual] database": "qual/test_study_database.py::test_database_holds_the_store_of_a_run",
    "[qual] coders": "report/test_qual_coder_keys.py::test_coders_choose_who_is_compared_for_agreement",
    "[qual] primary_coder": "report/test_qual_coder_keys.py::test_primary_coder_feeds_matrices_and_saturation",
    "[[hypotheses]] id": HYP + "test_id_and_statement_title_the_display",
    "[[hypotheses]] statement": HYP + "test_id_and_statement_title_the_display",
    "[[hypotheses]] moderator": HYP + "test_moderator_and_term_choose_the_survey_estimate",
    "[[hypotheses]] table": HYP + "test_table_chooses_the_model_set",
    "[[hypotheses]] term": HYP + "test_moderator_and_term_choose_the_survey_estimate",
    "[[hypotheses]] expected_sign": HYP + "test_expected_sign_decides_the_verdict",
    "[[hypotheses]] focus": HYP + "test_focus_and_codes_decide_the_counts",
    "[[hypotheses]] codes": HYP + "test_focus_and_codes_decide_the_counts",
    "[[hypotheses]] counter_codes": HYP + "test_counter_codes_show_as_counter_evidence_and_enter_the_meta_inference",
    "[[hypotheses]] other_moderators": HYP + "test_other_moderators_are_extra_survey_rows",
    "[[hypotheses]] qual_expect": HYP + "test_qual_expect_turns_the_interview_direction",
    "[[hypotheses]] meta_inference": HYP + "test_meta_inference_and_memo_are_shown",
    "[[hypotheses]] memo": HYP + "test_meta_inference_and_memo_are_shown",
    "[[hypotheses]] model": "report/test_model_tables.py::test_hypotheses_refer_to_any_declared_table",
    "[[model_tables]] name": "report/test_model_tables.py::test_results_have_the_declared_tables_and_models",
    "[[model_tables]] kind": "report/test_model_tables.py::test_results_have_the_declared_tables_and_models",
    "[[model_tables]] title": "report/test_model_tables.py::test_run_study_result_is_the_results_json_and_shows_in_notebooks",
    "[[model_tables]] outcome": "report/test_model_tables.py::test_models_match_statsmodels",
    "[[model_tables]] blocks": "report/test_model_tables.py::test_models_match_statsmodels",
    "[[model_tables]] moderators": "report/test_model_tables.py::test_results_have_the_declared_tables_and_models",
    "[[model_tables]] terms": "report/test_model_tables.py::test_models_match_statsmodels",
    "[[model_tables]] nested": "report/test_model_tables.py::test_without_model_tables_the_defaults_have_neutral_names",
    "[[model_tables]] main_effects": "report/test_model_tables.py::test_without_model_tables_the_defaults_have_neutral_names",
    "[[model_tables]] moderation": "report/test_model_tables.py::test_without_model_tables_the_defaults_have_neutral_names",
    "[factors.NAME] n_factors": "report/test_scoring_keys.py::test_two_factors_are_named_name_1_and_name_2",
    "[factors.NAME] rotation": "report/test_scoring_keys.py::test_rotation_changes_the_loadings",
    "[survey] encoding": "report/test_encoding_key.py::test_encoding_reads_a_latin1_file_that_fails_without_it",
    "[[model_tables]] published":
        "report/test_published_key.py::test_published_picks_the_published_table_a_declared_table_reproduces",
}

NO_EFFECT_TEST_YET: set[str] = set()
"""Keys with no effect test yet (none now: every documented key has one; add here only with a reason)."""


def test_functions() -> set[str]:
    """``path::name`` of every top-level test function under tests/."""
    found = set()
    for path in TESTS.rglob("test_*.py"):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(TESTS).as_posix()
        found |= {f"{rel}::{name}" for name in re.findall(r"(?m)^def (test_\w+)", text)}
    return found


test_functions.__test__ = False  # a helper, not a test


KEYS = documented_keys(DOC.read_text(encoding="utf-8"))


def test_the_parser_reads_every_table():
    assert len(KEYS) > 60
    assert {"[survey] files", "[[validity]] rule=blank", "[analysis.wild_bootstrap] reps", "[missing] donors",
            "[[hypotheses]] id", "[[hypotheses]] statement", "[[hypotheses]] counter_codes"} <= set(KEYS)
    assert not [k for k in KEYS if "leftbehind." in k]   # the "From Python" table lists functions, not keys


def test_mapped_effect_tests_exist():
    missing = sorted(f"{k} -> {t}" for k, t in EFFECT_TESTS.items() if t not in test_functions())
    assert not missing, "effect tests that do not exist:\n" + "\n".join(missing)


def test_mapping_and_gaps_name_documented_keys_only():
    stale = sorted((set(EFFECT_TESTS) | NO_EFFECT_TEST_YET) - set(KEYS))
    assert not stale, "not documented in docs/study-file.md: " + ", ".join(stale)
    assert not set(EFFECT_TESTS) & NO_EFFECT_TEST_YET


def test_no_new_key_without_an_effect_test():
    new = sorted(set(KEYS) - set(EFFECT_TESTS) - NO_EFFECT_TEST_YET)
    assert not new, "documented keys with no effect test:\n" + "\n".join(new)
