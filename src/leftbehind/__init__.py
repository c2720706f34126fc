"""leftbehind: a reproducible workbench for mixed-methods studies of children in migrant families.

The survey arm (questionnaires -> scales -> models -> tables), the interview arm (families,
transcripts, grounded-theory coding) and their integration into one report.
See DESIGN.md in the repository for the architecture.
"""

__version__ = "0.1.0"
