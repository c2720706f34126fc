"""Synthetic raw questionnaires calibrated to a paper's published figures (layer L3).

:func:`simulate_study` and :func:`write_study` are the entry points; the method is
described in :mod:`leftbehind.simulate.calibrate`, the published-figures format in
``docs/published-figures.md``.
"""

from leftbehind.simulate.figures import Figures, load_figures
from leftbehind.simulate.study import SimulatedStudy, hypothesis_terms, simulate_study, write_study

__all__ = ["Figures", "SimulatedStudy", "hypothesis_terms", "load_figures", "simulate_study",
           "write_study"]
