"""The survey arm's data layer (L2): intake, cleaning, sample flow, derived variables, descriptives.

>>> from leftbehind.survey import prepare, read_data, complete_cases
"""

from leftbehind.survey.checks import check_study, check_study_data
from leftbehind.survey.cleaning import Cleaned, clean
from leftbehind.survey.describe import Descriptives, describe_by_group, describe_study, guess_kinds
from leftbehind.survey.derive import cut, parental_migration, recode, reverse
from leftbehind.survey.flow import CompleteCasesReport, FlowStage, SampleFlow, complete_cases
from leftbehind.survey.intake import SurveyData, read_data, read_survey, stack_data
from leftbehind.survey.prepare import PreparedSurvey, derive_all, prepare

__all__ = ["Cleaned", "CompleteCasesReport", "Descriptives", "FlowStage", "PreparedSurvey", "SampleFlow",
           "SurveyData", "check_study", "check_study_data", "clean", "complete_cases", "cut", "derive_all",
           "describe_by_group", "describe_study", "guess_kinds", "parental_migration", "prepare", "read_data", "read_survey",
           "recode", "reverse", "stack_data"]
