"""The ``study.toml`` schema (layer L1): frozen models, loading with key paths and lines.

>>> from leftbehind.spec import load_study, Study
"""

from leftbehind.spec.analysis import (Analysis, Descriptives, Factor, Moderator, NestedBlock, Scale, Tables,
                                      WildBootstrap)
from leftbehind.spec.load import load_study, study_file, study_problems
from leftbehind.spec.model import (ConditionRule, Copy, Cut, Item, ItemBlock, ParentalMigration, Recode,
                                   Reverse, StudyInfo, SurveyFiles)
from leftbehind.spec.study import Study
from leftbehind.spec.tables import DEFAULT_TABLES, ModelTable, declared_tables

__all__ = ["DEFAULT_TABLES", "ModelTable", "declared_tables",
           "Analysis", "ConditionRule", "Copy", "Cut", "Descriptives", "Factor", "Item", "ItemBlock",
           "Moderator", "NestedBlock", "ParentalMigration", "Recode", "Reverse", "Scale", "Study",
           "StudyInfo", "SurveyFiles", "Tables", "WildBootstrap", "load_study", "study_file", "study_problems"]
